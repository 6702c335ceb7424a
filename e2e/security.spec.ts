/**
 * Sign-in, sessions, throttling and bad input, as a browser and as a hostile client see them.
 * Every test uses its own fresh users (other tests run at the same time).
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { actionId, callAction } from "./actions";
import { expectNoSeriousViolations, expectNoSeriousViolationsInSchemes } from "./axe";
import { appDb, createUser, expect, serverLog, signIn, test, type TestUser } from "./fixtures";
import { pairByAction } from "./payments";
import { ageSignInFailures, uniqueTag } from "./seed";

const TOO_MANY = /^Too many failed sign-in attempts\. Try again in (\d+) seconds?\.$/;

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

function failedSignIns(userId: number): number {
  return Number(one("select count(*) n from audit_log where action = 'auth.sign_in_failed' and target_id = ?", String(userId))!.n);
}

/** next-auth's CSRF token (its cookie goes into the request context). */
async function csrfTokenOf(request: APIRequestContext): Promise<string> {
  return ((await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
}

/** One sign-in through next-auth's credentials callback, as the login form sends it. */
async function postSignIn(
  request: APIRequestContext,
  fields: { email: string; password: string; callbackUrl?: string },
  headers: Record<string, string> = {},
  csrf?: string,
) {
  const csrfToken = csrf ?? (await csrfTokenOf(request));
  const res = await request.post("/api/auth/callback/credentials", {
    form: { ...fields, csrfToken, json: "true", callbackUrl: fields.callbackUrl ?? "/" },
    headers,
    maxRedirects: 0,
  });
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const url = body.url ? new URL(body.url) : null;
  return { status: res.status(), url, error: url?.searchParams.get("error") ?? null };
}

/** Types a sign-in into the login form and returns what it shows, or "signed in". */
async function tryLoginForm(page: Page, user: { email: string; password: string }): Promise<string> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const dashboard = page.getByRole("heading", { level: 1, name: "Dashboard" });
  const error = page.getByTestId("login-error");
  await expect(dashboard.or(error)).toBeVisible();
  return (await dashboard.isVisible()) ? "signed in" : (await error.innerText()).trim();
}

/** Fails the login form with wrong passwords until it says "Too many…"; returns that message. */
async function failUntilThrottled(page: Page, email: string): Promise<string> {
  for (let i = 0; i < 12; i++) {
    const shown = await tryLoginForm(page, { email, password: `wrong-password-${i}-${randomBytes(3).toString("hex")}` });
    if (TOO_MANY.test(shown)) return shown;
    expect(shown).toBe("Email or password is incorrect");
  }
  throw new Error("never throttled");
}

test.describe("open redirect", () => {
  test("a callbackUrl that normalises to //evil.example lands on the dashboard of this site", async ({ page, baseURL }) => {
    const user = await createUser("viewer");
    await page.goto("/login?callbackUrl=%2F.%2F%2Fevil.example");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    expect(new URL(page.url()).pathname).toBe("/");

    // Signed in already, the login page sends the browser on, to this site only.
    await page.goto("/login?callbackUrl=%2F%5Cevil.example");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await page.goto("/login?callbackUrl=%2Fterminals");
    await expect(page).toHaveURL(/\/terminals$/);
  });

  test("next-auth's own redirect answers only addresses of this site", async ({ playwright, baseURL }) => {
    const user = await createUser("viewer");
    const request = await playwright.request.newContext({ baseURL });
    try {
      for (const callbackUrl of ["/.//evil.example", "//evil.example", "https://evil.example/x", "/\\evil.example"]) {
        const res = await postSignIn(request, { email: user.email, password: user.password, callbackUrl });
        expect(res.url?.origin, callbackUrl).toBe(new URL(baseURL!).origin);
        expect(res.url?.pathname.startsWith("//"), callbackUrl).toBe(false);
      }
    } finally {
      await request.dispose();
    }
  });
});

test.describe("sign-in throttling", () => {
  test("12 parallel wrong passwords: only the 5 free ones are checked", async ({ playwright, baseURL }) => {
    const user = await createUser("support");
    const request = await playwright.request.newContext({ baseURL });
    try {
      const csrf = await csrfTokenOf(request);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => postSignIn(request, { email: user.email, password: `wrong-password-${i}` }, {}, csrf)),
      );
      const errors = results.map((r) => r.error ?? "signed in");
      const checked = errors.filter((e) => e === "Email or password is incorrect").length;
      // The 5 free ones, and at most one or two more if the requests arrived spread over the
      // first waits (1 s, then 2 s): never all twelve.
      expect(checked).toBeGreaterThanOrEqual(5);
      expect(checked).toBeLessThanOrEqual(7);
      expect(errors.filter((e) => TOO_MANY.test(e)).length).toBe(12 - checked);
      expect(failedSignIns(user.id)).toBe(checked);
    } finally {
      await request.dispose();
    }
  });

  test("a forged X-Forwarded-For is not taken as the client's address (no trusted proxy configured)", async ({ playwright, baseURL }) => {
    const user = await createUser("support");
    const request = await playwright.request.newContext({ baseURL });
    try {
      const forged = `203.0.113.${1 + (randomBytes(1)[0]! % 200)}`;
      const res = await postSignIn(request, { email: user.email, password: "wrong-password-x" }, { "X-Forwarded-For": forged });
      expect(res.error).toBe("Email or password is incorrect");
      const keys = appDb().prepare("select key from sign_in_failures where key like ?").all(`%${forged}%`);
      expect(keys).toEqual([]);
      expect(one("select count(*) n from sign_in_failures where key = ?", `email+address:${user.email}|unknown`)).toEqual({ n: 1 });
    } finally {
      await request.dispose();
    }
  });

  test("someone who knows the email slows down new browsers but cannot lock its owner out", async ({ browser }) => {
    const owner = await createUser("support");
    // The owner's usual browser: signed in before, so it is a known device.
    const ownerCtx = await browser.newContext();
    const ownerPage = await ownerCtx.newPage();
    await signIn(ownerPage, owner);
    await ownerPage.getByRole("button", { name: "Sign out" }).click();
    await expect(ownerPage).toHaveURL(/\/login/);

    // An attacker fails on purpose until throttled.
    const attackerCtx = await browser.newContext();
    const attacker = await attackerCtx.newPage();
    await attacker.goto("/login");
    await failUntilThrottled(attacker, owner.email);

    // The owner, on their usual browser: in at once, with the right password.
    expect(await tryLoginForm(ownerPage, owner)).toBe("signed in");

    // The attacker keeps going (three more failures, as seeded rows: the UI would have to wait out
    // each delay first): on a new browser the owner is slowed (seconds, never 15 minutes), then let in.
    const insert = appDb().prepare("insert into sign_in_failures (key, at) values (?, ?)");
    for (let i = 0; i < 3; i++) insert.run(`email+address:${owner.email}|unknown`, Date.now());
    const newCtx = await browser.newContext();
    const fresh = await newCtx.newPage();
    await fresh.goto("/login");
    const shown = await tryLoginForm(fresh, owner);
    const match = TOO_MANY.exec(shown);
    expect(match, shown).not.toBeNull();
    const seconds = Number(match![1]);
    expect(seconds).toBeLessThanOrEqual(60);
    ageSignInFailures(owner.email, seconds * 1000 + 1000); // as if that wait had passed
    expect(await tryLoginForm(fresh, owner)).toBe("signed in");
    await Promise.all([ownerCtx.close(), attackerCtx.close(), newCtx.close()]);
  });

  test("wrong passwords before a reveal are counted on their own and never lock the sign-in", async ({ page, browser }) => {
    const admin = await createUser("admin");
    await signIn(page, admin);
    const { pairingId } = await pairByAction(page, `Throttle ${uniqueTag(4)}`);
    const path = new URL(page.url()).pathname;

    // Seven at once: the three free ones are checked, the others wait (1 s, 2 s…).
    const texts = await Promise.all(
      Array.from({ length: 7 }, async (_, i) =>
        (await callAction(page, path, "revealCredentialsAction", { pairingId: String(pairingId), password: `wrong-${i}-password` })).text,
      ),
    );
    const checked = texts.filter((t) => t.includes("That password is incorrect.")).length;
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(checked).toBeLessThanOrEqual(5);
    expect(texts.filter((t) => /Too many wrong passwords\. Try again in \d+ (second|minute)s?\./.test(t)).length).toBe(7 - checked);

    // The sign-in is untouched: a new browser signs in at once.
    const ctx = await browser.newContext();
    const fresh = await ctx.newPage();
    await fresh.goto("/login");
    expect(await tryLoginForm(fresh, admin)).toBe("signed in");
    await ctx.close();
  });
});

