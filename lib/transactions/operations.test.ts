import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase, testDatabaseTarget } from "../test/db";
import { refuseWrites } from "../test/faults";
import { merchantScope, queryContext, EVERY_MERCHANT } from "../auth/scope";
import { openDatabase, rawQuery, type DB } from "../db/open";
import { auditLog, merchants, terminals, transactionOperations, transactions } from "../db/schema";
import { PayConnectError } from "../pay-connect/errors";
import type { TransactionProvider } from "../providers/types";
import { observed, pairedTerminal } from "../test/transactions";
import { refundableAmount } from "./allowed";
import { applyTransactionEvent } from "./apply";
import { runOperation, type OperationDeps, type Operator } from "./operations";
import { firstRow } from "../db/query";
import { createLocation } from "../registers/locations";
import { createRegister } from "../registers/registers";
import { routeRegister } from "../registers/routing";

let key = 0;
const rk = () => `00000000-0000-4000-b000-${String(++key).padStart(12, "0")}`;

function stubProvider(overrides: Partial<TransactionProvider> = {}) {
  const calls: { name: string; args: unknown[] }[] = [];
  let n = 0;
  const base: Partial<TransactionProvider> = {
    charge: async () => ({ transactionId: `ptx-${++n}` }),
    preauth: async () => ({ transactionId: `ptx-${++n}` }),
    independentRefund: async () => ({ transactionId: `ptx-${++n}` }),
    refund: async () => ({ transactionId: `ptx-${++n}` }),
    cancel: async () => undefined,
    revert: async () => ({ operationId: "op-1", transactionId: "x" }),
    preauthComplete: async () => ({ operationId: "op-2", transactionId: "x" }),
    preauthIncrement: async () => ({ operationId: "op-3", transactionId: "x" }),
    ...overrides,
  };
  const provider = new Proxy({} as TransactionProvider, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      calls.push({ name, args });
      return (base as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
    },
  });
  const deps: OperationDeps = { provider: () => provider, credentials: async (_db, p) => ({ clientId: p.clientId, clientSecret: "s" }) };
  return { deps, calls };
}

const admin = (t: { userId: number }): Operator => ({ id: t.userId, email: "admin@example.test", role: "admin" });
const staff = (db: DB) => queryContext(db, EVERY_MERCHANT);

async function success(db: DB, t: Awaited<ReturnType<typeof pairedTerminal>>, id: string, amount: number, at = Date.now()) {
  return (await db.transaction(
    async (tx) =>
      applyTransactionEvent(tx, {
        observation: observed({ transactionId: id, status: "SUCCESS", amount, completedAt: at }),
        via: t.via,
        from: { source: "poll" },
        at,
      }),
    { behavior: "immediate" },
  )).transactionRef;
}

