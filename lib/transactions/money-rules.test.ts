/**
 * The money rules of issue 16, each on a real SQLite file (several connections where requests
 * race, as several server processes would):
 * - an operation on a transaction goes only through a pairing of the transaction's own merchant;
 * - an operation that ends a transaction (completion, cancel, revert) happens once;
 * - a refund is never reverted;
 * - a final transaction's amount and currency stay.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase, testDatabaseTarget } from "../test/db";
import { EVERY_MERCHANT, merchantScope, queryContext } from "../auth/scope";
import { openDatabase, type DB } from "../db/open";
import { pairings, terminals, transactionEvents, transactionOperations, transactions, webhookDeliveries } from "../db/schema";
import type { OperationKind } from "../domain";
import { pairTerminal } from "../pairing/pair-terminal";
import type { PairResult, TransactionProvider } from "../providers/types";
import { testMerchant } from "../test/merchants";
import { observed, pairedTerminal } from "../test/transactions";
import { providerAnswering } from "../test/two-merchants";
import { createUser } from "../users/users";
import { writeBatch } from "../webhooks/inbox";
import { refusalOf } from "./allowed";
import { applyTransactionEvent, type ObservedVia } from "./apply";
import { transactionFacts, UNKNOWN_ENDING_HOLD_MS } from "./facts";
import { runOperation, settleOperationsAfterStop, type OperationDeps, type Operator } from "./operations";
import { pollOnce } from "../poller/poller";
import { firstRow } from "../db/query";

let key = 0;
const rk = () => `00000000-0000-4000-c000-${String(++key).padStart(12, "0")}`;

/** A provider that counts the calls that reach it; `gate` holds every answer until released. */
function countingProvider(gate?: Promise<void>) {
  const calls: string[] = [];
  let n = 0;
  const answer = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    if (gate) await gate;
    return value;
  };
  const provider: Partial<TransactionProvider> = {
    charge: () => answer("charge", { transactionId: `ptx-new-${++n}` }),
    preauth: () => answer("preauth", { transactionId: `ptx-new-${++n}` }),
    independentRefund: () => answer("independentRefund", { transactionId: `ptx-new-${++n}` }),
    refund: () => answer("refund", { transactionId: `ptx-new-${++n}` }),
    cancel: () => answer("cancel", undefined),
    revert: () => answer("revert", { operationId: `op-${++n}`, transactionId: "x" }),
    preauthComplete: () => answer("preauthComplete", { operationId: `op-${++n}`, transactionId: "x" }),
    preauthIncrement: () => answer("preauthIncrement", { operationId: `op-${++n}`, transactionId: "x" }),
    getTransaction: async () => {
      calls.push("getTransaction");
      throw new Error("not expected");
    },
    getPrintSlip: async () => {
      calls.push("getPrintSlip");
      throw new Error("not expected");
    },
  };
  const deps: OperationDeps = {
    provider: () => provider as TransactionProvider,
    credentials: async (_db, p) => ({ clientId: p.clientId, clientSecret: "s" }),
  };
  return { deps, calls };
}

const staffAdmin = (userId: number): Operator => ({ id: userId, email: "ops@integrator.example", role: "admin" });

function observe(db: DB, via: ObservedVia, o: Parameters<typeof observed>[0], kind?: "preauth") {
  return db.transaction(
    (tx) => applyTransactionEvent(tx, { observation: observed(o), via, from: { source: "poll" }, ...(kind ? { create: { kind } } : {}) }),
    { behavior: "immediate" },
  );
}


