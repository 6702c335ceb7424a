/**
 * The transactions list finds payments (issue 16 item 11): search by amount, transaction ids,
 * terminal id, pairing name or Pay-Connect id, register name; the kind filter; the count (exact,
 * "more than 10,000", or within the scan window); the window's continuation; refunds linked to
 * their charge; and the webhook deliveries' and locations' list queries (item 13). A real
 * database (a SQLite file, or Postgres), no mocks.
 */
import "../test/setup-env";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, rawQuery, type DB } from "../db/open";
import { testDatabaseTarget } from "../test/db";
import { LIST_COUNT_CAP, TRANSACTION_SCAN_WINDOW, deliveryList, transactionList } from "../lists/lists";
import { searchAmount } from "../lists/search";
import { merchantCtx, staff, testMerchant } from "../test/merchants";
import { locationRows } from "../registers/location-queries";
import { queryTransactionFilterOptions, queryTransactions, transactionRows } from "./list-queries";
import { deliveryRows, queryDeliveries } from "../webhooks/queries";

let db: DB;
let file = 0;
/** Inserts a row and gives its id. */
const run = async (sql: string, ...args: unknown[]) => Number((await rawQuery<{ id: number }>(db, `${sql} returning id`, args))[0]!.id);
const T0 = Date.parse("2026-11-01T10:00:00Z");

let merchant: number;
let user: number;
let counter: { terminal: number; pairing: number };
let front: { terminal: number; pairing: number };
let till: number;

async function terminal(merchantId: number, terminalId: string, name: string, payConnectId: string) {
  const t = await run("insert into terminals (merchant_id, environment, terminal_id, currency) values (?, 'sandbox', ?, 'EUR')", merchantId, terminalId);
  const p = await run(
    `insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id)
     values (?, ?, ?, ?, 'cl', true, 'active', ?)`,
    merchantId,
    t,
    payConnectId,
    name,
    user,
  );
  return { terminal: t, pairing: p };
}

let seq = 0;
type TxOptions = { amount?: number; kind?: string; linked?: number | null; register?: number | null; client?: string | null; provider?: string; created?: number; environment?: string; merchantId?: number };
/** The values of the next transaction's row. */
function txValues(at: terminal, o: TxOptions): unknown[] {
  seq += 1;
  const created = o.created ?? T0 + seq * 1000;
  return [
    o.merchantId ?? merchant,
    o.environment ?? "sandbox",
    at.terminal,
    at.pairing,
    o.register ?? null,
    o.provider ?? `ptx-${seq.toString().padStart(6, "0")}`,
    o.client ?? null,
    o.kind ?? "charge",
    o.linked ?? null,
    o.amount ?? 100,
    created,
    created,
    created,
    created,
  ];
}
const TX_INSERT = `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, register_ref, provider_transaction_id, client_transaction_id, kind,
       linked_transaction_ref, amount, currency, status, status_source, status_changed_at, last_seen_at, created_at, updated_at)
     values `;
const TX_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', 'SUCCESS', 'webhook', ?, ?, ?, ?)";
async function tx(at: terminal, o: TxOptions = {}) {
  return run(`${TX_INSERT}${TX_ROW}`, ...txValues(at, o));
}
/** `count` transactions like `tx(at, o)`, inserted a thousand rows a statement. */
async function txMany(count: number, at: terminal, o: TxOptions = {}) {
  for (let done = 0; done < count; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - done) }, () => txValues(at, o));
    await rawQuery(db, `${TX_INSERT}${rows.map(() => TX_ROW).join(", ")}`, rows.flat());
  }
}
type terminal = { terminal: number; pairing: number };

const list = (input: Record<string, unknown>, page: Parameters<typeof queryTransactions>[2] = {}, ctx = staff(db)) =>
  queryTransactions(ctx, transactionList.values(input as never), page);
const providerIds = async (input: Record<string, unknown>) => (await list(input)).rows.map((r) => r.providerTransactionId);

