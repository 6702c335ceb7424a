/**
 * Issue 16 items 10, 11 and 13 in a real browser: a payments list that finds payments (an
 * amount, a terminal id, a register name; kind and terminal filters; the dates' order; the
 * count; a refund under its charge; the CSV in decimals with the currency and a refund's charge),
 * webhook deliveries a person can use (event, transaction, terminal and verdict columns; verdict,
 * terminal and transaction filters; search; CSV), the locations CSV, and both lists' widths at
 * 1280, 1366 and 390 px. Each test seeds its own merchant and looks at it through the switcher.
 */
import type { Page } from "@playwright/test";
import { appDb, expect, test } from "./fixtures";
import { seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";
import { seedLocation, seedRegister } from "./seed-registers";

/** A merchant with two paired terminals, a register, a charge and its refund, a preauth, and three deliveries. */
async function seedPayments(tag: string) {
  const db = appDb();
  const merchant = await seedMerchant(`Find ${tag}`);
  const admin = db.prepare("select id from users where role = 'admin' limit 1").get() as { id: number };
  const counterTerminal = await seedTerminal({ merchantId: merchant.id, terminalId: `FIND-${tag.toUpperCase()}-C` });
  const counterName = `Counter terminal by the front window ${tag} with a rather long pairing name`;
  const counter = await seedPairing({ terminalRef: counterTerminal.id, name: counterName, createdById: admin.id });
  const barTerminal = await seedTerminal({ merchantId: merchant.id, terminalId: `FIND-${tag.toUpperCase()}-B` });
  const bar = await seedPairing({ terminalRef: barTerminal.id, name: `Bar ${tag}`, createdById: admin.id });
  const location = await seedLocation(merchant.id, `Find shop ${tag}`);
  const till = await seedRegister({ merchantId: merchant.id, locationId: location.id, name: `Front till ${tag}` });
  const now = Date.now();
  const insert = db.prepare(
    `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, register_ref, provider_transaction_id, client_transaction_id, kind,
       linked_transaction_ref, amount, refund_total_amount, currency, status, status_source, status_changed_at, last_seen_at, created_at, updated_at)
     values (?, 'sandbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', 'SUCCESS', 'webhook', ?, ?, ?, ?) returning id`,
  );
  const tx = (terminal: number, pairing: number, o: { provider: string; kind?: string; amount: number; register?: number; linked?: number; refunded?: number; ago: number; client?: string }) =>
    (
      insert.get(
        merchant.id,
        terminal,
        pairing,
        o.register ?? null,
        o.provider,
        o.client ?? null,
        o.kind ?? "charge",
        o.linked ?? null,
        o.amount,
        o.refunded ?? 0,
        now - o.ago,
        now - o.ago,
        now - o.ago,
        now - o.ago,
      ) as { id: number }
    ).id;
  const charge = tx(counterTerminal.id, counter.id, { provider: `ptx-${tag}-charge`, amount: 1250, register: till.id, refunded: 200, ago: 40 * 60_000, client: `pos-${tag}` });
  const refund = tx(counterTerminal.id, counter.id, { provider: `ptx-${tag}-refund`, kind: "refund", amount: 200, linked: charge, ago: 30 * 60_000 });
  const barCharge = tx(barTerminal.id, bar.id, { provider: `ptx-${tag}-bar`, amount: 780, ago: 20 * 60_000 });
  const preauth = tx(barTerminal.id, bar.id, { provider: `ptx-${tag}-pre`, kind: "preauth", amount: 3000, ago: 10 * 60_000 });
  const delivery = (pairing: number, verdict: string, ago: number) =>
    (
      db
        .prepare(
          "insert into webhook_deliveries (received_at, pairing_id, merchant_id, verdict, http_status, size_bytes, reason) values (?, ?, ?, ?, ?, 321, ?) returning id",
        )
        .get(now - ago, pairing, merchant.id, verdict, verdict === "accepted" ? 200 : 401, verdict === "accepted" ? null : "The signature does not match the body.") as {
        id: number;
      }
    ).id;
  const event = (transaction: number, deliveryId: number, status: string) =>
    db
      .prepare("insert into transaction_events (transaction_ref, status, source, effect, delivery_id, fingerprint, at) values (?, ?, 'webhook', 'updated', ?, ?, ?)")
      .run(transaction, status, deliveryId, `fp-${tag}-${deliveryId}-${transaction}`, now);
  const chargeDelivery = delivery(counter.id, "accepted", 35 * 60_000);
  event(charge, chargeDelivery, "SUCCESS");
  const refused = delivery(bar.id, "bad_signature", 15 * 60_000);
  const barDelivery = delivery(bar.id, "accepted", 5 * 60_000);
  event(barCharge, barDelivery, "SUCCESS");
  return {
    merchant,
    counter: { ref: counterTerminal.id, terminalId: counterTerminal.terminalId, name: counterName },
    bar: { ref: barTerminal.id, terminalId: barTerminal.terminalId, name: `Bar ${tag}` },
    location,
    till,
    tx: { charge, refund, barCharge, preauth },
    deliveries: { chargeDelivery, refused, barDelivery },
  };
}

const rowIds = (page: Page) => page.getByTestId("transaction-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-transaction-id")));

