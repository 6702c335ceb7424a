/**
 * Merchants, end to end (issue 6): a merchant admin pairs into their own merchant; another
 * merchant's admin sees none of it anywhere (list, search, URL, CSV export, dashboard counts);
 * support pairs into the merchant it chooses; a suspended merchant's people cannot sign in and
 * are signed out. Every merchant and user here is the test's own (another worker runs beside).
 */
import fs from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { setMerchantStatus } from "../lib/merchants/merchants";
import { appDb, createUser, expect, signIn, simOtp, simTerminal, submitPairForm, test, type TestUser } from "./fixtures";
import { attempts, e2eDb, seedMerchant, seedPairing, seedTerminal, terminalByTerminalId, uniqueTag } from "./seed";

/** lib/auth/auth.ts's MERCHANT_SUSPENDED_LOGIN (that module is server-only). */
const MERCHANT_SUSPENDED_LOGIN = "Your merchant's access to Pairdesk is suspended. Ask the integrator's support to reactivate it.";

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

/** A browser of its own, signed in as `user`. */
async function signedIn(browser: Browser, user: TestUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

async function dashboardCounts(page: Page): Promise<{ sandbox: number; production: number }> {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  return {
    sandbox: Number(await page.getByTestId("count-sandbox").innerText()),
    production: Number(await page.getByTestId("count-production").innerText()),
  };
}

/** The terminal ids in the terminal list as shown at `url`. */
async function listedTerminalIds(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();
  return page.getByRole("table").innerText();
}

test("a merchant admin of A pairs through the simulator; the merchant admin of B sees it nowhere", async ({ browser }) => {
  // Two browsers and some twenty page loads on a shared machine.
  test.setTimeout(120_000);
  const a = await seedMerchant(`Merchant A ${uniqueTag(4)}`);
  const b = await seedMerchant(`Merchant B ${uniqueTag(4)}`);
  const adminA = await createUser("merchant-admin", "", a.id);
  const adminB = await createUser("merchant-admin", "", b.id);
  const pageA = await signedIn(browser, adminA);
  const pageB = await signedIn(browser, adminB);
  const beforeA = await dashboardCounts(pageA);
  const beforeB = await dashboardCounts(pageB);

  // A pairs a simulated terminal: into A, without choosing (and without seeing other merchants).
  const terminalId = await simTerminal(pageA.request);
  const name = `A till ${uniqueTag()}`;
  await pageA.goto("/terminals/pair");
  await expect(pageA.getByTestId("pair-merchant")).toHaveText(`Pairing into ${a.name}`);
  await expect(pageA.getByLabel("Merchant", { exact: true })).toHaveCount(0);
  await submitPairForm(pageA, { name, otp: await simOtp(pageA.request, terminalId) });
  await expect(pageA.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await expect(pageA.getByTestId("paired-notice")).toBeVisible();
  // A merchant admin may unpair, never reveal; no merchant name is shown to a merchant's people.
  await expect(pageA.getByRole("button", { name: "Unpair" })).toBeVisible();
  await expect(pageA.getByRole("button", { name: "Reveal credentials" })).toHaveCount(0);
  await expect(pageA.getByTestId("terminal-merchant")).toHaveCount(0);
  const ref = (await terminalByTerminalId(terminalId))!.id;

  // The database: the terminal, its pairing and the attempt are A's.
  expect(one("select merchant_id from terminals where id = ?", ref)).toEqual({ merchant_id: a.id });
  expect(one("select merchant_id, status from pairings where terminal_ref = ?", ref)).toEqual({ merchant_id: a.id, status: "active" });
  expect(await attempts({ name, createdById: adminA.id })).toMatchObject([{ status: "succeeded" }]);
  expect(one("select merchant_id from pairing_attempts where name = ?", name)).toEqual({ merchant_id: a.id });

  // A sees it (so that B's empty answers below are not empty for another reason).
  expect(await listedTerminalIds(pageA, "/terminals")).toContain(terminalId);
  expect(await listedTerminalIds(pageA, `/terminals?q=${encodeURIComponent(name)}`)).toContain(terminalId);
  expect(await dashboardCounts(pageA)).toEqual({ ...beforeA, sandbox: beforeA.sandbox + 1 });

  // B: not in the list, not by terminal id or pairing name, not even asking for A's merchant.
  for (const url of [
    "/terminals",
    `/terminals?q=${terminalId}`,
    `/terminals?q=${encodeURIComponent(name)}`,
    `/terminals?merchant=${a.id}`,
    `/terminals?merchant=${a.id}&q=${terminalId}`,
  ]) {
    const table = await listedTerminalIds(pageB, url);
    expect(table, url).not.toContain(terminalId);
    expect(table, url).not.toContain(name);
  }
  await pageB.goto(`/terminals?q=${terminalId}`);
  await expect(pageB.getByText("No terminals match these filters.")).toBeVisible();

  // Not at its URL: 404, the same page as a terminal that does not exist.
  const direct = await pageB.request.get(`/terminals/${ref}`, { maxRedirects: 0 });
  expect(direct.status()).toBe(404);
  const body = await direct.text();
  expect(body).toContain("Page not found");
  expect(body).not.toContain(terminalId);
  expect(body).not.toContain(a.name);
  await pageB.goto(`/terminals/${ref}`);
  await expect(pageB.getByRole("heading", { name: "Page not found" })).toBeVisible();

  // Not in the CSV export (the list's Export CSV link, all of B's terminals), nor asked for by id.
  await pageB.goto("/terminals");
  const [download] = await Promise.all([
    pageB.waitForEvent("download"),
    pageB.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const csv = await fs.readFile((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toContain("terminal_id");
  expect(csv).not.toContain(terminalId);
  expect(csv).not.toContain(name);
  const byId = await pageB.request.get(`/api/terminals/export?q=${terminalId}&merchant=${a.id}`);
  expect(byId.status()).toBe(200);
  const byIdText = await byId.text();
  expect(byIdText).not.toContain(terminalId);
  expect(byIdText.trim().split("\n")).toHaveLength(1);

  // Not in the dashboard's counts.
  expect(await dashboardCounts(pageB)).toEqual(beforeB);
  await pageA.context().close();
  await pageB.context().close();
});

test("support pairs a terminal into B by choosing B; the form preselects, refuses and keeps the choice", async ({ page, asRole }) => {
  const support = await asRole("support");
  const b = await seedMerchant(`Merchant B ${uniqueTag(4)}`);
  const suspended = await seedMerchant(`Suspended ${uniqueTag(4)}`, "suspended");

  // The choice: active merchants only, none chosen (there are several), a placeholder first.
  await page.goto("/terminals/pair");
  const merchant = page.getByLabel("Merchant", { exact: true });
  await expect(merchant).toHaveValue("");
  await expect(merchant.locator("option").first()).toHaveText("Choose a merchant");
  await expect(merchant.locator("option", { hasText: b.name })).toHaveCount(1);
  await expect(merchant.locator("option", { hasText: suspended.name })).toHaveCount(0);

  // None chosen: the field says so, and nothing is recorded.
  const unchosen = `Unchosen ${uniqueTag()}`;
  await page.getByLabel("Name").fill(unchosen);
  await page.getByLabel("OTP").fill("ABCD2345");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.locator("#merchantId-error")).toHaveText("Choose the merchant this terminal belongs to.");
  await expect(merchant).toHaveAttribute("aria-invalid", "true");
  expect(await attempts({ name: unchosen })).toEqual([]);

  // A failed attempt (an OTP no terminal shows) keeps the chosen merchant.
  await merchant.selectOption({ label: b.name });
  const rejected = `Rejected ${uniqueTag()}`;
  await page.getByLabel("Name").fill(rejected);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("pair-error")).toContainText("The OTP was rejected");
  await expect(merchant).toHaveValue(String(b.id));
  expect(one("select merchant_id, status from pairing_attempts where name = ?", rejected)).toEqual({ merchant_id: b.id, status: "failed" });

  // The switcher's merchant is preselected.
  await page.goto(`/terminals/pair?merchant=${b.id}`);
  await expect(merchant).toHaveValue(String(b.id));

  // Support pairs into B by choosing B.
  const terminalId = await simTerminal(page.request);
  const name = `Into B ${uniqueTag()}`;
  await submitPairForm(page, { name, otp: await simOtp(page.request, terminalId), merchant: b.name });
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await expect(page.getByTestId("terminal-merchant")).toContainText(b.name);
  const ref = (await terminalByTerminalId(terminalId))!.id;
  expect(one("select merchant_id from terminals where id = ?", ref)).toEqual({ merchant_id: b.id });
  expect(one("select merchant_id, created_by_id from pairings where terminal_ref = ?", ref)).toEqual({
    merchant_id: b.id,
    created_by_id: support.id,
  });
});

test("a merchant suspended while the form is open is refused under the Merchant field, recording nothing", async ({ page, asRole }) => {
  await asRole("support");
  const m = await seedMerchant(`Soon suspended ${uniqueTag(4)}`);
  await page.goto(`/terminals/pair?merchant=${m.id}`);
  await expect(page.getByLabel("Merchant", { exact: true })).toHaveValue(String(m.id));
  await setMerchantStatus(e2eDb(), m.id, "suspended", null);
  const name = `Refused ${uniqueTag()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("OTP").fill("ABCD2345");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.locator("#merchantId-error")).toHaveText(
    `${m.name} is suspended: nothing can be paired into it. Reactivate it on the Merchants page first.`,
  );
  await expect(page.getByLabel("Merchant", { exact: true })).toHaveValue(String(m.id));
  expect(await attempts({ name })).toEqual([]);
});

test("the terminal page: staff see its merchant and an earlier merchant's pairing; that merchant's people see only their own", async ({
  page,
  asRole,
  browser,
}) => {
  test.setTimeout(90_000);
  const before = await seedMerchant(`Earlier ${uniqueTag(4)}`);
  const now = await seedMerchant(`Current ${uniqueTag(4)}`);
  const staff = await asRole("admin");
  const terminal = await seedTerminal({ merchantId: now.id });
  const old = await seedPairing({ terminalRef: terminal.id, merchantId: before.id, name: `Old ${uniqueTag()}`, status: "replaced", createdById: staff.id });
  const current = await seedPairing({ terminalRef: terminal.id, merchantId: now.id, name: `New ${uniqueTag()}`, createdById: staff.id });

  await page.goto(`/terminals/${terminal.id}`);
  await expect(page.getByTestId("terminal-merchant")).toHaveText(`Merchant ${now.name}`);
  await expect(page.getByTestId(`pairing-${old.id}`).getByTestId("pairing-merchant")).toHaveText(
    `${before.name} (the terminal has since moved)`,
  );
  await expect(page.getByTestId(`pairing-${current.id}`).getByTestId("pairing-merchant")).toHaveCount(0);

  // The current merchant's admin: its own pairing only, Unpair but no Reveal, no merchant names.
  const admin = await signedIn(browser, await createUser("merchant-admin", "", now.id));
  await admin.goto(`/terminals/${terminal.id}`);
  await expect(admin.getByTestId(`pairing-${current.id}`)).toBeVisible();
  await expect(admin.getByTestId(`pairing-${old.id}`)).toHaveCount(0);
  await expect(admin.getByRole("button", { name: "Unpair" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Reveal credentials" })).toHaveCount(0);
  const text = await admin.locator("main").innerText();
  expect(text).not.toContain(before.name);
  expect(text).not.toContain(now.name);
  await admin.context().close();

  // Its viewer: told who may unpair.
  const viewer = await signedIn(browser, await createUser("merchant-viewer", "", now.id));
  await viewer.goto(`/terminals/${terminal.id}`);
  await expect(viewer.getByTestId("admin-only-note")).toHaveText("Only your merchant's admins can unpair.");
  await expect(viewer.getByRole("button", { name: "Unpair" })).toHaveCount(0);
  await viewer.context().close();

  // The earlier merchant's admin: the terminal is not theirs any more 404.
  const earlier = await signedIn(browser, await createUser("merchant-admin", "", before.id));
  expect((await earlier.request.get(`/terminals/${terminal.id}`, { maxRedirects: 0 })).status()).toBe(404);
  await earlier.context().close();
});

test("a suspended merchant's admin is signed out, and cannot sign in again: the login says the merchant is suspended", async ({ page }) => {
  const m = await seedMerchant(`Suspended later ${uniqueTag(4)}`);
  const admin = await createUser("merchant-admin", "", m.id);
  await signIn(page, admin);
  await page.goto("/terminals");
  await expect(page.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();

  await setMerchantStatus(e2eDb(), m.id, "suspended", null);
  await page.goto("/terminals");
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText(MERCHANT_SUSPENDED_LOGIN);
  await expect(page).toHaveURL(/\/login/);

  // Another of its people, never signed in, is refused the same way.
  const other = await createUser("merchant-viewer", "", m.id);
  await page.getByLabel("Email").fill(other.email);
  await page.getByLabel("Password").fill(other.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText(MERCHANT_SUSPENDED_LOGIN);
});