beforeEach(async () => {
  file += 1;
  db = openDatabase(await testDatabaseTarget({ file: true }));
  await db.ready;
  merchant = await testMerchant(db, "Northwind");
  user = await run("insert into users (email, password_hash, role) values (?, 'x', 'admin')", `ana${file}@example.com`);
  counter = await terminal(merchant, "SIM-COUNTER-1", "Counter terminal", "pc-counter-77");
  front = await terminal(merchant, "SIM-FRONT-2", "Front desk", "pc-front-88");
  const location = await run("insert into locations (merchant_id, name, time_zone) values (?, 'Main Street', 'UTC')", merchant);
  till = await run("insert into registers (merchant_id, location_id, kind, name, register_id) values (?, ?, 'physical', 'Front till', ?)", merchant, location, crypto.randomUUID());
});

describe("searchAmount", () => {
  it("reads amounts as a person types them, and nothing else", () => {
    expect(searchAmount("12.50")).toBe(1250);
    expect(searchAmount("12,5")).toBe(1250);
    expect(searchAmount("€12.50")).toBe(1250);
    expect(searchAmount("12.50 EUR")).toBe(1250);
    expect(searchAmount("12")).toBe(1200);
    expect(searchAmount("12.505")).toBeNull();
    expect(searchAmount("ptx-12")).toBeNull();
    expect(searchAmount("SIM-1")).toBeNull();
  });
});

describe("transactions search", () => {
  beforeEach(async () => {
    await tx(counter, { amount: 1250, provider: "ptx-aaa-1" });
    await tx(front, { amount: 1250, provider: "ptx-bbb-2", register: till });
    await tx(front, { amount: 999, provider: "ptx-ccc-3", client: "pos-order-42" });
    await tx(counter, { amount: 125, provider: "ptx-ddd-4" });
  });

  it("finds an amount, typed as a person types it", async () => {
    expect((await providerIds({ q: "12.50" })).sort()).toEqual(["ptx-aaa-1", "ptx-bbb-2"]);
    expect((await providerIds({ q: "€12,50" })).sort()).toEqual(["ptx-aaa-1", "ptx-bbb-2"]);
    expect(await providerIds({ q: "1.25" })).toEqual(["ptx-ddd-4"]);
  });

  it("finds a terminal by its id (or its start, any case), its pairing's name or its Pay-Connect id", async () => {
    expect((await providerIds({ q: "SIM-COUNTER-1" })).sort()).toEqual(["ptx-aaa-1", "ptx-ddd-4"]);
    expect((await providerIds({ q: "sim-count" })).sort()).toEqual(["ptx-aaa-1", "ptx-ddd-4"]);
    expect((await providerIds({ q: "Counter" })).sort()).toEqual(["ptx-aaa-1", "ptx-ddd-4"]);
    expect((await providerIds({ q: "pc-front-88" })).sort()).toEqual(["ptx-bbb-2", "ptx-ccc-3"]);
  });

  it("finds a register by name, a client transaction id, and Pay-Connect's transaction id or its start", async () => {
    expect(await providerIds({ q: "front till" })).toEqual(["ptx-bbb-2"]);
    expect(await providerIds({ q: "pos-order-42" })).toEqual(["ptx-ccc-3"]);
    expect(await providerIds({ q: "ptx-ccc" })).toEqual(["ptx-ccc-3"]);
    expect(await providerIds({ q: "nothing like it" })).toEqual([]);
  });

  it("names the terminal's pairing on each row", async () => {
    const row = (await list({ q: "ptx-aaa-1" })).rows[0]!;
    expect(row).toMatchObject({ terminalId: "SIM-COUNTER-1", pairingName: "Counter terminal" });
  });

  it("keeps to the merchant: another merchant's €12.50 on a terminal of the same name is not found", async () => {
    const other = await testMerchant(db, "Harbour");
    const theirs = await terminal(other, "SIM-COUNTER-9", "Counter terminal", "pc-theirs");
    await tx(theirs, { amount: 1250, provider: "ptx-theirs", merchantId: other });
    const mine = async (q: string) => (await queryTransactions(merchantCtx(db, merchant), transactionList.values({ q }))).rows.map((r) => r.providerTransactionId);
    expect(await mine("12.50")).not.toContain("ptx-theirs");
    expect(await mine("Counter")).not.toContain("ptx-theirs");
    expect(await mine("SIM-COUNTER")).not.toContain("ptx-theirs");
    expect(await providerIds({ q: "12.50" })).toContain("ptx-theirs");
    // Counted in the scope too, not only drawn in it.
    expect((await queryTransactions(merchantCtx(db, merchant), transactionList.values({ q: "12.50" }))).count).toMatchObject({ kind: "window", matches: 2 });
    expect((await queryTransactions(merchantCtx(db, merchant), transactionList.values({ q: "Counter" }))).count).toEqual({ kind: "exact", total: 2, start: 1 });
  });
});