describe("an operation goes only through the transaction's own merchant's pairing", () => {
  const pairResult = (word: string, n: number): PairResult => ({
    payConnectId: `pc-${word}-${n}`,
    payConnectName: `${word} Bar`,
    terminalId: "T-SHARED-1",
    clientId: `client-${word}-${n}`,
    clientSecret: `cs_${word}_${n}_0123456789abcdefghijklmnop`,
    webhookSecretKey: `whsec_${word}_${n}_0123456789abcdefghijkl`,
  });

  async function stolenTerminal() {
    const db = await openTestDatabase();
    const northwind = await testMerchant(db, "Northwind");
    const harbour = await testMerchant(db, "Harbour");
    const password = "a-long-test-password";
    const northAdmin = await createUser(db, { email: "boss@northwind.example", password, role: "merchant-admin", merchantId: northwind });
    const harbourAdmin = await createUser(db, { email: "boss@harbour.example", password, role: "merchant-admin", merchantId: harbour });
    const pair = async (merchantId: number, actor: { id: number; email: string }, r: PairResult) => {
      const out = await pairTerminal(
        db,
        providerAnswering(r),
        { requestKey: rk(), merchantId, environment: "sandbox", name: r.payConnectName, otp: "ABCD2345", webhookUrl: null, webhookToken: null },
        actor,
      );
      if (out.kind !== "paired") throw new Error(JSON.stringify(out));
      return out;
    };
    const north = await pair(northwind, northAdmin, pairResult("NW", 1));
    const via: ObservedVia = { pairingId: north.pairingId, merchantId: northwind, terminalRef: north.terminalRef, environment: "sandbox" };
    const charge = (await observe(db, via, { transactionId: "ptx-780", status: "SUCCESS", amount: 780, completedAt: 1_000 })).transactionRef;
    const open = (await observe(db, via, { transactionId: "ptx-open", status: "IN_PROGRESS", amount: 500 })).transactionRef;
    const preauth = (await observe(db, via, { transactionId: "ptx-pre", status: "SUCCESS", amount: 2000, completedAt: 500 }, "preauth")).transactionRef;
    // Harbour pairs the same terminal with an OTP from its screen: it moves to Harbour.
    const stolen = await pair(harbour, harbourAdmin, pairResult("HB stolen", 2));
    const northCtx = queryContext(db, merchantScope(northwind));
    const northOperator: Operator = { id: northAdmin.id, email: northAdmin.email, role: "merchant-admin" };
    return { db, northwind, harbour, north, stolen, charge, open, preauth, northCtx, northOperator };
  }

  it("refuses Northwind's refund, revert, cancel, completion and increase once Harbour has paired its terminal; nothing reaches Pay-Connect", async () => {
    const s = await stolenTerminal();
    const { db } = s;
    expect(await firstRow(db.select({ merchantId: terminals.merchantId }).from(terminals).where(eq(terminals.id, s.north.terminalRef)).limit(1))).toEqual({ merchantId: s.harbour });
    expect(await firstRow(db.select({ status: pairings.status }).from(pairings).where(eq(pairings.id, s.north.pairingId)).limit(1))).toEqual({ status: "replaced" });
    const { deps, calls } = countingProvider();
    const requests = [
      { kind: "refund", requestKey: rk(), transactionRef: s.charge, amount: 100 },
      { kind: "revert", requestKey: rk(), transactionRef: s.charge },
      { kind: "cancel", requestKey: rk(), transactionRef: s.open },
      { kind: "preauth_complete", requestKey: rk(), transactionRef: s.preauth, amount: 2000 },
      { kind: "preauth_increment", requestKey: rk(), transactionRef: s.preauth, amount: 100 },
    ] as const;
    for (const req of requests) {
      const out = await runOperation(s.northCtx, deps, s.northOperator, req);
      expect(out, req.kind).toMatchObject({
        ok: false,
        code: "paired_elsewhere",
        message: expect.stringMatching(/^Terminal T-SHARED-1 is paired to another merchant now.*independent refund from one of your own terminals\.$/),
      });
    }
    // Staff see the same refusal: the rule is the transaction's merchant, not the user's scope.
    const staff = await runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(s.north.pairingId), { kind: "refund", requestKey: rk(), transactionRef: s.charge, amount: 100 });
    expect(staff).toMatchObject({ ok: false, code: "paired_elsewhere" });
    expect(calls).toEqual([]);
    expect(await db.select().from(transactionOperations)).toEqual([]);
    // The page offers none of them, and says why.
    const facts = await transactionFacts(db, (await firstRow(db.select().from(transactions).where(eq(transactions.id, s.charge)).limit(1)))!);
    expect(facts.pairing).toBe("elsewhere");
    expect(refusalOf("refund", facts)).toMatch(/paired to another merchant now/);
  });

  it("the poller does not ask about Northwind's open transaction with Harbour's credentials", async () => {
    const s = await stolenTerminal();
    const { deps, calls } = countingProvider();
    await s.db.transaction((tx) => tx.update(transactions).set({ nextPollAt: new Date(0) }).where(eq(transactions.merchantId, s.northwind)));
    await pollOnce({ db: s.db, provider: deps.provider, credentials: deps.credentials, now: () => Date.now(), holder: "test", failures: new Map() });
    expect(calls).toEqual([]);
    const open = (await firstRow(s.db.select().from(transactions).where(eq(transactions.id, s.open)).limit(1)))!;
    expect(open).toMatchObject({ nextPollAt: null, pollError: expect.stringMatching(/paired to another merchant now/) });
  });

  it("Harbour's own charges on the terminal go through Harbour's pairing", async () => {
    const s = await stolenTerminal();
    const { deps, calls } = countingProvider();
    const harbourCtx = queryContext(s.db, merchantScope(s.harbour));
    const out = await runOperation(harbourCtx, deps, { id: 1, email: "x", role: "admin" }, { kind: "charge", requestKey: rk(), terminalRef: s.stolen.terminalRef, amount: 100 });
    expect(out).toMatchObject({ ok: true });
    expect(calls).toEqual(["charge"]);
    expect(await firstRow(s.db.select({ pairingId: transactionOperations.pairingId, merchantId: transactionOperations.merchantId }).from(transactionOperations).limit(1))).toEqual({
      pairingId: s.stolen.pairingId,
      merchantId: s.harbour,
    });
  });
});

