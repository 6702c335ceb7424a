// The E2E suite's constants, in plain ESM so that e2e/serve.mjs (run by node) and the TypeScript
// side (e2e/env.ts, playwright.config.ts) share one definition. Types: constants.d.mts.
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_URL = `http://localhost:${E2E_PORT}`;
/** Everything the suite writes: the database, the server log, the saved sessions. Fresh each run. */
export const E2E_DIR = path.resolve(".e2e");
export const E2E_DB = path.join(E2E_DIR, "pairdesk.db");
export const E2E_SERVER_LOG = path.join(E2E_DIR, "server.log");
/** Where the setup project saves each role's signed-in session (`<role>.json`). */
export const E2E_AUTH_DIR = path.join(E2E_DIR, "auth");
export const E2E_INTEGRATOR_ID = "e2e-integrator";
/** The client's timeout in the E2E server: the "slow" simulator switch answers after it. */
export const E2E_TIMEOUT_MS = 2_500;