describe("kind filter and refunds", () => {
  it("filters charges, preauthorisations and refunds (a refund of a charge or an independent one)", async () => {
    const charge = await tx(counter, { amount: 2000, provider: "ptx-charge" });
    await tx(counter, { amount: 500, kind: "refund", linked: charge, provider: "ptx-refund" });
    await tx(counter, { amount: 300, kind: "independent_refund", provider: "ptx-indep" });
    await tx(counter, { amount: 700, kind: "preauth", provider: "ptx-pre" });
    expect(await providerIds({ kind: "charge" })).toEqual(["ptx-charge"]);
    expect(await providerIds({ kind: "preauth" })).toEqual(["ptx-pre"]);
    expect(await providerIds({ kind: "refund" })).toEqual(["ptx-indep", "ptx-refund"]);
  });

  it("a refund names its charge, and the charge lists its refunds", async () => {
    const charge = await tx(counter, { amount: 2000, provider: "ptx-charge" });
    const refund = await tx(counter, { amount: 500, kind: "refund", linked: charge, provider: "ptx-refund" });
    const rows = (await list({})).rows;
    expect(rows.find((r) => r.id === refund)).toMatchObject({ chargeProviderId: "ptx-charge", linkedTransactionRef: charge, refunds: [] });
    expect(rows.find((r) => r.id === charge)?.refunds).toEqual([{ id: refund, providerTransactionId: "ptx-refund", amount: 500, status: "SUCCESS" }]);
  });
});

describe("the count", () => {
  it("is exact with where the page starts, on every page and back", async () => {
    for (let i = 0; i < 60; i++) await tx(counter);
    const first = await list({});
    expect(first.count).toEqual({ kind: "exact", total: 60, start: 1 });
    const second = await list({}, { after: first.next });
    expect(second.count).toEqual({ kind: "exact", total: 60, start: 26 });
    const third = await list({}, { after: second.next });
    expect(third.rows).toHaveLength(10);
    expect(third.count).toEqual({ kind: "exact", total: 60, start: 51 });
    expect(third.next).toBeNull();
    const back = await list({}, { before: third.prev });
    expect(back.rows.map((r) => r.id)).toEqual(second.rows.map((r) => r.id));
    expect(back.count).toEqual({ kind: "exact", total: 60, start: 26 });
  });

  it("says 'more than' past the cap instead of counting on", async () => {
    await txMany(LIST_COUNT_CAP + 5, counter);
    expect((await list({})).count).toEqual({ kind: "more", start: 1 });
    expect((await list({ q: "SIM-COUNTER-1" })).count).toEqual({ kind: "more", start: 1 });
    expect((await list({ terminal: front.terminal })).count).toEqual({ kind: "exact", total: 0, start: 1 });
  });
});

