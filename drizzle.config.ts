import { defineConfig } from "drizzle-kit";
import { databasePathFrom } from "./lib/db/default-path";

export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/db/schema/sqlite.ts",
  out: "./drizzle",
  dbCredentials: { url: databasePathFrom() },
  strict: true,
  verbose: true,
});
