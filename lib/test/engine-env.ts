/**
 * Which engine the unit tests run on (a Vitest setup file, before any test module loads):
 * Postgres when TEST_DATABASE_URL is set (`npm run test:unit:postgres`), else SQLite. A
 * DATABASE_URL left in the shell never moves the SQLite run onto Postgres.
 */
if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
else delete process.env.DATABASE_URL;
