/**
 * The "setup" project: one user per role, each signed in once through the login form; its
 * session is saved to .e2e/auth/<role>.json (storageState) and the user to <role>.user.json,
 * for the specs' `asRole(role)` / `sessionState(role)`. Runs before the specs (a dependency of
 * the chromium project), on the fresh database e2e/serve.mjs starts the server with.
 */
import fs from "node:fs";
import { ROLES } from "../lib/db/schema";
import { E2E_AUTH_DIR } from "./env";
import { createUser, saveSessionUser, sessionState, signIn, test as setup } from "./fixtures";

for (const role of ROLES) {
  setup(`sign in once as ${role}`, async ({ page }) => {
    fs.mkdirSync(E2E_AUTH_DIR, { recursive: true, mode: 0o700 });
    const user = await createUser(role, `Shared ${role}`);
    await signIn(page, user);
    await page.context().storageState({ path: sessionState(role) });
    fs.chmodSync(sessionState(role), 0o600);
    saveSessionUser(user);
  });
}
