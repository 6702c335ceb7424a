/**
 * Every list fits its card (issue 16, item 10): at 1280 and 1366 px the table is no wider than
 * the card that holds it and no column is cut; at 390 px the rows stack and their key facts are
 * on screen. Seeded with long values (names, emails, references, reasons), as a real list has.
 */
import type { Locator, Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { appDb, createUser, expect, test } from "./fixtures";
import { seedAttempt, seedAudit, seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";
import { routeInDb, seedLocation, seedRegister } from "./seed-registers";

const WIDTHS = [1280, 1366, 390] as const;

/** The rows of one test, with long values everywhere a list shows text. */
async function seedLongRows() {
  const tag = uniqueTag(4);
  const TAG = tag.toUpperCase();
  const merchant = await seedMerchant(`Northwind Coffee Roasters & Bakery International ${tag}`);
  appDb().prepare("UPDATE merchants SET external_ref = ? WHERE id = ?").run(`NWCR-EXTERNAL-REFERENCE-${TAG}-0123456789`, merchant.id);
  const user = await createUser("merchant-admin", "Alexandra Konstantinopoulou-Fitzgerald Smythe", merchant.id);
  const email = `alexandra.konstantinopoulou-fitzgerald.${tag}@northwind-coffee-roasters.example`;
  appDb().prepare("UPDATE users SET email = ? WHERE id = ?").run(email, user.id);

  const paired = await seedTerminal({ terminalId: `PCT-${TAG}-00012345678901`, merchantId: merchant.id, environment: "production" });
  const pairing = await seedPairing({
    terminalRef: paired.id,
    name: `Front counter till by the window next to the espresso machine ${tag}`,
    createdById: user.id,
  });
  const unpaired = await seedTerminal({ terminalId: `PCT-${TAG}-00098765432109`, merchantId: merchant.id, environment: "sandbox" });

  const attemptName = `Back office till behind the pastry display counter ${tag}`;
  const attempt = await seedAttempt({
    name: attemptName,
    status: "failed",
    createdById: user.id,
    merchantId: merchant.id,
    environment: "production",
    reason:
      "Pay-Connect refused the one-time password: it was already used by another pairing, or it expired before it reached the terminal. Generate a new one on the terminal and try again within five minutes.",
    errorCode: "PAIRING_OTP_ALREADY_CONSUMED_OR_EXPIRED",
    terminalId: `PCT-${TAG}-00055555555555`,
  });
  await seedAttempt({ name: `Second till ${tag}`, status: "succeeded", createdById: user.id, merchantId: merchant.id, terminalId: paired.terminalId });

  const actorEmail = `audit.actor.with.a.very.long.address.${tag}@northwind-coffee-roasters.example`;
  await seedAudit({
    action: "pairing.replace",
    actorEmail,
    actorId: user.id,
    targetType: "pairing",
    targetId: pairing.id,
    details: {
      previous_pairing_name: `The old front counter till that was replaced last Tuesday ${tag}`,
      reason: "The terminal was paired again with a one-time password from the same device after a factory reset",
      terminal_id: paired.terminalId,
    },
  });

  const location = await seedLocation(merchant.id, `Main Street flagship store and roastery ${tag}`);
  appDb()
    .prepare("UPDATE locations SET address = ? WHERE id = ?")
    .run("Unit 14, The Old Mill Business Park\n1234 Long Harbour Road, Kingston upon Thames", location.id);
  const till = await seedRegister({
    merchantId: merchant.id,
    locationId: location.id,
    name: `Front till beside the cake cabinet ${tag}`,
    externalRef: `POS-EXTERNAL-REFERENCE-${TAG}-0001`,
  });
  const lane = await seedRegister({
    merchantId: merchant.id,
    locationId: location.id,
    name: `Lane A of the front till ${tag}`,
    parentId: till.id,
    externalRef: `POS-EXTERNAL-REFERENCE-${TAG}-0002`,
  });
  await routeInDb(till.id, paired.id);
  await routeInDb(lane.id, paired.id);

  return { tag, TAG, merchant, user, email, paired, unpaired, attempt, attemptName, actorEmail, location, till, lane };
}

/**
 * The list is no wider than its card (the bordered region that holds it, and the card around
 * that), nothing scrolls sideways inside it, and the page does not scroll sideways.
 */
async function expectFits(list: Locator, label: string) {
  const m = await list.evaluate((el) => {
    const region = el.closest<HTMLElement>('[role="region"]') ?? el.parentElement!;
    const card = region.parentElement?.closest<HTMLElement>("section") ?? null;
    return {
      list: el.scrollWidth,
      region: region.clientWidth,
      regionScroll: region.scrollWidth,
      regionRight: region.getBoundingClientRect().right,
      cardRight: card ? card.getBoundingClientRect().right : Infinity,
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    };
  });
  expect.soft(m.list, `${label}: the list (${m.list} px) is no wider than its card (${m.region} px)`).toBeLessThanOrEqual(m.region + 1);
  expect.soft(m.regionScroll, `${label}: nothing scrolls sideways inside the card`).toBeLessThanOrEqual(m.region + 1);
  expect.soft(m.regionRight, `${label}: the list's card stays inside the card around it`).toBeLessThanOrEqual(m.cardRight + 1);
  expect.soft(m.page, `${label}: the page does not scroll sideways`).toBeLessThanOrEqual(m.viewport);
}

/**
 * A key fact is on screen whole: visible, inside the viewport (after scrolling the page down to
 * it, never sideways), and not cut by a card that scrolls or clips. With `whole`, its text is not
 * truncated either.
 */
async function expectShown(fact: Locator, label: string, { whole = false } = {}) {
  await expect(fact, label).toBeVisible();
  await fact.evaluate((el) => window.scrollTo(0, window.scrollY + el.getBoundingClientRect().top - window.innerHeight / 3));
  await expect.soft(fact, `${label} is in the viewport`).toBeInViewport({ ratio: 1 });
  const cut = await fact.evaluate((el) => {
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible") {
        const box = a.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1) return `cut by ${a.tagName}.${a.className}`;
      }
    }
    return r.left < 0 || r.right > window.innerWidth ? "outside the viewport" : null;
  });
  expect.soft(cut, `${label} is not cut`).toBeNull();
  if (whole) {
    const truncated = await fact.evaluate((el) => [el, ...el.querySelectorAll("*")].some((e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1));
    expect.soft(truncated, `${label} shows its whole text`).toBe(false);
  }
}