describe("an operation that ends a transaction happens once", () => {
  /** Four connections on one file, as four requests on as many server processes; the provider answers only once all four have been submitted. */
  async function race(kind: OperationKind, setup: (db: DB, t: Awaited<ReturnType<typeof pairedTerminal>>) => Promise<number>, amount?: number) {
    const file = await testDatabaseTarget({ file: true });
    const first = openDatabase(file);
    const t = await pairedTerminal(first);
    const ref = await setup(first, t);
    const dbs = [first, ...[1, 2, 3].map(() => openDatabase(file, { migrate: false }))];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { deps, calls } = countingProvider(gate);
    const submitted = dbs.map((db) =>
      runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(t.userId), {
        kind,
        requestKey: rk(),
        transactionRef: ref,
        ...(amount !== undefined ? { amount } : {}),
      } as Parameters<typeof runOperation>[3]),
    );
    release();
    const outcomes = await Promise.all(submitted);
    return { db: first, t, ref, outcomes, calls, deps };
  }
  const preauth = async (db: DB, t: Awaited<ReturnType<typeof pairedTerminal>>) =>
    (await observe(db, t.via, { transactionId: `pre-${rk()}`, status: "SUCCESS", amount: 2000, completedAt: 1_000 }, "preauth")).transactionRef;

  it("four completions of a preauthorisation at once: one reaches Pay-Connect; a later one, Complete and Increase are refused", async () => {
    const { db, t, ref, outcomes, calls, deps } = await race("preauth_complete", preauth, 2000);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    for (const o of outcomes.filter((x) => !x.ok)) expect(o).toMatchObject({ code: "not_allowed", message: expect.stringMatching(/^A completion of it was sent and has not ended yet/) });
    expect(calls).toEqual(["preauthComplete"]);
    // Two seconds later, and once it succeeded: still once.
    const again = await runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(t.userId), { kind: "preauth_complete", requestKey: rk(), transactionRef: ref, amount: 2000 });
    expect(again).toMatchObject({ ok: false, code: "not_allowed" });
    await db.transaction((tx) => tx.update(transactionOperations).set({ status: "succeeded" }).where(eq(transactionOperations.kind, "preauth_complete")));
    const facts = await transactionFacts(db, (await firstRow(db.select().from(transactions).where(eq(transactions.id, ref)).limit(1)))!);
    expect(refusalOf("preauth_complete", facts)).toBe("It is already completed: it cannot be completed again.");
    expect(refusalOf("preauth_increment", facts)).toBe("It is already completed: it can no longer be increased.");
    // A completed preauthorisation is a captured payment: it can be refunded and (the latest success) reverted.
    expect(refusalOf("refund", facts)).toBeNull();
    expect(refusalOf("revert", facts)).toBeNull();
    expect(calls).toEqual(["preauthComplete"]);
  });

  it("four reverts of the latest charge at once: one reaches Pay-Connect", async () => {
    const { outcomes, calls } = await race("revert", async (db, t) => (await observe(db, t.via, { transactionId: "chg-latest", status: "SUCCESS", amount: 780, completedAt: 1_000 })).transactionRef);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.message)).toEqual(Array(3).fill(expect.stringMatching(/^A revert of it was sent and has not ended yet/)));
    expect(calls).toEqual(["revert"]);
  });

  it("four cancels of an open payment at once: one reaches Pay-Connect; a failed one may be tried again", async () => {
    const { db, t, ref, outcomes, calls, deps } = await race("cancel", async (db, t) => (await observe(db, t.via, { transactionId: "chg-open", status: "IN_PROGRESS", amount: 780 })).transactionRef);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(calls).toEqual(["cancel"]);
    await db.transaction((tx) => tx.update(transactionOperations).set({ status: "failed" }).where(eq(transactionOperations.kind, "cancel")));
    expect(await runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(t.userId), { kind: "cancel", requestKey: rk(), transactionRef: ref })).toMatchObject({ ok: true });
  });

  it("a revert waits for a refund still open, and a refund waits for a revert still open", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps } = countingProvider();
    const ctx = queryContext(db, EVERY_MERCHANT);
    const charge = (await observe(db, t.via, { transactionId: "chg-a", status: "SUCCESS", amount: 1000, completedAt: 1_000 })).transactionRef;
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "refund", requestKey: rk(), transactionRef: charge, amount: 100 })).toMatchObject({ ok: true });
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "revert", requestKey: rk(), transactionRef: charge })).toMatchObject({
      ok: false,
      message: "A refund of it is still open: a revert waits until it has ended.",
    });
    const other = (await observe(db, t.via, { transactionId: "chg-b", status: "SUCCESS", amount: 1000, completedAt: 2_000 })).transactionRef;
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "revert", requestKey: rk(), transactionRef: other })).toMatchObject({ ok: true });
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "refund", requestKey: rk(), transactionRef: other, amount: 100 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^A revert of it was sent/),
    });
  });
});

