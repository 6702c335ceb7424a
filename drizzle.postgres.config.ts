// Postgres's migrations (drizzle/postgres/), generated from the same schema as SQLite's: `npm run db:generate`.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/postgres.ts",
  out: "./drizzle/postgres",
  strict: true,
  verbose: true,
});
