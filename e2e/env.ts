import { chromium } from "@playwright/test";
import fs from "node:fs";

export {
  E2E_AUTH_DIR,
  E2E_DB,
  E2E_DIR,
  E2E_INTEGRATOR_ID,
  E2E_PORT,
  E2E_SERVER_LOG,
  E2E_URL,
} from "./constants.mjs";

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