describe("runOperation", () => {
  it("increases a successful preauthorisation (an operation followed by the poller), and nothing else", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps, calls } = stubProvider();
    const at = Date.now();
    const preauth = (await db.transaction(
      (tx) =>
        applyTransactionEvent(tx, {
          observation: observed({ transactionId: "pre-1", status: "SUCCESS", amount: 2000, completedAt: at }),
          via: t.via,
          from: { source: "poll" },
          at,
          create: { kind: "preauth" },
        }),
      { behavior: "immediate" },
    )).transactionRef;
    const charge = await success(db, t, "chg-1", 1000);
    const out = await runOperation(staff(db), deps, admin(t), { kind: "preauth_increment", requestKey: rk(), transactionRef: preauth, amount: 350 });
    expect(out).toMatchObject({ ok: true });
    expect(calls.at(-1)).toMatchObject({ name: "preauthIncrement", args: [{}, "pre-1", { amount: 350 }] });
    const op = (await firstRow(db.select().from(transactionOperations).where(eq(transactionOperations.kind, "preauth_increment")).limit(1)))!;
    expect(op).toMatchObject({ status: "sent", providerOperationId: "op-3", amount: 350, transactionRef: preauth });
    expect(op.nextPollAt).not.toBeNull();
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "transaction.preauth_increment"))).toHaveLength(1);

    const refused = await runOperation(staff(db), deps, admin(t), { kind: "preauth_increment", requestKey: rk(), transactionRef: charge, amount: 350 });
    expect(refused).toMatchObject({ ok: false, code: "not_allowed", message: "Only a preauthorisation can be increased." });
    expect(calls.filter((c) => c.name === "preauthIncrement")).toHaveLength(1);
  });

  it("charges a terminal: one operation, one INITIATED transaction, an audit entry without secrets", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps, calls } = stubProvider();
    const key = rk();
    const out = await runOperation(staff(db), deps, admin(t), { kind: "charge", requestKey: key, terminalRef: t.terminalRef, amount: 1250 });
    expect(out).toMatchObject({ ok: true });
    if (!out.ok) return;
    expect(calls[0]).toMatchObject({ name: "charge", args: [{ clientId: `client-${t.terminalId.slice(2)}` }, { amount: 1250, clientTransactionId: `pd-${key}` }] });
    const tx = (await firstRow(db.select().from(transactions).where(eq(transactions.id, out.transactionRef!)).limit(1)))!;
    expect(tx).toMatchObject({ status: "INITIATED", kind: "charge", amount: 1250, statusSource: "operation", createdById: t.userId });
    const op = (await firstRow(db.select().from(transactionOperations).limit(1)))!;
    expect(op).toMatchObject({ kind: "charge", status: "succeeded", resultTransactionRef: tx.id, clientTransactionId: `pd-${key}` });
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "transaction.charge"));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toMatch(/"s"|secret/);
    // The same form again: refused, no second call.
    const again = await runOperation(staff(db), deps, admin(t), { kind: "charge", requestKey: key, terminalRef: t.terminalRef, amount: 1250 });
    expect(again).toMatchObject({ ok: false, code: "duplicate" });
    expect(calls).toHaveLength(1);
  });

  it("lets support charge only in the sandbox, and viewers nothing", async () => {
    const db = await openTestDatabase();
    const sandbox = await pairedTerminal(db);
    const production = await pairedTerminal(db, { environment: "production" });
    const { deps, calls } = stubProvider();
    const support: Operator = { id: sandbox.userId, email: "s@x", role: "support" };
    expect(await runOperation(staff(db), deps, support, { kind: "charge", requestKey: rk(), terminalRef: sandbox.terminalRef, amount: 100 })).toMatchObject({ ok: true });
    expect(await runOperation(staff(db), deps, support, { kind: "charge", requestKey: rk(), terminalRef: production.terminalRef, amount: 100 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/sandbox only/),
    });
    expect(await runOperation(staff(db), deps, support, { kind: "independent_refund", requestKey: rk(), terminalRef: sandbox.terminalRef, amount: 100 })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    const viewer: Operator = { id: sandbox.userId, email: "v@x", role: "merchant-viewer" };
    expect(await runOperation(queryContext(db, merchantScope(sandbox.merchantId)), deps, viewer, { kind: "charge", requestKey: rk(), terminalRef: sandbox.terminalRef, amount: 1 })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(calls).toHaveLength(1);
  });

  it("does not find another merchant's terminal or transaction, and refuses a suspended merchant", async () => {
    const db = await openTestDatabase();
    const mine = await pairedTerminal(db);
    const theirs = await pairedTerminal(db);
    const { deps, calls } = stubProvider();
    const merchantAdmin: Operator = { id: mine.userId, email: "m@x", role: "merchant-admin" };
    const ctx = queryContext(db, merchantScope(mine.merchantId));
    expect(await runOperation(ctx, deps, merchantAdmin, { kind: "charge", requestKey: rk(), terminalRef: theirs.terminalRef, amount: 1 })).toMatchObject({ ok: false, code: "not_found" });
    const their = await success(db, theirs, "ptx-theirs", 500);
    expect(await runOperation(ctx, deps, merchantAdmin, { kind: "refund", requestKey: rk(), transactionRef: their, amount: 1 })).toMatchObject({ ok: false, code: "not_found" });
    await db.transaction((tx) => tx.update(merchants).set({ status: "suspended" }).where(eq(merchants.id, mine.merchantId)));
    expect(await runOperation(ctx, deps, merchantAdmin, { kind: "charge", requestKey: rk(), terminalRef: mine.terminalRef, amount: 1 })).toMatchObject({ ok: false, code: "merchant_suspended" });
    expect(calls).toHaveLength(0);
  });

  it("refunds partially, never more than what remains (open refunds counted)", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps } = stubProvider();
    const ref = await success(db, t, "ptx-orig", 1000);
    const first = await runOperation(staff(db), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 400 });
    expect(first).toMatchObject({ ok: true });
    const refundTx = (await firstRow(db.select().from(transactions).where(eq(transactions.linkedTransactionRef, ref)).limit(1)))!;
    expect(refundTx).toMatchObject({ kind: "refund", amount: 400, status: "INITIATED" });
    // 400 is still open: 600 remain.
    const tooMuch = await runOperation(staff(db), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 700 });
    expect(tooMuch).toMatchObject({ ok: false, code: "not_allowed", message: "You can refund at most €6.00: the rest is refunded or being refunded." });
    expect(await runOperation(staff(db), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 600 })).toMatchObject({ ok: true });
    expect(await runOperation(staff(db), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 1 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Nothing is left to refund/),
    });
  });

  it("two refunds sent at once (two connections on one file, the provider slow): only what remains passes", async () => {
    const target = await testDatabaseTarget({ file: true });
    const a = openDatabase(target);
    await a.ready;
    const b = openDatabase(target, { migrate: false });
    const t = await pairedTerminal(a);
    const ref = await success(a, t, "ptx-race", 1000);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const { deps, calls } = stubProvider({ refund: async () => (await slow, { transactionId: `ptx-r-${Math.random()}` }) });
    const first = runOperation(staff(a), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 700 });
    const second = runOperation(staff(b), deps, admin(t), { kind: "refund", requestKey: rk(), transactionRef: ref, amount: 700 });
    release();
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ code: "not_allowed", message: "You can refund at most €3.00: the rest is refunded or being refunded." });
    expect(calls.filter((c) => c.name === "refund")).toHaveLength(1);
  });

  it("computes what remains from the provider's total or the refunds seen, whichever is larger", () => {
    expect(refundableAmount({ amount: 1000, refundTotalAmount: 0, refundedBySeen: 0, refundsOpen: 0 })).toBe(1000);
    expect(refundableAmount({ amount: 1000, refundTotalAmount: 300, refundedBySeen: 0, refundsOpen: 200 })).toBe(500);
    expect(refundableAmount({ amount: 1000, refundTotalAmount: 300, refundedBySeen: 500, refundsOpen: 0 })).toBe(500);
    expect(refundableAmount({ amount: 1000, refundTotalAmount: 900, refundedBySeen: 0, refundsOpen: 500 })).toBe(0);
  });

  it("reverts only the terminal's most recent successful transaction, and follows the operation", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps } = stubProvider();
    const older = await success(db, t, "ptx-a", 100, 1_000);
    const latest = await success(db, t, "ptx-b", 200, 2_000);
    expect(await runOperation(staff(db), deps, admin(t), { kind: "revert", requestKey: rk(), transactionRef: older })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/most recent successful/),
    });
    expect(await runOperation(staff(db), deps, admin(t), { kind: "revert", requestKey: rk(), transactionRef: latest })).toMatchObject({ ok: true });
    const op = (await db.select().from(transactionOperations).where(eq(transactionOperations.kind, "revert"))).at(-1)!;
    expect(op).toMatchObject({ status: "sent", providerOperationId: "op-1", providerStatus: "INITIATED" });
    expect(op.nextPollAt).not.toBeNull();
  });

  it("cancels only an open transaction", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps } = stubProvider();
    const done = await success(db, t, "ptx-done", 100);
    expect(await runOperation(staff(db), deps, admin(t), { kind: "cancel", requestKey: rk(), transactionRef: done })).toMatchObject({
      ok: false,
      message: "Only a transaction still in progress can be cancelled; this one is SUCCESS.",
    });
    // An open one: the cancel is sent, and the CANCELED status that follows says it succeeded.
    const open = (await db.transaction(
      (tx) => applyTransactionEvent(tx, { observation: observed({ transactionId: "ptx-open", status: "IN_PROGRESS" }), via: t.via, from: { source: "poll" } }),
      { behavior: "immediate" },
    )).transactionRef;
    expect(await runOperation(staff(db), deps, admin(t), { kind: "cancel", requestKey: rk(), transactionRef: open })).toMatchObject({ ok: true });
    const cancel = async () => (await firstRow(db.select().from(transactionOperations).where(eq(transactionOperations.transactionRef, open)).limit(1)))!;
    expect((await cancel()).status).toBe("sent");
    await db.transaction(
      (tx) => applyTransactionEvent(tx, { observation: observed({ transactionId: "ptx-open", status: "CANCELED" }), via: t.via, from: { source: "poll" } }),
      { behavior: "immediate" },
    );
    expect(await cancel()).toMatchObject({ status: "succeeded" });
    expect((await cancel()).finishedAt).not.toBeNull();
  });

  it("records a provider refusal with its words, and an unknown outcome that a later webhook resolves", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const refused = stubProvider({
      charge: async () => {
        throw new PayConnectError("bad_request", 'Pay-Connect refused the charge request (HTTP 400). Nothing was charged. Pay-Connect said: "Terminal busy"', { outcome: "failed", status: 400 });
      },
    });
    const a = await runOperation(staff(db), refused.deps, admin(t), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, amount: 100 });
    expect(a).toMatchObject({ ok: false, message: expect.stringMatching(/^Charge of 1\.00 was not sent: .*Terminal busy/) });
    const lost = stubProvider({
      charge: async () => {
        throw new PayConnectError("timeout", "Pay-Connect did not answer within 15 seconds.", { outcome: "unknown" });
      },
    });
    const key = rk();
    const b = await runOperation(staff(db), lost.deps, admin(t), { kind: "charge", requestKey: key, terminalRef: t.terminalRef, amount: 300 });
    expect(b).toMatchObject({ ok: false, message: expect.stringMatching(/may have been sent/) });
    const ops = await db.select().from(transactionOperations).orderBy(transactionOperations.id);
    expect(ops.map((o) => o.status)).toEqual(["failed", "outcome_unknown"]);
    // The transaction shows up by webhook with our client_transaction_id: linked to the operation.
    const r = await db.transaction(
      (tx) =>
        applyTransactionEvent(tx, { observation: observed({ transactionId: "ptx-late", status: "IN_PROGRESS", amount: 300, clientTransactionId: `pd-${key}` }), via: t.via, from: { source: "poll" } }),
      { behavior: "immediate" },
    );
    expect((await firstRow(db.select().from(transactionOperations).where(eq(transactionOperations.id, ops[1]!.id)).limit(1)))!.resultTransactionRef).toBe(r.transactionRef);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "transaction.operation_failed"))).toHaveLength(2);
  });

  it("uses the terminal's configured currency for amounts", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    await db.transaction((tx) => tx.update(terminals).set({ currency: "JPY" }).where(eq(terminals.id, t.terminalRef)));
    const { deps } = stubProvider();
    const out = await runOperation(staff(db), deps, admin(t), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, amount: 1250 });
    expect(out).toMatchObject({ ok: true, message: expect.stringContaining("¥1,250") });
    expect((await firstRow(db.select().from(transactions).limit(1)))!.currency).toBe("JPY");
  });
});