describe("what no index serves looks through a window, and goes on from its end", () => {
  it("counts within the window, stops at its end, and Next (and the CSV) go on", async () => {
    const old = [await tx(counter, { amount: 1250, provider: "ptx-old-1250" }), await tx(counter, { amount: 1250, provider: "ptx-old-1250-b" })];
    await txMany(TRANSACTION_SCAN_WINDOW + 10, counter, { amount: 100 });
    const recent = await tx(counter, { amount: 1250, provider: "ptx-new-1250" });
    const first = await list({ q: "12.50" });
    expect(first.rows.map((r) => r.id)).toEqual([recent]);
    expect(first.count).toMatchObject({ kind: "window", scanned: TRANSACTION_SCAN_WINDOW, matches: 1 });
    expect(first.count?.kind === "window" && first.count.through).toBeInstanceOf(Date);
    expect(first.lookedThrough).toBeInstanceOf(Date);
    expect(first.next).not.toBeNull();
    const second = await list({ q: "12.50" }, { after: first.next });
    expect(second.rows.map((r) => r.id)).toEqual([...old].reverse());
    expect(second.next).toBeNull();
    expect(second.count).toBeNull();
    // Previous from there looks back through a window of its own (none in it here), then on.
    const back = await list({ q: "12.50" }, { before: second.prev });
    expect(back.rows).toEqual([]);
    expect(back.lookedThrough).toBeInstanceOf(Date);
    expect((await list({ q: "12.50" }, { before: back.prev })).rows.map((r) => r.id)).toEqual([recent]);
    // The export does not stop at a window's end.
    expect((await transactionRows(staff(db), transactionList.values({ q: "12.50" }), null, 50)).map((r) => r.id)).toEqual([recent, ...[...old].reverse()]);
  });

  it("a small list is counted whole, even through the window", async () => {
    await tx(counter, { kind: "refund" });
    await tx(counter);
    expect((await list({ kind: "refund" })).count).toEqual({ kind: "window", scanned: TRANSACTION_SCAN_WINDOW, matches: 1, through: null });
  });
});

describe("filter options", () => {
  it("offers each terminal with its active pairing's name, and the registers with their location", async () => {
    const options = await queryTransactionFilterOptions(staff(db));
    expect(options.terminals).toEqual([
      { id: counter.terminal, terminalId: "SIM-COUNTER-1", pairingName: "Counter terminal" },
      { id: front.terminal, terminalId: "SIM-FRONT-2", pairingName: "Front desk" },
    ]);
    expect(options.registers).toEqual([{ id: till, name: "Front till", locationName: "Main Street" }]);
  });
});

