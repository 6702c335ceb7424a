import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The unit tests that run on Postgres too (`npm run test:unit:postgres`, TEST_DATABASE_URL set):
 * those written against lib/test/db.ts rather than an in-memory SQLite handle. The rest run on
 * SQLite only, for now.
 */
const POSTGRES_SUITE = [
  "lib/db/engines.test.ts",
  "scripts/ops/db.test.ts",
  "lib/pairing/settle.test.ts",
  "lib/db/unavailable.test.ts",
  "lib/db/errors.test.ts",
  "lib/pairing/recovery-shared.test.ts",
  "lib/ops/rewrap.test.ts",
  "lib/registers/queries.test.ts",
  "lib/registers/rules.test.ts",
  "lib/transactions/money-rules.test.ts",
  "lib/auth/auth.test.ts",
  "lib/auth/command-walk.test.ts",
  "lib/auth/rate-limit.test.ts",
  "lib/auth/scope-walk.test.ts",
  "lib/dashboard/queries.test.ts",
  "lib/lists/lists.test.ts",
  "lib/merchants/queries.test.ts",
  "lib/merchants/two-merchants.test.ts",
  "lib/pairing/credentials-state.test.ts",
  "lib/pairing/provider-seam.test.ts",
  "lib/pairing/rename.test.ts",
  "lib/pairing/reveal.test.ts",
  "lib/pairing/target.test.ts",
  "lib/pairing/terminal-queries.test.ts",
  "lib/registers/import.test.ts",
  "lib/registers/pairing-routes.test.ts",
  "lib/transactions/apply.test.ts",
  "lib/transactions/operations.test.ts",
  "lib/transactions/queries.test.ts",
  "lib/users/queries.test.ts",
  "lib/users/users.test.ts",
  "lib/webhooks/receive.test.ts",
];

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  resolve: {
    alias: {
      "server-only": path.resolve(import.meta.dirname, "lib/test/empty.ts"),
      "@": path.resolve(import.meta.dirname),
    },
  },
  test: {
    environment: "node",
    include: onPostgres ? POSTGRES_SUITE : ["lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.tsx"],
    pool: "forks",
    setupFiles: ["lib/test/engine-env.ts", "lib/test/no-promise-assertions.ts"],
    globalSetup: onPostgres ? ["lib/test/postgres-global-setup.ts"] : [],
    // A hang detector, not a speed target: no test asserts how long something took (they poll
    // for a condition, or move a clock of their own), so a busy machine only makes them slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
