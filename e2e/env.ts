import { chromium } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DIR = path.resolve(".e2e");
export const E2E_DB = path.join(E2E_DIR, "pairdesk.db");
export const E2E_INTEGRATOR_ID = "e2e-integrator";
/** The client's timeout in the E2E server: the "slow" simulator switch answers after it. */
export const E2E_TIMEOUT_MS = 2_500;

/** CHROMIUM_PATH, else Playwright's own Chromium if installed, else Debian's. */
export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const own = chromium.executablePath();
    if (own && fs.existsSync(own)) return undefined;
  } catch {
    // no browser of Playwright's own: use Debian's
  }
  return "/usr/bin/chromium";
}