describe("webhook deliveries", () => {
  async function delivery(pairing: number | null, verdict: string, at: number) {
    return run(
      "insert into webhook_deliveries (received_at, pairing_id, merchant_id, verdict, http_status, size_bytes, reason) values (?, ?, ?, ?, ?, 10, ?)",
      at,
      pairing,
      pairing ? merchant : null,
      verdict,
      verdict === "accepted" ? 200 : 401,
      verdict === "accepted" ? null : "The signature does not match.",
    );
  }
  async function event(transactionRef: number, deliveryId: number, status: string) {
    await run(
      "insert into transaction_events (transaction_ref, status, source, effect, delivery_id, fingerprint, at) values (?, ?, 'webhook', 'updated', ?, ?, ?)",
      transactionRef,
      status,
      deliveryId,
      crypto.randomUUID(),
      T0,
    );
  }

  it("shows each delivery's event and transaction, and filters by verdict, terminal, transaction and transaction id", async () => {
    const a = await tx(counter, { provider: "ptx-deliv-a" });
    const b = await tx(front, { provider: "ptx-deliv-b" });
    const d1 = await delivery(counter.pairing, "accepted", T0 + 1);
    await event(a, d1, "IN_PROGRESS");
    const d2 = await delivery(front.pairing, "accepted", T0 + 2);
    await event(b, d2, "SUCCESS");
    await event(a, d2, "SUCCESS");
    const d3 = await delivery(counter.pairing, "bad_signature", T0 + 3);
    const ids = async (input: Record<string, unknown>) => (await queryDeliveries(staff(db), deliveryList.values(input as never))).rows.map((r) => r.id);

    const rows = (await queryDeliveries(staff(db), deliveryList.values({}))).rows;
    expect(rows.map((r) => r.id)).toEqual([d3, d2, d1]);
    expect(rows.find((r) => r.id === d2)?.events).toEqual([
      { status: "SUCCESS", effect: "updated", transactionRef: b, providerTransactionId: "ptx-deliv-b" },
      { status: "SUCCESS", effect: "updated", transactionRef: a, providerTransactionId: "ptx-deliv-a" },
    ]);
    expect(rows.find((r) => r.id === d3)).toMatchObject({ events: [], reason: "The signature does not match.", pairingName: "Counter terminal" });

    expect(await ids({ verdict: "bad_signature" })).toEqual([d3]);
    expect(await ids({ verdict: "rejected" })).toEqual([d3]);
    expect(await ids({ terminal: counter.terminal })).toEqual([d3, d1]);
    expect(await ids({ transaction: a })).toEqual([d2, d1]);
    expect(await ids({ q: "ptx-deliv-b" })).toEqual([d2]);
    expect(await ids({ q: "ptx-deliv" })).toEqual([d2, d1]);
    expect(await ids({ q: "ptx-none" })).toEqual([]);
    expect((await deliveryRows(staff(db), deliveryList.values({ terminal: counter.terminal }), 1, 10)).map((r) => r.id)).toEqual([d1]);
  });

  it("pages by keyset, newest first, forward and back; an older bookmark's numbered page still opens, and its links go on by cursor", async () => {
    // 120 deliveries; two share each second, so the id breaks the ties.
    const made: number[] = [];
    for (let i = 0; i < 120; i++) made.push(await delivery(counter.pairing, i % 5 === 0 ? "bad_signature" : "accepted", T0 + Math.floor(i / 2) * 1000));
    const newest = [...made].reverse();
    const page = (input: Record<string, unknown>) => queryDeliveries(staff(db), deliveryList.values(input as never));
    const ids = (p: Awaited<ReturnType<typeof page>>) => p.rows.map((r) => r.id);

    const first = await page({});
    expect(ids(first)).toEqual(newest.slice(0, 50));
    expect([first.total, first.start, first.prev]).toEqual([120, 1, null]);
    const second = await page({ after: first.next });
    expect(ids(second)).toEqual(newest.slice(50, 100));
    expect(second.start).toBe(51);
    const third = await page({ after: second.next });
    expect(ids(third)).toEqual(newest.slice(100));
    expect([third.start, third.next]).toEqual([101, null]);
    // Back from the last page: the same second page, then the first (no Previous from it).
    const back = await page({ before: third.prev });
    expect(ids(back)).toEqual(newest.slice(50, 100));
    expect(back.start).toBe(51);
    const home = await page({ before: back.prev });
    expect(ids(home)).toEqual(newest.slice(0, 50));
    expect(home.prev).toBeNull();
    expect(home.next).toEqual(first.next);

    // `?page=3` of a bookmark made before the cursors: the same rows as the third page.
    const bookmarked = await page({ page: 3 });
    expect(ids(bookmarked)).toEqual(newest.slice(100));
    expect(bookmarked.start).toBe(101);
    expect(ids(await page({ before: bookmarked.prev }))).toEqual(newest.slice(50, 100));
    // Past the end: the last page, as before.
    expect(ids(await page({ page: 99 }))).toEqual(newest.slice(100));

    // A filter keeps to its rows on every page.
    const refused = await page({ verdict: "rejected" });
    expect(ids(refused)).toEqual(newest.filter((_, i) => (119 - i) % 5 === 0));
    expect(refused.next).toBeNull();
  });

  it("never shows another merchant's transaction as a delivery's event", async () => {
    const other = await testMerchant(db, "Harbour");
    const theirs = await terminal(other, "SIM-THEIRS", "Their till", "pc-theirs");
    const theirTx = await tx(theirs, { provider: "ptx-their-secret-sale", merchantId: other });
    const mine = await delivery(counter.pairing, "accepted", T0 + 9);
    await event(theirTx, mine, "SUCCESS");
    const rows = (await queryDeliveries(merchantCtx(db, merchant), deliveryList.values({}))).rows;
    expect(rows.find((r) => r.id === mine)?.events).toEqual([]);
    expect((await queryDeliveries(merchantCtx(db, merchant), deliveryList.values({ q: "ptx-their" }))).rows).toEqual([]);
  });
});

describe("locations export rows", () => {
  it("pages by offset in the list's order, with register counts", async () => {
    const second = await run("insert into locations (merchant_id, name, time_zone) values (?, 'Harbour front', 'UTC')", merchant);
    const rows = await locationRows(staff(db), { q: "", archived: "no", sort: "name", page: 1, merchant: null }, 0, 10);
    expect(rows.map((r) => r.name)).toEqual(["Harbour front", "Main Street"]);
    expect(rows[1]).toMatchObject({ registers: 1, unrouted: 1 });
    expect((await locationRows(staff(db), { q: "", archived: "no", sort: "name", page: 1, merchant: null }, 1, 10)).map((r) => r.id)).not.toContain(second);
  });
});
