/**
 * The webhook endpoint's verdicts on a real database, with a pairing made through the real
 * pairing path (its webhook secret sealed in the vault): each status code, what is stored, what
 * is applied, and that nothing unverified changes a transaction.
 */
import { eq } from "drizzle-orm";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it } from "vitest";
import { ENGINE } from "../db/engine";
import type { DB } from "../db/open";
import { refuseWrites } from "../test/faults";
import { pairings, transactionEvents, transactions, webhookDeliveries } from "../db/schema";
import { pairTerminal } from "../pairing/pair-terminal";
import { payConnectWebhooks, hmacHex, sortedPython } from "../pay-connect/webhook";
import { testMerchant } from "../test/merchants";
import { providerAnswering } from "../test/two-merchants";
import { createUser } from "../users/users";
import { BURST_DELIVERIES, ingestingBurst, pruneRejected, REJECTED_BODY_BYTES, REJECTED_KEEP, writeBatch } from "./inbox";
import { forgetWebhookSecrets, receiveWebhook } from "./receive";
import { firstRow } from "../db/query";

const SECRET = "whsec_test_0123456789abcdefghijklmnop";
let db: DB;
let token: string;
let pairingId: number;
let n = 0;

async function pair(secret: string | null) {
  const merchantId = await testMerchant(db, `Shop ${++n}`);
  const actor = await createUser(db, { email: `a${n}@shop.example`, password: "a-long-test-password", role: "admin" });
  const out = await pairTerminal(
    db,
    providerAnswering({
      payConnectId: `pc-${n}`,
      payConnectName: "Till",
      terminalId: `T-${n}`,
      clientId: `client-${n}`,
      clientSecret: `cs_${n}_0123456789abcdefghijklmnop`,
      webhookSecretKey: secret,
    }),
    {
      requestKey: `00000000-0000-4000-a000-${String(n).padStart(12, "0")}`,
      merchantId,
      environment: "sandbox",
      name: "Till",
      otp: "ABCD2345",
      webhookUrl: `http://app.test/api/webhooks/pay-connect/tok${n}`,
      webhookToken: `tok${n}-0123456789`,
    },
    actor,
  );
  if (out.kind !== "paired") throw new Error(JSON.stringify(out));
  return { token: `tok${n}-0123456789`, pairingId: out.pairingId };
}

const item = (overrides: Record<string, unknown> = {}) => ({
  id: "tx-1",
  status: "SUCCESS",
  amount: 1250,
  currency: "EUR",
  tags: ["charge"],
  card_number: "**** 4242",
  ...overrides,
});