async function atEachWidth(page: Page, url: string, check: (width: number) => Promise<void>) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url);
    await check(width);
  }
}

/** Every cell of a row lies inside the list's card (no column cut at a desktop width). */
async function expectRowInside(row: Locator, label: string) {
  const outside = await row.evaluate((tr) => {
    const region = tr.closest<HTMLElement>('[role="region"]') ?? tr.parentElement!;
    const box = region.getBoundingClientRect();
    return [...tr.children]
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
      })
      .map((c) => (c.textContent ?? "").slice(0, 30));
  });
  expect.soft(outside, `${label}: cells outside the card`).toEqual([]);
}

test.describe("lists fit their card at 1280, 1366 and 390 px", () => {
  test.describe.configure({ mode: "parallel" });
  // Three widths, a page load and a dozen checks each (and an axe scan at 390 px).
  test.slow();
  let seeded: Awaited<ReturnType<typeof seedLongRows>>;

  test.beforeEach(async ({ asRole }) => {
    seeded = await seedLongRows();
    // Staff see every merchant: the widest lists (a Merchant column or line).
    await asRole("admin");
  });

  test("terminals", async ({ page }) => {
    await atEachWidth(page, `/terminals?q=${seeded.TAG}`, async (width) => {
      const label = `terminals at ${width}`;
      await expectFits(page.getByTestId("terminal-table"), label);
      const row = page.getByTestId("terminal-row").filter({ hasText: seeded.paired.terminalId });
      await expectShown(row.getByRole("link", { name: seeded.paired.terminalId }), `${label}: terminal id`, { whole: true });
      await expectShown(row.locator("[data-status]"), `${label}: status`, { whole: true });
      const other = page.getByTestId("terminal-row").filter({ hasText: seeded.unpaired.terminalId });
      await expectShown(other.locator('[data-status="unpaired"]'), `${label}: unpaired status`, { whole: true });
      if (width > 390) await expectRowInside(row, label);
      if (width === 390) await expectNoSeriousViolations(page, label);
    });
  });

  test("pairing attempts", async ({ page }) => {
    await atEachWidth(page, `/attempts?q=${seeded.tag}`, async (width) => {
      const label = `attempts at ${width}`;
      await expectFits(page.getByTestId("attempt-table"), label);
      const row = page.locator(`[data-testid="attempt-row"][data-attempt-id="${seeded.attempt.id}"]`);
      await expectShown(row.getByText(seeded.attemptName), `${label}: name`);
      await expectShown(row.locator("[data-status]"), `${label}: outcome`, { whole: true });
      await expectShown(row.locator("time"), `${label}: time`, { whole: true });
      await expectShown(row.getByText(`PCT-${seeded.TAG}-00055555555555`), `${label}: terminal`, { whole: true });
      if (width > 390) await expectRowInside(row, label);
      if (width === 390) await expectNoSeriousViolations(page, label);
    });
  });

  test("audit log", async ({ page }) => {
    await atEachWidth(page, `/audit?actor=${seeded.tag}`, async (width) => {
      const label = `audit at ${width}`;
      await expectFits(page.getByTestId("audit-table"), label);
      const row = page.getByTestId("audit-row").filter({ hasText: seeded.actorEmail });
      await expect(row).toHaveCount(1);
      await expectShown(row.getByText("Pairing replaced (terminal paired again)"), `${label}: action`, { whole: true });
      await expectShown(row.locator("time"), `${label}: time`, { whole: true });
      await expectShown(row.locator("dl"), `${label}: details`);
      if (width > 390) await expectRowInside(row, label);
    });
  });

  test("users", async ({ page }) => {
    await atEachWidth(page, `/users?q=${seeded.tag}`, async (width) => {
      const label = `users at ${width}`;
      await expectFits(page.getByTestId("users-table"), label);
      const row = page.locator(`[data-testid="user-row"][data-email="${seeded.email}"]`);
      await expectShown(row.locator("td").first().getByText(seeded.email), `${label}: email`);
      await expectShown(row.getByRole("button", { name: /^Disable/ }), `${label}: Disable button`, { whole: true });
      await expectShown(row.getByRole("combobox"), `${label}: role`);
      if (width > 390) await expectRowInside(row, label);
      if (width === 390) await expectNoSeriousViolations(page, label);
    });
  });

  test("merchants", async ({ page }) => {
    await atEachWidth(page, `/merchants?q=${seeded.tag}`, async (width) => {
      const label = `merchants at ${width}`;
      await expectFits(page.getByTestId("merchants-table"), label);
      const row = page.locator(`[data-testid="merchant-row"][data-merchant-id="${seeded.merchant.id}"]`);
      await expectShown(row.locator("td").first(), `${label}: name`);
      await expectShown(row.locator("[data-status]"), `${label}: status`, { whole: true });
      await expectShown(row.getByRole("button", { name: /^Suspend/ }), `${label}: Suspend button`, { whole: true });
      if (width > 390) await expectRowInside(row, label);
    });
  });

  test("locations", async ({ page }) => {
    await atEachWidth(page, `/locations?q=${seeded.tag}`, async (width) => {
      const label = `locations at ${width}`;
      await expectFits(page.getByTestId("location-table"), label);
      const row = page.getByTestId("location-row").filter({ hasText: seeded.location.name });
      await expectShown(row.getByRole("link", { name: seeded.location.name }), `${label}: name`);
      await expectShown(row.getByTestId("registers-cell"), `${label}: registers`, { whole: true });
      await expectShown(row.getByTestId("unrouted-cell"), `${label}: unrouted`, { whole: true });
      if (width > 390) await expectRowInside(row, label);
    });
  });

  test("a location's registers", async ({ page }) => {
    await atEachWidth(page, `/locations/${seeded.location.id}`, async (width) => {
      const label = `location page at ${width}`;
      await expectFits(page.getByTestId("location-registers"), label);
      for (const register of [seeded.till, seeded.lane]) {
        const row = page.locator(`[data-testid="register-row"][data-register-id="${register.registerId}"]`);
        await expectShown(row.getByRole("link", { name: register.name }), `${label}: ${register.name}`);
        await expectShown(row.getByTestId("route-cell").getByRole("link", { name: seeded.paired.terminalId }), `${label}: route`, {
          whole: true,
        });
        if (width > 390) await expectRowInside(row, label);
      }
    });
  });

  test("dashboard", async ({ page }) => {
    // One merchant's dashboard (what is on it is this test's own), then every merchant's widest.
    await atEachWidth(page, `/?merchant=${seeded.merchant.id}`, async (width) => {
      const label = `dashboard at ${width}`;
      await expectFits(page.getByTestId("attempt-table"), label);
      const row = page.locator(`[data-testid="attempt-row"][data-attempt-id="${seeded.attempt.id}"]`);
      await expectShown(row.getByText(seeded.attemptName), `${label}: name`);
      await expectShown(row.locator("[data-status]"), `${label}: outcome`, { whole: true });
      await expectShown(row.getByText(`PCT-${seeded.TAG}-00055555555555`), `${label}: terminal`, { whole: true });
      if (width > 390) await expectRowInside(row, label);
    });
    await atEachWidth(page, "/", async (width) => {
      await expectFits(page.getByTestId("attempt-table"), `dashboard (every merchant) at ${width}`);
    });
  });
});