describe("a refund is never reverted", () => {
  it("refuses a revert of a refund that is the terminal's latest success, and of an independent refund; the charge's revert says why not", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps, calls } = countingProvider();
    const ctx = queryContext(db, EVERY_MERCHANT);
    const charge = (await observe(db, t.via, { transactionId: "chg-1", status: "SUCCESS", amount: 500, completedAt: 1_000 })).transactionRef;
    const refund = (await db.transaction(
      (tx) =>
        applyTransactionEvent(tx, {
          observation: observed({ transactionId: "ref-1", status: "SUCCESS", amount: 150, completedAt: 2_000, linkedTransactionId: "chg-1", tags: ["refund"] }),
          via: t.via,
          from: { source: "poll" },
        }),
      { behavior: "immediate" },
    )).transactionRef;
    expect(await firstRow(db.select({ kind: transactions.kind }).from(transactions).where(eq(transactions.id, refund)).limit(1))).toEqual({ kind: "refund" });
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "revert", requestKey: rk(), transactionRef: refund })).toMatchObject({
      ok: false,
      message: "A refund cannot be reverted: Pay-Connect reverts payments (charges and completed preauthorisations) only.",
    });
    const independent = (await db.transaction(
      (tx) =>
        applyTransactionEvent(tx, {
          observation: observed({ transactionId: "ind-1", status: "SUCCESS", amount: 90, completedAt: 3_000, tags: ["refund"] }),
          via: t.via,
          from: { source: "poll" },
        }),
      { behavior: "immediate" },
    )).transactionRef;
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "revert", requestKey: rk(), transactionRef: independent })).toMatchObject({ ok: false, message: expect.stringMatching(/^A refund cannot be reverted/) });
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "revert", requestKey: rk(), transactionRef: charge })).toMatchObject({ ok: false, message: expect.stringMatching(/a later one \(perhaps a refund of this one\) succeeded since/) });
    expect(calls).toEqual([]);
  });
});