test("the transactions list finds an amount, a terminal and a register, filters by kind and terminal, counts, and links a refund to its charge", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  await page.goto(`/transactions?merchant=${s.merchant.id}`);
  await expect(page.getByTestId("transaction-row")).toHaveCount(4);
  await expect(page.getByTestId("transaction-count")).toHaveText("1–4 of 4");

  // "12.50", typed in the search box: the charge, not the others.
  await page.getByRole("searchbox", { name: "Search" }).fill("12.50");
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-charge`]);
  await expect(page.getByTestId("transaction-count")).toHaveText("1 transaction");

  // A terminal id: the Counter terminal's charge and refund, its pairing's name on the rows.
  await page.getByRole("searchbox", { name: "Search" }).fill(s.counter.terminalId);
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-refund`, `ptx-${tag}-charge`]);
  await expect(page.getByTestId("transaction-count")).toHaveText("1–2 of 2");
  await expect(page.getByTestId("transaction-terminal").first()).toContainText(s.counter.name);

  // A register's name.
  await page.getByRole("searchbox", { name: "Search" }).fill(`front till ${tag}`);
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-charge`]);

  // The refund reads as a refund of its charge; the charge lists it under it.
  await page.getByRole("searchbox", { name: "Search" }).fill("");
  await expect(page.getByTestId("transaction-row")).toHaveCount(4);
  const refundRow = page.locator(`[data-transaction-id="ptx-${tag}-refund"]`);
  await expect(refundRow.getByTestId("transaction-amount")).toContainText("−€2.00");
  await expect(refundRow.getByTestId("refund-of")).toHaveText(`Refund of ptx-${tag}-charge`);
  const chargeRow = page.locator(`[data-transaction-id="ptx-${tag}-charge"]`);
  await expect(chargeRow.getByTestId("charge-refund")).toContainText("Refund −€2.00");
  await expect(chargeRow.getByTestId("transaction-amount")).toContainText("refunded €2.00");
  await chargeRow.getByTestId("charge-refund").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/transactions/${s.tx.refund}$`));
  await page.goBack();

  // Kind, then terminal (by its pairing's name in the list).
  await page.getByRole("combobox", { name: "Kind" }).selectOption("refund");
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-refund`]);
  await page.getByRole("combobox", { name: "Kind" }).selectOption("preauth");
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-pre`]);
  await page.getByRole("combobox", { name: "Kind" }).selectOption("all");
  await page.getByRole("combobox", { name: "Terminal" }).selectOption({ label: `Bar ${tag} · ${s.bar.terminalId}` });
  await expect.poll(() => rowIds(page)).toEqual([`ptx-${tag}-pre`, `ptx-${tag}-bar`]);
  await expect(page.getByTestId("filter-chip")).toContainText(`Terminal: Bar ${tag} · ${s.bar.terminalId}`);
  await page.getByRole("combobox", { name: "Register" }).selectOption({ label: `${s.location.name} · Front till ${tag}` });
  await expect(page.getByTestId("transaction-row")).toHaveCount(0);
  await expect(page.getByTestId("transaction-count")).toHaveText("No transactions");
});