/**
 * A `deps.now` that, the first time it is read (between an operation's checks and its write),
 * starts `write`: another server's commit. The database's next transaction waits for that
 * commit, so the write lands exactly there on either engine.
 */
function commitWhenNowIsRead(db: DB, write: () => Promise<unknown>): () => number {
  let committed: Promise<unknown> | undefined;
  const transaction = db.transaction.bind(db);
  db.transaction = (async (fn, options) => {
    await committed;
    return transaction(fn, options);
  }) as DB["transaction"];
  return () => {
    committed ??= write();
    return Date.now();
  };
}

describe("what an operation checks again inside its write, and what it records when its answer cannot be kept", () => {
  it("a merchant suspended after the checks and before the write: the charge is refused and nothing is sent (red team, two servers)", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps, calls } = stubProvider();
    // deps.now is read between the checks and the write: the suspension commits right there.
    const racing: OperationDeps = { ...deps, now: commitWhenNowIsRead(db, () => rawQuery(db, "update merchants set status = 'suspended' where id = ?", [t.merchantId])) };
    const out = await runOperation(staff(db), racing, admin(t), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, amount: 500 });
    expect(out).toMatchObject({ ok: false, code: "merchant_suspended" });
    expect(calls).toEqual([]);
    expect(await db.select().from(transactionOperations)).toEqual([]);
  });

  it("a register routed elsewhere after the checks and before the write: the charge from it is refused", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const actor = { id: t.userId, email: "admin@example.test" };
    const location = await createLocation(staff(db), t.merchantId, { name: "Shop", address: "", timeZone: "UTC" }, actor);
    const till = await createRegister(staff(db), { locationId: location.id, kind: "physical", parentId: null, name: "Till", externalRef: null }, actor);
    await routeRegister(staff(db), till.id, t.terminalRef, actor);
    const { deps, calls } = stubProvider();
    const racing: OperationDeps = {
      ...deps,
      now: commitWhenNowIsRead(db, () => rawQuery(db, "update registers set terminal_ref = null, routed_at = null where id = ?", [till.id])),
    };
    const out = await runOperation(staff(db), racing, admin(t), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, registerRef: till.id, amount: 500 });
    expect(out).toMatchObject({ ok: false, code: "route_changed", message: expect.stringMatching(/^Till no longer routes to T-/) });
    expect(calls).toEqual([]);
  });

  it("Pay-Connect accepted a charge but its answer could not be written: outcome unknown, never failed, and no second charge is invited", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const { deps, calls } = stubProvider();
    const accept = await refuseWrites(db, "refuse_tx", "transactions", "disk full");
    const out = await runOperation(staff(db), deps, admin(t), { kind: "charge", requestKey: rk(), terminalRef: t.terminalRef, amount: 500 });
    expect(calls.map((c) => c.name)).toEqual(["charge"]);
    expect(out).toMatchObject({ ok: false, code: "internal", retryable: false, message: expect.stringMatching(/was sent to T-\d+, but Pairdesk could not record .* Do not send it again/) });
    const [op] = await db.select().from(transactionOperations);
    expect(op).toMatchObject({ status: "outcome_unknown", errorCode: "internal", reason: "Pay-Connect accepted it, but Pairdesk could not record its answer." });
    // The webhook that brings the transaction later links it to this operation.
    await accept();
    await db.transaction((tx) =>
      applyTransactionEvent(tx, {
        observation: observed({ transactionId: "ptx-1", status: "SUCCESS", amount: 500, clientTransactionId: op!.clientTransactionId }),
        via: t.via,
        from: { source: "poll" },
        at: Date.now(),
      }),
    );
    expect((await db.select().from(transactionOperations))[0]!.resultTransactionRef).not.toBeNull();
  });
});