function post(body: string | Buffer, signature: string | null, to = token, headers: Record<string, string> = {}) {
  return receiveWebhook(
    db,
    payConnectWebhooks,
    new Request(`http://app.test/api/webhooks/pay-connect/${to}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(signature ? { Signature: signature } : {}), ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    }),
    to,
  );
}

const signed = (body: string, secret = SECRET) => post(body, hmacHex(secret, body));
const deliveries = async () => await db.select().from(webhookDeliveries).orderBy(webhookDeliveries.id);
const txRow = async (id: string) => await firstRow(db.select().from(transactions).where(eq(transactions.providerTransactionId, id)).limit(1));

beforeEach(async () => {
  db = await openTestDatabase();
  forgetWebhookSecrets();
  ({ token, pairingId } = await pair(SECRET));
});

describe("the webhook endpoint", () => {
  it("accepts a signed array, stores it raw and applies it: 200", async () => {
    const body = JSON.stringify([item()]);
    const res = await signed(body);
    expect(res.status).toBe(200);
    const [d] = await deliveries();
    expect(d).toMatchObject({ verdict: "accepted", httpStatus: 200, pairingId, signatureForm: "raw", eventCount: 1, processError: null });
    expect(d!.body!.toString()).toBe(body);
    expect(await txRow("tx-1")).toMatchObject({ status: "SUCCESS", statusSource: "webhook", pairingId, amount: 1250 });
    const events = await db.select().from(transactionEvents);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: "webhook", deliveryId: d!.id, effect: "created" });
    // The card number is kept as its last four digits only.
    expect(JSON.parse((await txRow("tx-1"))!.details!)).toMatchObject({ card_last4: "4242" });
    expect((await txRow("tx-1"))!.details).not.toContain("****");
  });

  it("says a burst is on while deliveries arrive by the dozen, and not once they stop", async () => {
    const quietUntil = Date.now() + 2_500;
    expect(ingestingBurst(quietUntil)).toBe(false);
    const bodies = Array.from({ length: BURST_DELIVERIES }, (_, i) => JSON.stringify([item({ id: `burst-${i}` })]));
    expect((await Promise.all(bodies.map((b) => signed(b)))).map((r) => r.status)).toEqual(bodies.map(() => 200));
    expect(ingestingBurst()).toBe(true);
    // Two seconds without a delivery: the burst is over.
    expect(ingestingBurst(Date.now() + 2_500)).toBe(false);
  });

  it("accepts a single object and the sorted-keys signature form", async () => {
    const value = item({ id: "tx-single", status: "IN_PROGRESS" });
    const body = JSON.stringify(value);
    const res = await post(body, hmacHex(SECRET, sortedPython(value)));
    expect(res.status).toBe(200);
    expect((await deliveries())[0]).toMatchObject({ verdict: "accepted", signatureForm: "sorted" });
    expect((await txRow("tx-single"))!.status).toBe("IN_PROGRESS");
  });

  it("records a duplicate delivery without a second event", async () => {
    const body = JSON.stringify([item()]);
    await signed(body);
    expect((await signed(body)).status).toBe(200);
    expect((await deliveries()).map((d) => d.eventCount)).toEqual([1, 0]);
    expect(await db.select().from(transactionEvents)).toHaveLength(1);
  });

  it("a pairing's verified delivery about another terminal's (another merchant's) transaction changes nothing there", async () => {
    // Merchant A's pairing reports a transaction; merchant B's pairing, with its own valid secret,
    // then sends a delivery about that same transaction id.
    expect((await signed(JSON.stringify([item({ id: "tx-a", status: "IN_PROGRESS" })]))).status).toBe(200);
    const other = await pair("whsec_other_0123456789abcdefghijklmn");
    const body = JSON.stringify([item({ id: "tx-a", status: "DECLINED" })]);
    const res = await post(body, hmacHex("whsec_other_0123456789abcdefghijklmn", body), other.token);
    // Stored and answered 200 (the provider must not retry it), but not applied, and it says why.
    expect(res.status).toBe(200);
    const last = (await deliveries()).at(-1)!;
    expect(last).toMatchObject({ verdict: "accepted", pairingId: other.pairingId, eventCount: 0 });
    expect(last.processError).toBe("Transaction tx-a belongs to another terminal than this pairing's: it was not changed.");
    expect(await txRow("tx-a")).toMatchObject({ status: "IN_PROGRESS", pairingId });
    expect(await db.select().from(transactionEvents).where(eq(transactionEvents.deliveryId, last.id))).toEqual([]);
  });

  it("refuses a forged delivery with 403, stores it, and changes nothing", async () => {
    await signed(JSON.stringify([item({ status: "IN_PROGRESS" })]));
    const forged = JSON.stringify([item({ status: "SUCCESS" })]);
    for (const signature of [hmacHex("wrong-key", forged), "abc", null, hmacHex(SECRET, forged).slice(0, 40)]) {
      const res = await post(forged, signature);
      expect(res.status).toBe(403);
    }
    expect((await txRow("tx-1"))!.status).toBe("IN_PROGRESS");
    expect((await deliveries()).slice(1).map((d) => d.verdict)).toEqual(["bad_signature", "bad_signature", "bad_signature", "bad_signature"]);
    expect((await deliveries())[1]!.eventCount).toBeNull();
  });

  it("answers 400 to a verified body that is not a transaction, and keeps it for reprocessing", async () => {
    for (const body of ["not json", JSON.stringify([{ id: "x", status: "SUCCESS", amount: "12.50" }]), JSON.stringify({ event: "operation" })]) {
      expect((await signed(body)).status).toBe(400);
    }
    const rows = await deliveries();
    expect(rows.map((d) => d.verdict)).toEqual(["unparsed", "unparsed", "unparsed"]);
    expect(rows[1]!.reason).toMatch(/amount/);
    expect(await db.select().from(transactions)).toHaveLength(0);
  });

  it("answers 404 to an unknown token and 410 to an ended pairing", async () => {
    const body = JSON.stringify([item()]);
    expect((await post(body, hmacHex(SECRET, body), "no-such-token-123")).status).toBe(404);
    await db.transaction((tx) => tx.update(pairings).set({ status: "unpaired" }).where(eq(pairings.id, pairingId)));
    expect((await signed(body)).status).toBe(410);
    expect((await deliveries()).map((d) => [d.verdict, d.httpStatus])).toEqual([
      ["unknown_pairing", 404],
      ["gone", 410],
    ]);
    expect(await db.select().from(transactions)).toHaveLength(0);
  });

  it("answers 403 to every delivery of a pairing without a webhook secret", async () => {
    const other = await pair(null);
    const body = JSON.stringify([item()]);
    const res = await post(body, hmacHex(SECRET, body), other.token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/status comes from polling/);
    expect((await deliveries()).at(-1)).toMatchObject({ verdict: "no_secret", pairingId: other.pairingId });
  });

  it("refuses a body over 1 MiB with 413 without reading it", async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 32);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 40) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const res = await receiveWebhook(
      db,
      payConnectWebhooks,
      new Request(`http://app.test/api/webhooks/pay-connect/${token}`, { method: "POST", body: stream, duplex: "half" } as RequestInit),
      token,
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect((await post(big, "00")).status).toBe(413);
    expect((await deliveries()).map((d) => [d.verdict, d.body])).toEqual([
      ["too_large", null],
      ["too_large", null],
    ]);
  });

  it("keeps a stored delivery when applying it fails, and answers 500 when it cannot be stored", async () => {
    await refuseWrites(db, "stall_tx", "transactions", "disk full");
    expect((await signed(JSON.stringify([item({ id: "tx-fail" })]))).status).toBe(200);
    expect((await deliveries())[0]).toMatchObject({ verdict: "accepted", eventCount: 0, processedAt: null });
    expect((await deliveries())[0]!.processError).toMatch(/reprocessed/);
    await refuseWrites(db, "stall_delivery", "webhook_deliveries", "disk full");
    expect((await signed(JSON.stringify([item({ id: "tx-2" })]))).status).toBe(500);
  });

  // SQLite only: there each request's pairing lookup completes within the same turn, so all 20
  // reach the inbox before its batch starts; on Postgres the lookups are network round trips and
  // the 20 arrive over several turns, forming more than one batch by design.
  it.skipIf(ENGINE === "postgres")("writes concurrent deliveries in one transaction (group commit)", async () => {
    let commits = 0;
    const original = db.transaction.bind(db);
    (db as { transaction: DB["transaction"] }).transaction = ((fn: never, config: never) => {
      commits += 1;
      return original(fn, config);
    }) as DB["transaction"];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signed(JSON.stringify([item({ id: `tx-g${i}` })]))));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(commits).toBe(1);
    expect(await deliveries()).toHaveLength(20);
  });

  it("cuts rejected bodies and prunes the oldest rejected rows only", async () => {
    const big = Buffer.alloc(10_000, 65);
    await writeBatch(db, [{ pairingId: null, merchantId: null, verdict: "unknown_pairing", httpStatus: 404, sizeBytes: big.length, body: big }]);
    expect((await deliveries())[0]).toMatchObject({ sizeBytes: 10_000, bodyTruncated: true });
    expect((await deliveries())[0]!.body!.length).toBe(REJECTED_BODY_BYTES);
    const rows = Array.from({ length: REJECTED_KEEP + 5 }, () => ({
      pairingId: null,
      merchantId: null,
      verdict: "bad_signature" as const,
      httpStatus: 403,
      sizeBytes: 1,
      body: Buffer.from("x"),
    }));
    await writeBatch(db, [{ pairingId, merchantId: null, verdict: "accepted", httpStatus: 200, sizeBytes: 1, body: Buffer.from("[]") }]);
    // The write that crosses the cap drops the oldest refused rows itself.
    await writeBatch(db, rows);
    expect((await deliveries()).filter((d) => d.verdict === "accepted")).toHaveLength(1);
    expect(await deliveries()).toHaveLength(REJECTED_KEEP + 1);
    expect(await pruneRejected(db)).toBe(0);
    // More refused deliveries, one write each (as many requests would make them): never over the cap.
    for (let i = 0; i < 25; i++) {
      await writeBatch(db, [{ pairingId: null, merchantId: null, verdict: "unknown_pairing", httpStatus: 404, sizeBytes: 1, body: Buffer.from("y") }]);
      expect((await deliveries()).filter((d) => d.verdict !== "accepted")).toHaveLength(REJECTED_KEEP);
    }
    expect((await deliveries()).filter((d) => d.verdict === "accepted")).toHaveLength(1);
  });
});