describe("a final transaction's amount and currency stay", () => {
  async function finished() {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const ref = (await observe(db, t.via, { transactionId: "ptx-1280", status: "SUCCESS", amount: 1280, currency: "EUR", completedAt: 1_000 })).transactionRef;
    const deliver = async (o: Parameters<typeof observed>[0]) => {
      const body = Buffer.from("{}");
      return (await writeBatch(db, [
        { pairingId: t.pairingId, merchantId: t.merchantId, verdict: "accepted", httpStatus: 200, sizeBytes: 2, body, signatureForm: "raw", apply: { transactions: [observed(o)], via: t.via } },
      ]))[0]!;
    };
    return { db, t, ref, deliver };
  }

  it("a signed delivery with another amount or currency is stored, not applied, and flagged on the transaction and the delivery", async () => {
    const { db, ref, deliver } = await finished();
    for (const [change, words] of [
      [{ amount: 999999 }, /the amount is €9,999\.99, but the transaction is final at €12\.80/],
      [{ currency: "JPY" }, /the currency is JPY, but the transaction is final in EUR/],
    ] as const) {
      const stored = await deliver(Object.assign({ transactionId: "ptx-1280", status: "SUCCESS" as const, amount: 1280, currency: "EUR", completedAt: 1000 }, change));
      const delivery = (await firstRow(db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, stored.id)).limit(1)))!;
      expect(delivery.processError).toBeNull();
      expect(delivery.conflict).toMatch(words);
      const t = (await firstRow(db.select().from(transactions).where(eq(transactions.id, ref)).limit(1)))!;
      expect(t).toMatchObject({ amount: 1280, currency: "EUR", status: "SUCCESS", conflictNote: expect.stringMatching(words) });
      expect(t.conflictAt).not.toBeNull();
      const event = (await firstRow(db.select().from(transactionEvents).where(eq(transactionEvents.deliveryId, stored.id)).limit(1)))!;
      expect(event).toMatchObject({ effect: "ignored", note: expect.stringMatching(/^Conflict, not applied/) });
    }
  });

  it("a successful preauthorisation's amount follows its own increase and completion, and nothing else", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps } = countingProvider();
    const ref = (await observe(db, t.via, { transactionId: "pre-1", status: "SUCCESS", amount: 2000, completedAt: 1_000 }, "preauth")).transactionRef;
    expect(await runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(t.userId), { kind: "preauth_increment", requestKey: rk(), transactionRef: ref, amount: 500 })).toMatchObject({ ok: true });
    await observe(db, t.via, { transactionId: "pre-1", status: "SUCCESS", amount: 99999, completedAt: 1_000 });
    expect(await firstRow(db.select({ amount: transactions.amount }).from(transactions).where(eq(transactions.id, ref)).limit(1))).toEqual({ amount: 2000 });
    await observe(db, t.via, { transactionId: "pre-1", status: "SUCCESS", amount: 2500, completedAt: 1_000 });
    expect(await firstRow(db.select({ amount: transactions.amount }).from(transactions).where(eq(transactions.id, ref)).limit(1))).toEqual({ amount: 2500 });
  });
});

