import type { Page } from "@playwright/test";
import fs from "node:fs/promises";
import { expectNoSeriousViolationsInSchemes } from "./axe";
import { appDb, createUser, expect, signIn, test } from "./fixtures";
import { seedAttempt, seedAudit, seedMerchant, seedTerminalsWithPairings, uniqueTag } from "./seed";

/**
 * The merchant switcher (staff): "All merchants" or one merchant, kept in the URL as
 * `?merchant=<id>` through the sidebar, sorting, paging, filters and CSV links; the merchant
 * column when all merchants are shown; and a merchant's people, who see neither, whatever the URL
 * says. Every test seeds merchants of its own under unique names (another worker shares the
 * database) and asserts on their rows only.
 */

type Seeded = {
  t: string;
  a: { id: number; name: string };
  b: { id: number; name: string };
  /** Actor email of the audit entries seeded for A, B and staff only. */
  actor: string;
};

/**
 * Merchant A: 50 production + 2 sandbox terminals `SWA<t>-NN` (two pages), one attempt, one audit
 * entry. Merchant B: 2 sandbox terminals `SWB<t>-N`, one attempt, one audit entry. And one
 * staff-only audit entry (no merchant).
 */
async function seed(): Promise<Seeded> {
  const t = uniqueTag(3).toUpperCase();
  const a = await seedMerchant(`Switch A ${t}`);
  const b = await seedMerchant(`Switch B ${t}`);
  const creator = await createUser("support");
  const pairing = (name: string) => [{ name, createdById: creator.id }];
  await seedTerminalsWithPairings([
    ...Array.from({ length: 52 }, (_, i) => ({
      terminalId: `SWA${t}-${String(i + 1).padStart(2, "0")}`,
      environment: i < 50 ? ("production" as const) : ("sandbox" as const),
      merchantId: a.id,
      pairings: i % 2 === 0 ? pairing(`A till ${t} ${i + 1}`) : [],
    })),
    ...[1, 2].map((i) => ({
      terminalId: `SWB${t}-${i}`,
      environment: "sandbox" as const,
      merchantId: b.id,
      pairings: pairing(`B till ${t} ${i}`),
    })),
  ]);
  await seedAttempt({ name: `A attempt ${t}`, status: "failed", reason: "Rejected", createdById: creator.id, merchantId: a.id });
  await seedAttempt({ name: `B attempt ${t}`, status: "succeeded", createdById: creator.id, merchantId: b.id });
  const actor = `switch-${t.toLowerCase()}@e2e.test`;
  const entry = async (merchantId: number | null, note: string) => {
    const { id } = await seedAudit({ action: "terminal.unpair", actorEmail: actor, details: { note: `${note} ${t}` } });
    appDb().prepare("update audit_log set merchant_id = ? where id = ?").run(merchantId, id);
  };
  await entry(a.id, "entry of A");
  await entry(b.id, "entry of B");
  await entry(null, "staff entry");
  return { t, a, b, actor };
}

const switcherButton = (page: Page) => page.getByRole("button", { name: /^Merchant: / }).filter({ visible: true });

/** Chooses `name` ("All merchants" or a merchant) in the visible switcher, finding it by name when the list is long. */
async function chooseMerchant(page: Page, name: string) {
  await switcherButton(page).click();
  const find = page.getByRole("textbox", { name: "Find a merchant" }).filter({ visible: true });
  if (name !== "All merchants" && (await find.count()) > 0) await find.fill(name);
  await page.getByRole("list", { name: "Merchants" }).filter({ visible: true }).getByRole("link", { name, exact: true }).click();
}

const terminalIds = (page: Page) => page.getByTestId("terminal-row").locator("td:first-child");
const merchantHeader = (page: Page) => page.getByRole("columnheader", { name: "Merchant" });