test("a 'from' after the 'to' is said, and swapping the dates lists the day's transactions", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/transactions?merchant=${s.merchant.id}&from=${today}&to=2020-01-01`);
  const warning = page.getByTestId("date-order-warning");
  await expect(warning).toContainText(`(${today}) is after`);
  await warning.getByRole("link", { name: "Swap the dates" }).click();
  await expect(page).toHaveURL(/from=2020-01-01/);
  await expect(page.getByTestId("date-order-warning")).toHaveCount(0);
  await expect(page.getByTestId("transaction-row")).toHaveCount(4);
});

test("the transactions CSV gives decimal amounts with the currency and a refund's charge", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  await page.goto(`/transactions?merchant=${s.merchant.id}&q=${s.counter.terminalId}`);
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe(`/api/transactions/export?q=${s.counter.terminalId}&merchant=${s.merchant.id}`);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const lines = (await res.text()).trim().split("\r\n");
  const header = lines[0]!.split(",");
  const col = (line: string, name: string) => line.split(",")[header.indexOf(name)];
  expect(header).toEqual(expect.arrayContaining(["transaction_id", "amount", "currency", "refunded", "refund_of_transaction_id", "pairing_name"]));
  expect(lines).toHaveLength(3);
  const refund = lines.find((l) => l.startsWith(`ptx-${tag}-refund,`))!;
  const charge = lines.find((l) => l.startsWith(`ptx-${tag}-charge,`))!;
  expect([col(charge, "amount"), col(charge, "currency"), col(charge, "refunded"), col(charge, "refund_of_transaction_id")]).toEqual(["12.50", "EUR", "2.00", ""]);
  expect([col(refund, "amount"), col(refund, "currency"), col(refund, "refund_of_transaction_id")]).toEqual(["-2.00", "EUR", `ptx-${tag}-charge`]);
});

test("webhook deliveries show event, transaction, terminal and verdict, filter by verdict, terminal and transaction, search, and export", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  const ids = () => page.getByTestId("delivery-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-delivery-id"))));
  await page.goto(`/webhooks?merchant=${s.merchant.id}`);
  await expect.poll(ids).toEqual([s.deliveries.barDelivery, s.deliveries.refused, s.deliveries.chargeDelivery]);
  const chargeRow = page.locator(`[data-delivery-id="${s.deliveries.chargeDelivery}"]`);
  await expect(chargeRow.getByTestId("delivery-event")).toContainText("Success");
  await expect(chargeRow.getByTestId("delivery-transaction")).toContainText(`ptx-${tag}-charge`);
  await expect(chargeRow.getByTestId("delivery-terminal")).toContainText(s.counter.name);
  await expect(chargeRow.getByTestId("delivery-verdict")).toHaveText("Accepted");
  const refusedRow = page.locator(`[data-delivery-id="${s.deliveries.refused}"]`);
  await expect(refusedRow.getByTestId("delivery-verdict")).toHaveText("Bad signature");
  await expect(refusedRow.getByTestId("delivery-verdict-cell")).toContainText("The signature does not match the body.");

  await page.getByRole("combobox", { name: "Verdict" }).selectOption("bad_signature");
  await expect.poll(ids).toEqual([s.deliveries.refused]);
  await page.getByRole("combobox", { name: "Verdict" }).selectOption("all");
  await page.getByRole("combobox", { name: "Terminal" }).selectOption({ label: `Bar ${tag} · ${s.bar.terminalId}` });
  await expect.poll(ids).toEqual([s.deliveries.barDelivery, s.deliveries.refused]);
  await page.getByRole("combobox", { name: "Terminal" }).selectOption("0");
  await expect.poll(ids).toHaveLength(3);

  // The transaction's own deliveries, from its row's filter link; its chip names it.
  await chargeRow.getByRole("link", { name: `Only the deliveries of ptx-${tag}-charge` }).click();
  await expect.poll(ids).toEqual([s.deliveries.chargeDelivery]);
  await expect(page.getByTestId("filter-chip")).toContainText(`Transaction: ptx-${tag}-charge`);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page.getByTestId("filter-chip")).toHaveCount(0);
  await expect.poll(ids).toHaveLength(3);

  await page.getByRole("searchbox", { name: "Search" }).fill(`ptx-${tag}-bar`);
  await expect.poll(ids).toEqual([s.deliveries.barDelivery]);

  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const lines = (await res.text()).trim().split("\r\n");
  expect(lines).toHaveLength(2);
  const header = lines[0]!.split(",");
  const cells = lines[1]!.split(",");
  const at = (name: string) => cells[header.indexOf(name)];
  expect([at("delivery_id"), at("verdict"), at("event_status"), at("transaction_id"), at("terminal_id"), at("pairing_name")]).toEqual([
    String(s.deliveries.barDelivery),
    "accepted",
    "SUCCESS",
    `ptx-${tag}-bar`,
    s.bar.terminalId,
    `Bar ${tag}`,
  ]);
  expect(header).not.toContain("body");
});

test("the locations list exports its rows as CSV", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  await page.goto(`/locations?merchant=${s.merchant.id}`);
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe(`/api/locations/export?merchant=${s.merchant.id}`);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/attachment; filename="locations-\d{8}-\d{4}\.csv"/);
  const lines = (await res.text()).trim().split("\r\n");
  // Staff get the merchant first.
  expect(lines[0]).toBe("merchant,location,address,time_zone,registers,unrouted_registers,created_at,archived_at");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(new RegExp(`^Find ${tag},Find shop ${tag},1 Main street,Europe/Lisbon,1,1,`));
});

test("both lists fit their card at 1280 and 1366 px and stack their key facts at 390 px", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const s = await seedPayments(tag);
  // Staff across every merchant (the merchant line shows), narrowed by the search to these rows.
  const pages = [
    { name: "transactions", url: `/transactions?q=FIND-${tag.toUpperCase()}`, card: "transaction-card", table: "transaction-table", row: "transaction-row" },
    { name: "webhooks", url: `/webhooks?merchant=${s.merchant.id}`, card: "delivery-card", table: "delivery-table", row: "delivery-row" },
  ];
  for (const width of [1280, 1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const p of pages) {
      await page.goto(p.url);
      await expect(page.getByTestId(p.row).first()).toBeVisible();
      const fit = await page.evaluate(
        ({ card, table }) => {
          const c = document.querySelector(`[data-testid="${card}"]`)!;
          const t = document.querySelector(`[data-testid="${table}"]`)!;
          return { table: t.scrollWidth, card: c.clientWidth, page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth };
        },
        { card: p.card, table: p.table },
      );
      expect(fit.table, `${p.name} at ${width}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(fit.card + 1);
      expect(fit.page, `${p.name} at ${width}: the page itself`).toBeLessThanOrEqual(fit.viewport);
      const first = page.getByTestId(p.row).first();
      if (p.name === "transactions") {
        await expect(first.getByTestId("transaction-amount")).toBeVisible();
        await expect(first.getByTestId("transaction-status")).toBeVisible();
        await expect(first.locator("time").first()).toBeVisible();
      } else {
        await expect(first.getByTestId("delivery-verdict")).toBeVisible();
        await expect(first.getByTestId("delivery-event")).toBeVisible();
        await expect(first.locator("time").first()).toBeVisible();
      }
      await page.screenshot({ path: `test-results/find/${p.name}-${width}.png`, fullPage: true });
    }
  }
  // Once in dark mode.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const p of pages) {
    await page.goto(p.url);
    await expect(page.getByTestId(p.row).first()).toBeVisible();
    await page.screenshot({ path: `test-results/find/${p.name}-1280-dark.png`, fullPage: true });
  }
});