describe("what the red team found", () => {
  it("a record a crash left pending (or a follow-up left sent) blocks the others for 30 minutes at most, and a start marks it outcome unknown", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const ctx = queryContext(db, EVERY_MERCHANT);
    const charge = (await observe(db, t.via, { transactionId: "chg-crash", status: "SUCCESS", amount: 1000, completedAt: 1_000 })).transactionRef;
    const startedAt = Date.now();
    await db.transaction((tx) => tx.insert(transactionOperations)
      .values({ requestKey: rk(), kind: "revert", merchantId: t.merchantId, environment: "sandbox", terminalRef: t.terminalRef, pairingId: t.pairingId, transactionRef: charge, createdById: t.userId, createdAt: new Date(startedAt - 1_000) }));
    const { deps, calls } = countingProvider();
    expect(await runOperation(ctx, deps, staffAdmin(t.userId), { kind: "refund", requestKey: rk(), transactionRef: charge, amount: 100 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^A revert of it was sent/),
    });
    expect(await settleOperationsAfterStop(db, new Date(startedAt))).toBe(1);
    expect(await firstRow(db.select({ status: transactionOperations.status, reason: transactionOperations.reason }).from(transactionOperations).limit(1))).toEqual({
      status: "outcome_unknown",
      reason: expect.stringMatching(/^Pairdesk stopped while sending it/),
    });
    // Thirty minutes on, the transaction's own status is the truth: a refund goes.
    const later = { ...deps, now: () => startedAt + UNKNOWN_ENDING_HOLD_MS + 1 };
    expect(await runOperation(ctx, later, staffAdmin(t.userId), { kind: "refund", requestKey: rk(), transactionRef: charge, amount: 100 })).toMatchObject({ ok: true });
    expect(calls).toEqual(["refund"]);
  });

  it("a webhook through another merchant's pairing of the terminal changes nothing of the first merchant's payment", async () => {
    const db = await openTestDatabase();
    const north = await pairedTerminal(db);
    const charge = (await observe(db, north.via, { transactionId: "ptx-north", status: "SUCCESS", amount: 780, completedAt: 1_000 })).transactionRef;
    const harbour = await testMerchant(db, "Harbour");
    const via: ObservedVia = { ...north.via, merchantId: harbour };
    const stored = (await writeBatch(db, [
      { pairingId: north.pairingId, merchantId: harbour, verdict: "accepted", httpStatus: 200, sizeBytes: 2, body: Buffer.from("{}"), signatureForm: "raw", apply: { transactions: [observed({ transactionId: "ptx-north", status: "REVERTED", amount: 780, refundTotalAmount: 700 })], via } },
    ]))[0]!;
    expect(stored.processError).toMatch(/belongs to a merchant that paired this terminal before/);
    expect(await firstRow(db.select({ status: transactions.status, refunded: transactions.refundTotalAmount }).from(transactions).where(eq(transactions.id, charge)).limit(1))).toEqual({ status: "SUCCESS", refunded: 0 });
  });

  it("a final transaction's tip and total stay, and a payment Pairdesk sent keeps the amount it asked for", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const ref = (await observe(db, t.via, { transactionId: "ptx-1000", status: "SUCCESS", amount: 1000, tipAmount: 0, totalAmount: 1000, completedAt: 1_000 })).transactionRef;
    const r = await observe(db, t.via, { transactionId: "ptx-1000", status: "SUCCESS", amount: 1000, tipAmount: 0, totalAmount: 999999, completedAt: 1_000 });
    expect(r.conflict).toMatch(/A final transaction's amounts do not change/);
    expect(await firstRow(db.select({ total: transactions.totalAmount }).from(transactions).where(eq(transactions.id, ref)).limit(1))).toEqual({ total: 1000 });

    const { deps } = countingProvider();
    const sent = await runOperation(queryContext(db, EVERY_MERCHANT), deps, staffAdmin(t.userId), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, amount: 100 });
    expect(sent).toMatchObject({ ok: true });
    const id = (await firstRow(db.select({ id: transactions.providerTransactionId }).from(transactions).where(eq(transactions.id, (sent as { transactionRef: number }).transactionRef)).limit(1)))!.id;
    const big = await observe(db, t.via, { transactionId: id, status: "SUCCESS", amount: 999999, completedAt: 2_000 });
    expect(big.conflict).toMatch(/says the amount is (€)?9,?999\.99, but Pairdesk sent it for (€)?1\.00/);
    expect(await firstRow(db.select({ amount: transactions.amount, status: transactions.status }).from(transactions).where(eq(transactions.providerTransactionId, id)).limit(1))).toEqual({ amount: 100, status: "INITIATED" });
  });
});