test("staff choose a merchant: dashboard, terminals, attempts and audit show that merchant's, through links, sort, paging, filters and CSV", async ({
  page,
  asRole,
}) => {
  test.slow(); // a long story, and two axe scans of a 50-row list
  const { t, a, b, actor } = await seed();
  await asRole("support");
  await page.goto("/");
  await expect(switcherButton(page)).toHaveAccessibleName("Merchant: All merchants");
  await expect(page.getByTestId("dashboard-merchant")).toHaveText("All merchants");

  // A: the dashboard counts A's terminals only.
  await chooseMerchant(page, a.name);
  await expect(page).toHaveURL(`/?merchant=${a.id}`);
  await expect(switcherButton(page)).toHaveAccessibleName(`Merchant: ${a.name}`);
  await expect(page.getByTestId("dashboard-merchant")).toHaveText(a.name);
  await expect(page.getByTestId("count-production")).toHaveText("50");
  await expect(page.getByTestId("count-sandbox")).toHaveText("2");
  await expect(page.getByTestId("breakdown-production")).toHaveText("25 paired · 0 unpaired · 25 never paired");
  await expect(page.getByTestId("attempt-row")).toHaveText([new RegExp(`A attempt ${t}`)]);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "View sandbox terminals" })).toHaveAttribute(
    "href",
    `/terminals?environment=sandbox&merchant=${a.id}`,
  );

  // The sidebar keeps the choice; the list is A's, 52 terminals on two pages.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Terminals" }).click();
  await expect(page).toHaveURL(`/terminals?merchant=${a.id}`);
  await expect(terminalIds(page)).toHaveCount(50);
  await expect(terminalIds(page).first()).toHaveText(`SWA${t}-01`);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expectNoSeriousViolationsInSchemes(page, "terminals of one merchant, 1280 px");
  await expect(page.getByTestId("pagination-summary")).toHaveText("Showing 1–50 of 52 terminals");
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(`/terminals?merchant=${a.id}&page=2`);
  await expect(terminalIds(page)).toHaveText([`SWA${t}-51`, `SWA${t}-52`]);
  // Sorting keeps it (and goes back to page 1).
  await page.getByRole("columnheader", { name: /Environment/ }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`^[^?]*/terminals\\?merchant=${a.id}&sort=environment$`));
  await expect(terminalIds(page).first()).toHaveText(`SWA${t}-01`);
  // A filter keeps it; clearing the filters keeps it.
  await page.getByLabel("Environment").selectOption("sandbox");
  await expect(terminalIds(page)).toHaveText([`SWA${t}-51`, `SWA${t}-52`]);
  await expect(page).toHaveURL(new RegExp(`merchant=${a.id}`));
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(new RegExp(`^[^?]*/terminals\\?merchant=${a.id}&sort=environment$`));
  await expect(terminalIds(page)).toHaveCount(50);

  // Page 2, then B: the same list, B's rows, back to page 1.
  await page.goto(`/terminals?merchant=${a.id}&page=2`);
  await chooseMerchant(page, b.name);
  await expect(page).toHaveURL(`/terminals?merchant=${b.id}`);
  await expect(terminalIds(page)).toHaveText([`SWB${t}-1`, `SWB${t}-2`]);

  // The CSV link carries B, and the file has B's terminals only.
  const exportLink = page.getByRole("link", { name: "Export CSV" });
  await expect(exportLink).toHaveAttribute("href", `/api/terminals/export?merchant=${b.id}`);
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  const lines = (await fs.readFile((await download.path())!, "utf8")).trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const idCol = header.indexOf("terminal_id");
  const merchantCol = header.indexOf("merchant");
  expect(merchantCol).toBeGreaterThanOrEqual(0);
  const rows = lines.slice(1).map((l) => l.split(","));
  expect(rows.map((r) => r[idCol])).toEqual([`SWB${t}-1`, `SWB${t}-2`]);
  expect(new Set(rows.map((r) => r[merchantCol]))).toEqual(new Set([b.name]));

  // Attempts, through the sidebar: B's only.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pairing attempts" }).click();
  await expect(page).toHaveURL(`/attempts?merchant=${b.id}`);
  await page.getByRole("searchbox", { name: "Search" }).fill(t);
  // The search is in the URL, the merchant kept (B's only attempt shows with or without it, so
  // wait for the URL: a link followed while the search still waits drops it).
  await expect(page).toHaveURL(`/attempts?merchant=${b.id}&q=${t}`);
  await expect(page.getByTestId("attempt-row")).toHaveText([new RegExp(`B attempt ${t}`)]);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", new RegExp(`merchant=${b.id}`));

  // Audit log, through the sidebar: B's entry, neither A's nor the staff-only one.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(`/audit?merchant=${b.id}`);
  await page.goto(`/audit?merchant=${b.id}&actor=${encodeURIComponent(actor)}`);
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-row")).toContainText(`entry of B ${t}`);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", new RegExp(`merchant=${b.id}`));

  // All merchants again, from the audit log: its filter stays, every entry with its merchant.
  await chooseMerchant(page, "All merchants");
  await expect(page).toHaveURL(`/audit?actor=${encodeURIComponent(actor)}`);
  await expect(merchantHeader(page)).toBeVisible();
  await expect(page.getByTestId("audit-row")).toHaveCount(3);
  const merchantOf = (note: string) =>
    page.getByTestId("audit-row").filter({ hasText: `${note} ${t}` }).getByTestId("merchant-cell");
  await expect(merchantOf("entry of A")).toHaveText(a.name);
  await expect(merchantOf("entry of B")).toHaveText(b.name);
  await expect(merchantOf("staff entry")).toHaveText("Staff only");

  // And the dashboard, through the sidebar, is of every merchant.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByTestId("dashboard-merchant")).toHaveText("All merchants");
});

