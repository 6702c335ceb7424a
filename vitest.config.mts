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
    // A hang detector, not a speed target: the operator-command tests start several tsx processes
    // each, which took over 20 s on a machine busy with builds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
