import { spawnSync } from "node:child_process";
import path from "node:path";
import { expectNoSeriousViolationsInSchemes } from "./axe";
import { createUser, expect, signIn, test } from "./fixtures";
import { ageSignInFailures, auditRows, disableUserInDb } from "./seed";

// Sign-in itself is under test here: these tests sign in through the form with users of their own
// (never the shared sessions), and the deliberate failures use their own emails.

test.describe("sign-in", () => {
  test("signs in, shows the user and role, and signs out", async ({ page }) => {
    const admin = await createUser("admin", "Ada Admin");
    await signIn(page, admin);
    await expect(page.getByTestId("current-user")).toHaveText("Ada Admin");
    await expect(page.getByTestId("current-role")).toHaveText("admin");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const link of ["Dashboard", "Terminals", "Pairing attempts", "Audit log", "Users"]) {
      await expect(nav.getByRole("link", { name: link })).toBeVisible();
    }
    expect((await auditRows({ actorId: admin.id })).map((a) => a.action)).toEqual(["auth.sign_in"]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("signed-out")).toHaveText("You are signed out. This session has ended on the server too.");
    await page.goto("/terminals");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  });

  test("a wrong password says so, and repeated failures are slowed down, not locked", async ({ page }) => {
    const user = await createUser("support");
    await page.goto("/login");
    // The first five failures answer at once; after them each attempt must wait (1 s, 2 s, 4 s…).
    let throttled: string | null = null;
    for (let i = 0; i < 12 && !throttled; i++) {
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(`wrong-password-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      const shown = page.getByTestId("login-error");
      await expect(shown).toHaveText(/Email or password is incorrect|Too many failed sign-in attempts/);
      const text = await shown.innerText();
      if (text.startsWith("Too many")) throttled = text;
      else expect(i).toBeLessThan(8);
    }
    expect(throttled).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/);
    await expectNoSeriousViolationsInSchemes(page, "login page with an error");
    expect((await auditRows({ action: "auth.sign_in_failed", actorId: user.id })).length).toBeGreaterThanOrEqual(5);
    // Once the (short) delay has passed, the right password signs in: the failures are moved that
    // far into the past rather than waited out.
    const seconds = Number(/in (\d+) second/.exec(throttled!)![1]);
    expect(seconds).toBeLessThanOrEqual(60);
    ageSignInFailures(user.email, seconds * 1000 + 1000);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  });

  test("before hydration the login form cannot send the password in a URL", async ({ browser }) => {
    // Without JavaScript the page stays as the server rendered it: as it is before hydration.
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      const form = page.locator("form").filter({ has: page.getByLabel("Password") });
      await expect(form).toHaveAttribute("method", "post");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
      await page.getByLabel("Email").fill("someone@e2e.test");
      await page.getByLabel("Password").fill("typed-before-hydration");
      await page.getByLabel("Password").press("Enter");
      await page.waitForLoadState();
      expect(page.url()).not.toContain("typed-before-hydration");
    } finally {
      await context.close();
    }
  });

  test("an unknown email gets the same message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(`nobody-${Date.now().toString(36)}@e2e.test`);
    await page.getByLabel("Password").fill("whatever-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect");
  });

  test("pages and the dashboard API refuse a signed-out visitor", async ({ page, request }) => {
    await page.goto("/terminals/pair");
    await expect(page).toHaveURL(/\/login/);
    const res = await request.get("/api/dashboard", { maxRedirects: 0 });
    expect(res.status()).toBe(401);
  });

  test("a session ended in the database is refused by the dashboard API itself, not only by the proxy", async ({ page }) => {
    const user = await createUser("support");
    await signIn(page, user);
    const ok = await page.request.get("/api/dashboard", { maxRedirects: 0 });
    expect(ok.status()).toBe(200);

    // What disabling the user does; the JWT in the browser stays valid, so the proxy lets it through.
    await disableUserInDb(user.id);
    const res = await page.request.get("/api/dashboard", { maxRedirects: 0 });
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: "Your session has ended. Sign in again.", code: "unauthenticated" });

    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("hardening", () => {
  test("pages carry the security headers and no-store", async ({ request, page }) => {
    const res = await request.get("/login");
    const h = res.headers();
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(h["referrer-policy"]).toBe("no-referrer");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["cache-control"]).toContain("no-store");

    const admin = await createUser("admin");
    await signIn(page, admin);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name.includes("next-auth.session-token"));
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });

  test("a production start without secrets stops and names the variable", () => {
    const next = path.resolve("node_modules/.bin/next");
    const env = { ...process.env, NODE_ENV: "production", PAIRDESK_MODE: "", AUTH_SECRET: "", VAULT_KEY: "", DATABASE_PATH: path.resolve(".e2e/prod-check/x.db") } as NodeJS.ProcessEnv;
    delete env.PAIRDESK_MODE;
    delete env.PUBLIC_URL;
    delete env.PAIRDESK_SIMULATOR;
    const noSecret = spawnSync(next, ["start", "-p", "3199"], { env, encoding: "utf8", timeout: 30_000 });
    expect(noSecret.status).toBe(1);
    expect(noSecret.stderr).toContain("AUTH_SECRET is missing");

    const weakKey = spawnSync(next, ["start", "-p", "3199"], {
      env: { ...env, AUTH_SECRET: "a-strong-enough-auth-secret-for-this-test-0123", VAULT_KEY: "c2hvcnQ=" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(weakKey.status).toBe(1);
    expect(weakKey.stderr).toContain("VAULT_KEY key \"k1\" decodes to 5 bytes");

    const simulator = spawnSync(next, ["start", "-p", "3199"], {
      env: {
        ...env,
        AUTH_SECRET: "a-strong-enough-auth-secret-for-this-test-0123",
        VAULT_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i * 5 + 3)).toString("base64"),
        PAIRDESK_SIMULATOR: "on",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(simulator.status).toBe(1);
    expect(simulator.stderr).toContain("PAIRDESK_SIMULATOR is on: a production start refuses the simulator");

    const noPublicUrl = spawnSync(next, ["start", "-p", "3199"], {
      env: {
        ...env,
        AUTH_SECRET: "a-strong-enough-auth-secret-for-this-test-0123",
        VAULT_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i * 5 + 3)).toString("base64"),
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(noPublicUrl.status).toBe(1);
    expect(noPublicUrl.stderr).toContain("PUBLIC_URL must be the https address where browsers and Pay-Connect reach Pairdesk");
  });
});