test("all merchants: a Merchant column in the terminal and attempt lists; suspended merchants are marked in the switcher", async ({
  page,
  asRole,
}) => {
  test.slow(); // six axe scans
  const { t, a, b } = await seed();
  // Always a suspended merchant in the list (its badge failed the dark scan once, when another
  // test's happened to be there).
  const suspended = await seedMerchant(`Switch S ${t}`, "suspended");
  await asRole("admin");
  await page.goto(`/terminals?q=${t}-1`);
  await expect(merchantHeader(page)).toBeVisible();
  const merchantOf = (id: string) => page.getByTestId("terminal-row").filter({ hasText: id }).getByTestId("merchant-cell");
  await expect(merchantOf(`SWA${t}-10`)).toHaveText(a.name);
  await expect(merchantOf(`SWB${t}-1`)).toHaveText(b.name);

  await page.goto(`/attempts?q=${t}`);
  await expect(merchantHeader(page)).toBeVisible();
  await expect(page.getByTestId("attempt-row").filter({ hasText: `A attempt ${t}` }).getByTestId("merchant-cell")).toHaveText(a.name);
  await expectNoSeriousViolationsInSchemes(page, "attempts of all merchants, with the Merchant column, 1280 px");

  await switcherButton(page).click();
  const find = page.getByRole("textbox", { name: "Find a merchant" }).filter({ visible: true });
  if ((await find.count()) > 0) await find.fill(`Switch S ${t}`);
  const choice = page.getByRole("list", { name: "Merchants" }).filter({ visible: true }).getByRole("link", { name: new RegExp(suspended.name) });
  await expect(choice).toContainText("suspended");
  await expectNoSeriousViolationsInSchemes(page, "switcher open, a suspended merchant marked, 1280 px");
  await choice.click();
  await expect(page).toHaveURL(`/attempts?q=${t}&merchant=${suspended.id}`);
  await expect(switcherButton(page)).toContainText("Suspended");
  await expect(page.getByTestId("attempt-row")).toHaveCount(0);
  await expectNoSeriousViolationsInSchemes(page, "a suspended merchant chosen, 1280 px");
  // Escape closes the list without choosing.
  await switcherButton(page).click();
  await expect(page.getByRole("list", { name: "Merchants" }).filter({ visible: true })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("list", { name: "Merchants" }).filter({ visible: true })).toHaveCount(0);
  await expect(switcherButton(page)).toBeFocused();
});

test("an id that names no merchant shows as Unknown merchant, lists nothing, and leads back to all", async ({ page, asRole }) => {
  test.slow(); // four axe scans
  const { t } = await seed();
  await asRole("viewer");
  await page.goto(`/terminals?merchant=999999999&q=${t}`);
  await expect(switcherButton(page)).toHaveAccessibleName("Merchant: Unknown merchant");
  await expect(page.getByTestId("unknown-merchant")).toBeVisible();
  await expect(page.getByTestId("terminal-row")).toHaveCount(0);
  await page.goto("/?merchant=999999999");
  await expect(page.getByTestId("dashboard-merchant")).toHaveText("Unknown merchant");
  await expect(page.getByTestId("count-production")).toHaveText("0");
  await expect(page.getByTestId("count-sandbox")).toHaveText("0");
  await expect(page.getByTestId("unknown-merchant")).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "dashboard of an unknown merchant, 1280 px");
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.getByTestId("unknown-merchant")).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "dashboard of an unknown merchant, 375 px");
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/terminals?merchant=999999999&q=SWB${t}`);
  await page.getByTestId("unknown-merchant").getByRole("link", { name: "Show all merchants" }).click();
  await expect(page).toHaveURL(`/terminals?q=SWB${t}`);
  await expect(terminalIds(page)).toHaveText([`SWB${t}-1`, `SWB${t}-2`]);
  await expect(page.getByTestId("unknown-merchant")).toHaveCount(0);
});

test("on a phone, the switcher sits in the top bar and the menu's links keep the choice", async ({ page, asRole }) => {
  test.slow(); // eight axe scans
  const { t, b } = await seed();
  const suspended = await seedMerchant(`Switch S ${t}`, "suspended");
  await page.setViewportSize({ width: 375, height: 800 });
  await asRole("support");
  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "audit log of all merchants, 375 px");
  await page.goto(`/terminals?q=${t}`);
  await switcherButton(page).click();
  await expect(page.getByRole("list", { name: "Merchants" }).filter({ visible: true })).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "switcher open, 375 px");
  await page.keyboard.press("Escape");
  await chooseMerchant(page, b.name);
  await expect(page).toHaveURL(`/terminals?q=${t}&merchant=${b.id}`);
  await expect(terminalIds(page)).toHaveText([`SWB${t}-1`, `SWB${t}-2`]);
  await expectNoSeriousViolationsInSchemes(page, "terminals of one merchant, 375 px");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByTestId("nav-drawer").getByRole("link", { name: "Pairing attempts" }).click();
  await expect(page).toHaveURL(`/attempts?merchant=${b.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Pairing attempts" })).toBeVisible();
  // Nothing is wider than the screen but the table's own scrolling region (the loading skeleton
  // was, once: CI caught it mid-load).
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);

  await page.goto(`/terminals?merchant=${suspended.id}`);
  await expect(switcherButton(page)).toContainText("Suspended");
  await expectNoSeriousViolationsInSchemes(page, "a suspended merchant chosen, 375 px");
});

