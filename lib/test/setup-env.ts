/**
 * Test configuration for modules that read getEnv(): a temporary data folder and fixed keys.
 * Import it first in a test file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const testDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-test-"));
Object.assign(process.env, {
  PAIRDESK_MODE: "test",
  DATABASE_PATH: path.join(testDataDir, "pairdesk.db"),
  AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
  VAULT_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)).toString("base64"),
  LOG_LEVEL: "silent",
});