test.describe("sessions", () => {
  test("signing out ends that session on the server: a copied cookie opens nothing, other sessions stay", async ({ page, browser }) => {
    const user = await createUser("support");
    await signIn(page, user);
    const copied = await page.context().storageState();

    // The same user, signed in on another browser too.
    const otherCtx = await browser.newContext();
    const other = await otherCtx.newPage();
    await signIn(other, user);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);

    // The cookie copied before signing out.
    const thiefCtx = await browser.newContext({ storageState: copied });
    const thief = await thiefCtx.newPage();
    const api = await thief.request.get("/api/dashboard", { maxRedirects: 0 });
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ error: "Your session has ended. Sign in again.", code: "unauthenticated" });
    await thief.goto("/terminals");
    await expect(thief).toHaveURL(/\/login/);

    // Only that session ended.
    const sessions = appDb().prepare("select ended_at is not null as ended, end_reason from sessions where user_id = ? order by created_at").all(user.id);
    expect(sessions).toEqual([
      { ended: 1, end_reason: "sign_out" },
      { ended: 0, end_reason: null },
    ]);
    await other.goto("/terminals");
    await expect(other.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();
    expect((await other.request.get("/api/dashboard")).status()).toBe(200);
    await Promise.all([thiefCtx.close(), otherCtx.close()]);
  });
});