test("a merchant admin sees no switcher and no merchant column, and ?merchant= of another merchant changes nothing", async ({
  page,
}) => {
  const { t, a } = await seed();
  const own = await seedMerchant(`Switch own ${t}`);
  await seedTerminalsWithPairings([{ terminalId: `SWC${t}-1`, environment: "production", merchantId: own.id, pairings: [] }]);
  const admin = await createUser("merchant-admin", "", own.id);
  await signIn(page, admin);

  await page.goto(`/?merchant=${a.id}`);
  await expect(page.getByTestId("current-merchant")).toHaveText(own.name);
  await expect(page.getByTestId("current-role")).toHaveText("merchant admin");
  await expect(switcherButton(page)).toHaveCount(0);
  await expect(page.getByTestId("dashboard-merchant")).toHaveText(own.name);
  await expect(page.getByTestId("count-production")).toHaveText("1");
  await expect(page.getByTestId("count-sandbox")).toHaveText("0");
  // The shell's links do not carry what the URL said.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Terminals" })).toHaveAttribute("href", "/terminals");
  await expect(page.getByRole("link", { name: "View production terminals" })).toHaveAttribute("href", "/terminals?environment=production");

  for (const path of [`/terminals?merchant=${a.id}`, `/terminals?merchant=${a.id}&q=SWA${t}`]) {
    await page.goto(path);
    await expect(switcherButton(page)).toHaveCount(0);
    await expect(merchantHeader(page)).toHaveCount(0);
  }
  await expect(page.getByTestId("terminal-row")).toHaveCount(0);
  await page.goto(`/terminals?merchant=${a.id}`);
  await expect(terminalIds(page)).toHaveText([`SWC${t}-1`]);
  await page.goto(`/attempts?merchant=${a.id}&q=${t}`);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expect(page.getByTestId("attempt-row")).toHaveCount(0);
  await page.goto(`/audit?merchant=${a.id}`);
  await expect(merchantHeader(page)).toHaveCount(0);
  await expect(page.getByText(`entry of A ${t}`)).toHaveCount(0);
  // Another merchant's name appears nowhere.
  for (const path of ["/", "/terminals", "/attempts", "/audit"]) {
    await page.goto(`${path}?merchant=${a.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await page.content()).not.toContain(a.name);
  }

  // On a phone, the top bar shows the merchant's name instead of a switcher.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/terminals?merchant=${a.id}`);
  await expect(page.getByTestId("mobile-merchant")).toHaveText(own.name);
  await expect(switcherButton(page)).toHaveCount(0);
});

test("a CSV export for a merchant id that names none is empty, not an error (red team: it answered 500)", async ({ page, asRole }) => {
  const admin = await asRole("admin");
  for (const list of ["terminals", "attempts", "audit"]) {
    const res = await page.request.get(`/api/${list}/export?merchant=999999`);
    expect(res.status(), list).toBe(200);
    expect((await res.text()).trim().split("\n"), list).toHaveLength(1); // the header line only
  }
  // Recorded as a staff-only export, with the id asked for.
  const entry = appDb()
    .prepare("select merchant_id, details from audit_log where action = 'list.export' and actor_id = ? order by id desc limit 1")
    .get(admin.id) as { merchant_id: number | null; details: string };
  expect(entry.merchant_id).toBeNull();
  expect(JSON.parse(entry.details)).toMatchObject({ list: "audit", merchant: "999999" });
});
