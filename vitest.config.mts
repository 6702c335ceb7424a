import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "server-only": path.resolve(import.meta.dirname, "lib/test/empty.ts"),
      "@": path.resolve(import.meta.dirname),
    },
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.tsx"],
    pool: "forks",
    setupFiles: ["lib/test/no-promise-assertions.ts"],
    // A hang detector, not a speed target: no test asserts how long something took (they poll
    // for a condition, or move a clock of their own), so a busy machine only makes them slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