test.describe("bad input gets a 4xx with a clear message", () => {
  let admin: TestUser;
  test.beforeEach(async ({ page }) => {
    admin = await createUser("admin");
    await signIn(page, admin);
  });

  async function rawAction(page: Page, pathname: string, name: string, body: { multipart?: FormData; text?: string }) {
    const res = await page.request.fetch(pathname, {
      method: "POST",
      headers: { "Next-Action": actionId(name), Accept: "text/x-component", ...(body.text ? { "Content-Type": "text/plain;charset=UTF-8" } : {}) },
      ...(body.multipart ? { multipart: body.multipart } : { data: body.text }),
    });
    return { status: res.status(), text: await res.text() };
  }

  test("a server action called with arguments that are not form data", async ({ page }) => {
    const email = `not-form-${randomBytes(4).toString("hex")}@e2e.test`;
    const form = new FormData();
    form.append("0", JSON.stringify(["$undefined", email]));
    const multipart = await rawAction(page, "/users", "addUser", { multipart: form });
    expect(multipart.status).toBe(400);
    expect(multipart.text).toContain("its arguments are not form data");

    const text = await rawAction(page, "/users", "addUser", { text: JSON.stringify(["$undefined", { email }]) });
    expect(text.status).toBe(400);
    expect(text.text).toContain("sent as multipart form data");
    expect(one("select count(*) n from users where email = ?", email)).toEqual({ n: 0 });
  });

  test("crafted action requests answer 4xx with one quiet log line: long or odd argument lists, another site's Origin, a forged X-Forwarded-Host, another page's action", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const email = `crafted-${randomBytes(4).toString("hex")}@e2e.test`;
    const logBefore = serverLog().length;
    const fields = (root: unknown[], extra: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ "1_email": email, "1_password": `A good long password ${email}`, "1_role": "viewer", ...extra })) form.append(k, v);
      form.append("0", JSON.stringify(root));
      return form;
    };
    const long = await rawAction(page, "/users", "addUser", { multipart: fields([...Array(5000).fill("$undefined"), "$K1"]) });
    expect(long).toEqual({ status: 400, text: expect.stringContaining("it has 5001 arguments") });
    const odd = await rawAction(page, "/users", "addUser", { multipart: fields(["$@1", "$Q1", "$K1"], { "1": "x" }) });
    expect(odd).toEqual({ status: 400, text: expect.stringContaining("it holds a reference no Pairdesk form sends ($@1)") });

    const fromSite = async (headers: Record<string, string>) => {
      const res = await page.request.fetch("/users", {
        method: "POST",
        headers: { "Next-Action": actionId("addUser"), Accept: "text/x-component", ...headers },
        multipart: fields(["$undefined", "$K1"]),
      });
      return { status: res.status(), text: await res.text() };
    };
    for (const origin of ["http://evil.example", "null"]) {
      const refused = await fromSite({ Origin: origin });
      expect(refused.status, origin).toBe(403);
      expect(refused.text).toContain("This form submission was refused");
    }
    // A forged X-Forwarded-Host that matches the forged Origin counts for nothing without a trusted proxy.
    expect((await fromSite({ Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" })).status).toBe(403);
    expect(one("select count(*) n from users where email = ?", email)).toEqual({ n: 0 });

    // Signed out, a Pairdesk action posted to the sign-in page or the simulator.
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      for (const pathname of ["/login", "/simulator"]) {
        const res = await anonymous.fetch(pathname, {
          method: "POST",
          headers: { "Next-Action": actionId("chargeAction"), Accept: "text/x-component" },
          multipart: fields(["$undefined", "$K1"]),
        });
        expect(res.status(), pathname).toBe(404);
        expect(await res.text()).toContain("it names a form of another page");
      }
    } finally {
      await anonymous.dispose();
    }
    // Two argument lists (React decodes the last, a check reading the first would pass it).
    const twice = fields(["$undefined", "$K1"]);
    twice.append("0", JSON.stringify(["$@1", "$Q1", "$K1"]));
    expect(await rawAction(page, "/users", "addUser", { multipart: twice })).toEqual({ status: 400, text: expect.stringContaining("more than one argument list") });
    // A form posted without JavaScript (no Next-Action header): the same checks.
    const noJs = new FormData();
    noJs.append(`$ACTION_ID_${actionId("chargeAction")}`, "");
    noJs.append("email", email);
    const foreign = await page.request.fetch("/users", { method: "POST", headers: { Origin: "http://evil.example" }, multipart: noJs });
    expect(foreign.status()).toBe(403);
    const elsewhere = await page.request.fetch("/users", { method: "POST", multipart: noJs });
    expect(elsewhere.status()).toBe(400);
    expect(await elsewhere.text()).toContain("it names a form of another page");
    // Paths the proxy used to skip.
    const icon = await page.request.fetch("/favicon.ico", { method: "POST", headers: { "Next-Action": actionId("chargeAction") }, multipart: fields(["$undefined", "$K1"]) });
    expect(icon.status()).toBe(404);
    // Quiet: no stack, no uncaught exception, one warning line a request.
    await expect.poll(() => serverLog().slice(logBefore).match(/"event":"action_refused"/g)?.length ?? 0).toBeGreaterThanOrEqual(11);
    const logged = serverLog().slice(logBefore);
    expect(logged).not.toMatch(/uncaughtException|Error: aborted|Invalid Server Actions request|arguments list is too long|Invalid forward reference|enqueueModel|Failed to find Server Action/);
  });

  test("an action body over the size limit, and a long value is not echoed back", async ({ page }) => {
    const email = `big-${randomBytes(4).toString("hex")}@e2e.test`;
    const huge = await callAction(page, "/users", "addUser", { email, name: "n".repeat(900 * 1024), password: `A good long password ${email}`, role: "viewer" });
    expect(huge.status).toBe(413);
    expect(huge.text).toMatch(/This form submission is too large \(\d+ bytes; at most 65536\)/);
    expect(huge.text.length).toBeLessThan(1000);

    const long = "m".repeat(30 * 1024);
    const refused = await callAction(page, "/users", "addUser", { email, name: long, password: `A good long password ${email}`, role: "viewer" });
    expect(refused.status).toBe(200);
    expect(refused.text).toContain("Name must be at most 100 characters.");
    expect(refused.text).not.toContain(long);
    expect(one("select count(*) n from users where email = ?", email)).toEqual({ n: 0 });
  });

  test("a sign-in with a 3 MB password is refused before it is read or hashed", async ({ playwright, baseURL }) => {
    const user = await createUser("viewer");
    const request = await playwright.request.newContext({ baseURL });
    try {
      // 413: the body limit refused it (the rest of the body unread), so nothing was hashed.
      const res = await postSignIn(request, { email: user.email, password: "p".repeat(3 * 1024 * 1024) });
      expect(res.status).toBe(413);
      // Just over the cap, under the body limit: refused by the sign-in itself, not counted.
      const long = await postSignIn(request, { email: user.email, password: "p".repeat(201) });
      expect(long.error).toBe("Email or password is too long: an email has at most 254 characters, a password at most 200.");
      expect(failedSignIns(user.id)).toBe(0);
    } finally {
      await request.dispose();
    }
  });

  test("malformed percent-encoding in a path, and an own-property lookup of ?need=", async ({ page }) => {
    const malformed = await page.request.get("/terminals/%ZZ", { maxRedirects: 0 });
    expect(malformed.status()).toBe(400);
    expect(await malformed.text()).toContain("malformed percent-encoding");

    const need = await page.request.get("/forbidden?need=constructor", { maxRedirects: 0 });
    expect(need.status()).toBe(404);
    const unknown = await page.request.get("/no-such-page", { maxRedirects: 0 });
    expect(unknown.status()).toBe(404);
  });
});

test("a page a role may not open answers 403 with the reason", async ({ page }) => {
  const viewer = await createUser("viewer");
  await signIn(page, viewer);
  const res = await page.request.get("/users", { maxRedirects: 0 });
  expect(res.status()).toBe(403);
  const pair = await page.request.get("/terminals/pair", { maxRedirects: 0 });
  expect(pair.status()).toBe(403);
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
  await expect(page.getByText("Your role (viewer) cannot manage users.")).toBeVisible();
  await expectNoSeriousViolations(page, "forbidden page");
});

test("a terminal that does not exist answers 404, not a 200 page that says so", async ({ page, asRole }) => {
  await asRole("viewer");
  for (const path of ["/terminals/999999999", "/terminals/abc", "/terminals/0"]) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(404);
    expect(await res.text(), path).toContain("Page not found");
  }
  await page.goto("/terminals/999999999");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "page not found");
  // The pages still answer 200 when they exist.
  expect((await page.request.get("/terminals", { maxRedirects: 0 })).status()).toBe(200);
  expect((await page.request.get("/", { maxRedirects: 0 })).status()).toBe(200);
});
