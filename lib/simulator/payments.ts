/**
 * Simulated terminals take payments. The provider side of Pay-Connect's transaction calls, on the
 * simulator's own database:
 * - a charge, preauth or independent refund is INITIATED; the terminal takes it (IN_PROGRESS)
 *   shortly after; the person at the terminal screen approves (SUCCESS), declines (DECLINED) or
 *   cancels (CANCELED) it, or the terminal's auto-approve switch approves it after ~1 s; one left
 *   open past the terminal's expiry (5 min unless set: SIMULATOR_PAYMENT_EXPIRY_SECONDS, or per
 *   terminal through the test-driving API) EXPIRES;
 * - cancel: INITIATED cancels at once, IN_PROGRESS after a short delay (the terminal is told);
 * - refund: successful transactions only, amount ≤ amount − refunded so far (several partial
 *   refunds allowed); it is a new transaction linked to the original, approved like a charge;
 * - revert: only the terminal's most recent SUCCESS transaction; an operation that succeeds
 *   shortly after and makes the transaction REVERTED; preauth completion (amount = total) likewise;
 * - a client_transaction_id already used by the pairing answers the existing transaction.
 * Every status change queues a signed webhook (./webhooks.ts). Timers run in this process.
 */
import { randomUUID } from "node:crypto";
import type { SimulatorContext } from "./context";
import { enqueueWebhook } from "./webhooks";

export type SimTransactionStatus =
  | "INITIATED"
  | "IN_PROGRESS"
  | "SUCCESS"
  | "CANCELED"
  | "DECLINED"
  | "REVERTED"
  | "EXPIRED"
  | "FAILED";
export type SimTransactionKind = "charge" | "preauth" | "refund" | "independent_refund";

export type SimTransaction = {
  transaction_id: string;
  pay_connect_id: string;
  terminal_id: string;
  kind: SimTransactionKind;
  amount: number;
  refund_total_amount: number;
  currency: string;
  status: SimTransactionStatus;
  payment_method: string | null;
  client_transaction_id: string | null;
  linked_transaction_id: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  canceled_at: number | null;
  reverted_at: number | null;
  /** When it EXPIRES if nobody at the terminal answers it (null: made before expiry existed). */
  expires_at: number | null;
};

export const SIM_CURRENCY = "EUR";
export const SIM_TIME_ZONE = "Europe/Ljubljana";
export const SIM_PAYMENT_METHODS = ["CARD", "MBILLS", "VALU", "GOCRYPTO"];
/** How long after its creation a terminal takes a payment (IN_PROGRESS), and auto-approves it. */
const TAKE_AFTER_MS = 300;
const AUTO_APPROVE_AFTER_MS = 1_000;
const CANCEL_AFTER_MS = 500;
const OPERATION_AFTER_MS = 700;
export const DEFAULT_PAYMENT_EXPIRY_MS = 5 * 60_000;
/** A payment must outlive auto-approval: shorter expiries are refused. */
export const MIN_PAYMENT_EXPIRY_MS = 2_000;

export const PAYMENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_transactions (
  transaction_id        TEXT PRIMARY KEY,
  pay_connect_id        TEXT NOT NULL,
  terminal_id           TEXT NOT NULL,
  kind                  TEXT NOT NULL,
  amount                INTEGER NOT NULL,
  refund_total_amount   INTEGER NOT NULL DEFAULT 0,
  currency              TEXT NOT NULL,
  status                TEXT NOT NULL,
  payment_method        TEXT,
  client_transaction_id TEXT,
  linked_transaction_id TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  completed_at          INTEGER,
  canceled_at           INTEGER,
  reverted_at           INTEGER
);
CREATE INDEX IF NOT EXISTS sim_transactions_terminal_idx ON sim_transactions(terminal_id, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS sim_transactions_client_id ON sim_transactions(pay_connect_id, client_transaction_id)
  WHERE client_transaction_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS sim_operations (
  operation_id   TEXT PRIMARY KEY,
  transaction_id TEXT NOT NULL,
  type           TEXT NOT NULL,
  status         TEXT NOT NULL,
  amount         INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_terminal_settings (
  terminal_id  TEXT PRIMARY KEY,
  auto_approve INTEGER NOT NULL DEFAULT 0
);
`;

const FINAL = new Set<SimTransactionStatus>(["SUCCESS", "CANCELED", "DECLINED", "REVERTED", "EXPIRED", "FAILED"]);

/** The transaction object Pay-Connect sends in webhooks and (assumed) answers to a status poll. */
export function transactionObject(t: SimTransaction) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: t.transaction_id,
    external_transaction_id: null,
    linked_transaction_id: t.linked_transaction_id,
    client_transaction_id: t.client_transaction_id,
    card_gateway_transaction_id: t.payment_method === "CARD" && t.status === "SUCCESS" ? `gw-${t.transaction_id.slice(0, 8)}` : null,
    terminal_id: t.terminal_id,
    terminal_serial_number: `SN-${t.terminal_id.slice(4)}`,
    payment_method: t.payment_method,
    payment_option: t.payment_method === "CARD" ? "CONTACTLESS" : null,
    amount: t.amount,
    tip_amount: 0,
    total_amount: t.amount,
    refund_total_amount: t.refund_total_amount,
    currency: t.currency,
    status: t.status,
    timezone: SIM_TIME_ZONE,
    tags: t.kind === "refund" || t.kind === "independent_refund" ? ["refund"] : ["charge"],
    card_tid: t.payment_method === "CARD" ? "TID0001" : null,
    card_number: t.payment_method === "CARD" && t.status !== "INITIATED" ? "**** **** **** 4242" : null,
    crypto_amount: null,
    crypto_payment_network: null,
    created_at: iso(t.created_at),
    completed_at: iso(t.completed_at),
    canceled_at: iso(t.canceled_at),
    reverted_at: iso(t.reverted_at),
  };
}

export function getTransaction(ctx: SimulatorContext, transactionId: string): SimTransaction | null {
  return (ctx.db.prepare("SELECT * FROM sim_transactions WHERE transaction_id = ?").get(transactionId) as SimTransaction | undefined) ?? null;
}

export function terminalTransactions(ctx: SimulatorContext, terminalId: string, limit = 20): SimTransaction[] {
  return ctx.db
    .prepare("SELECT * FROM sim_transactions WHERE terminal_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?")
    .all(terminalId, limit) as SimTransaction[];
}

export type TerminalSettings = { autoApprove: boolean; paymentExpiryMs: number };

/** A terminal's switches: auto-approve (off unless set) and how long an open payment waits. */
export function terminalSettings(ctx: SimulatorContext, terminalId: string): TerminalSettings {
  const row = ctx.db.prepare("SELECT auto_approve, payment_expiry_ms FROM sim_terminal_settings WHERE terminal_id = ?").get(terminalId) as
    | { auto_approve: number; payment_expiry_ms: number | null }
    | undefined;
  return {
    autoApprove: row?.auto_approve === 1,
    paymentExpiryMs: row?.payment_expiry_ms ?? ctx.paymentExpiryMs ?? DEFAULT_PAYMENT_EXPIRY_MS,
  };
}

/** The terminals with a payment waiting (INITIATED, IN_PROGRESS), the latest payment first. */
export function terminalsWithOpenPayments(ctx: SimulatorContext, limit: number): string[] {
  return (
    ctx.db
      .prepare(
        `SELECT terminal_id FROM sim_transactions WHERE status IN ('INITIATED', 'IN_PROGRESS')
         GROUP BY terminal_id ORDER BY max(created_at) DESC LIMIT ?`,
      )
      .all(limit) as { terminal_id: string }[]
  ).map((r) => r.terminal_id);
}

export function autoApprove(ctx: SimulatorContext, terminalId: string): boolean {
  return terminalSettings(ctx, terminalId).autoApprove;
}

export function setTerminalSettings(ctx: SimulatorContext, terminalId: string, change: { autoApprove?: boolean; paymentExpiryMs?: number | null }): void {
  const current = ctx.db.prepare("SELECT auto_approve, payment_expiry_ms FROM sim_terminal_settings WHERE terminal_id = ?").get(terminalId) as
    | { auto_approve: number; payment_expiry_ms: number | null }
    | undefined;
  const auto = change.autoApprove === undefined ? (current?.auto_approve ?? 0) : change.autoApprove ? 1 : 0;
  const expiry = change.paymentExpiryMs === undefined ? (current?.payment_expiry_ms ?? null) : change.paymentExpiryMs;
  ctx.db
    .prepare(
      `INSERT INTO sim_terminal_settings (terminal_id, auto_approve, payment_expiry_ms) VALUES (?, ?, ?)
       ON CONFLICT(terminal_id) DO UPDATE SET auto_approve = excluded.auto_approve, payment_expiry_ms = excluded.payment_expiry_ms`,
    )
    .run(terminalId, auto, expiry);
}

export function setAutoApprove(ctx: SimulatorContext, terminalId: string, on: boolean): void {
  setTerminalSettings(ctx, terminalId, { autoApprove: on });
}

/**
 * Every open payment past its expiry becomes EXPIRED (with its webhook). Each payment has a timer
 * for it too; this sweep catches those whose timer a restart lost. Returns how many expired.
 */
export function expireOverdue(ctx: SimulatorContext): number {
  const overdue = ctx.db
    .prepare("SELECT transaction_id FROM sim_transactions WHERE status IN ('INITIATED', 'IN_PROGRESS') AND expires_at <= ?")
    .all(ctx.now()) as { transaction_id: string }[];
  let n = 0;
  for (const { transaction_id } of overdue) if (moveTransaction(ctx, transaction_id, "EXPIRED")) n++;
  return n;
}

function later(ctx: SimulatorContext, ms: number, fn: () => void): void {
  const run = () => {
    try {
      fn();
    } catch {
      // The simulated terminal's next move failed (the database closed in a test): nothing to do.
    }
  };
  if (ctx.schedule) ctx.schedule(ms, run);
  else setTimeout(run, ms).unref?.();
}

/**
 * Moves a transaction to `status` (if it is not final yet, or SUCCESS → REVERTED) and queues its
 * webhook. Returns the updated transaction, or null when the move is not allowed.
 */
export function moveTransaction(ctx: SimulatorContext, transactionId: string, status: SimTransactionStatus): SimTransaction | null {
  const { db } = ctx;
  const moved = db.transaction((): SimTransaction | null => {
    const t = getTransaction(ctx, transactionId);
    if (!t || t.status === status) return null;
    if (FINAL.has(t.status) && !(t.status === "SUCCESS" && status === "REVERTED")) return null;
    if (t.status === "IN_PROGRESS" && status === "INITIATED") return null;
    const now = ctx.now();
    db.prepare(
      `UPDATE sim_transactions SET status = ?, updated_at = ?,
         completed_at = CASE WHEN ? IN ('SUCCESS', 'DECLINED', 'FAILED') THEN ? ELSE completed_at END,
         canceled_at = CASE WHEN ? = 'CANCELED' THEN ? ELSE canceled_at END,
         reverted_at = CASE WHEN ? = 'REVERTED' THEN ? ELSE reverted_at END,
         payment_method = CASE WHEN ? = 'SUCCESS' THEN coalesce(payment_method, 'CARD') ELSE payment_method END
       WHERE transaction_id = ?`,
    ).run(status, now, status, now, status, now, status, now, status, transactionId);
    const updated = getTransaction(ctx, transactionId)!;
    // A refund that succeeds raises its original's refunded total (and the original's webhook says so).
    if (status === "SUCCESS" && updated.kind === "refund" && updated.linked_transaction_id) {
      db.prepare("UPDATE sim_transactions SET refund_total_amount = refund_total_amount + ?, updated_at = ? WHERE transaction_id = ?").run(
        updated.amount,
        now,
        updated.linked_transaction_id,
      );
      const original = getTransaction(ctx, updated.linked_transaction_id);
      if (original) enqueueWebhook(ctx, original);
    }
    enqueueWebhook(ctx, updated);
    return updated;
  }).immediate();
  return moved;
}

/** A new transaction on the pairing's terminal: INITIATED, taken by the terminal shortly after. */
export function createTransaction(
  ctx: SimulatorContext,
  pairing: { payConnectId: string; terminalId: string },
  input: { kind: SimTransactionKind; amount: number; clientTransactionId?: string | null; paymentMethod?: string | null; linkedTransactionId?: string | null },
): { transaction: SimTransaction; existing: boolean } {
  const { db } = ctx;
  const result = db.transaction(() => {
    if (input.clientTransactionId) {
      const existing = db
        .prepare("SELECT * FROM sim_transactions WHERE pay_connect_id = ? AND client_transaction_id = ?")
        .get(pairing.payConnectId, input.clientTransactionId) as SimTransaction | undefined;
      if (existing) return { transaction: existing, existing: true };
    }
    const now = ctx.now();
    const id = randomUUID();
    db.prepare(
      `INSERT INTO sim_transactions (transaction_id, pay_connect_id, terminal_id, kind, amount, currency, status,
         payment_method, client_transaction_id, linked_transaction_id, created_at, updated_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, 'INITIATED', ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      pairing.payConnectId,
      pairing.terminalId,
      input.kind,
      input.amount,
      SIM_CURRENCY,
      input.paymentMethod ?? null,
      input.clientTransactionId ?? null,
      input.linkedTransactionId ?? null,
      now,
      now,
      now + terminalSettings(ctx, pairing.terminalId).paymentExpiryMs,
    );
    const t = getTransaction(ctx, id)!;
    enqueueWebhook(ctx, t);
    return { transaction: t, existing: false };
  }).immediate();
  if (!result.existing) {
    const id = result.transaction.transaction_id;
    // The switches as they are when the payment arrives decide (turning one later leaves it be).
    const settings = terminalSettings(ctx, pairing.terminalId);
    later(ctx, TAKE_AFTER_MS, () => {
      moveTransaction(ctx, id, "IN_PROGRESS");
      if (settings.autoApprove) later(ctx, AUTO_APPROVE_AFTER_MS - TAKE_AFTER_MS, () => moveTransaction(ctx, id, "SUCCESS"));
    });
    // Nobody at the terminal: it gives up (a final payment is left as it is).
    later(ctx, settings.paymentExpiryMs, () => moveTransaction(ctx, id, "EXPIRED"));
  }
  return result;
}

export type PaymentRefusal = { refused: string };

/** Cancel: INITIATED at once, IN_PROGRESS after a short delay; a final one is refused. */
export function cancelTransaction(ctx: SimulatorContext, t: SimTransaction): PaymentRefusal | null {
  if (FINAL.has(t.status)) return { refused: `Transaction is already ${t.status}` };
  if (t.status === "INITIATED") moveTransaction(ctx, t.transaction_id, "CANCELED");
  else later(ctx, CANCEL_AFTER_MS, () => moveTransaction(ctx, t.transaction_id, "CANCELED"));
  return null;
}

/** What may still be refunded of a successful transaction: its amount less refunds succeeded or open. */
function refundable(ctx: SimulatorContext, t: SimTransaction): number {
  const open = ctx.db
    .prepare(
      `SELECT coalesce(sum(amount), 0) AS n FROM sim_transactions
       WHERE linked_transaction_id = ? AND kind = 'refund' AND status IN ('INITIATED', 'IN_PROGRESS')`,
    )
    .get(t.transaction_id) as { n: number };
  return Math.max(0, t.amount - t.refund_total_amount - open.n);
}

export function refundTransaction(
  ctx: SimulatorContext,
  t: SimTransaction,
  amount: number,
): { transaction: SimTransaction } | PaymentRefusal {
  if (t.status !== "SUCCESS") return { refused: "Only a successful transaction can be refunded" };
  if (t.kind === "refund" || t.kind === "independent_refund") return { refused: "A refund cannot be refunded" };
  const left = refundable(ctx, t);
  if (amount > left) return { refused: `Refund amount exceeds the refundable amount (${left})` };
  const { transaction } = createTransaction(
    ctx,
    { payConnectId: t.pay_connect_id, terminalId: t.terminal_id },
    { kind: "refund", amount, linkedTransactionId: t.transaction_id, paymentMethod: t.payment_method },
  );
  return { transaction };
}

/** Revert: only the terminal's most recent successful transaction; succeeds shortly after. */
export function revertTransaction(ctx: SimulatorContext, t: SimTransaction): { operationId: string } | PaymentRefusal {
  if (t.status !== "SUCCESS") return { refused: "Only a successful transaction can be reverted" };
  const latest = ctx.db
    .prepare(
      `SELECT transaction_id FROM sim_transactions WHERE terminal_id = ? AND status = 'SUCCESS'
       ORDER BY completed_at DESC, rowid DESC LIMIT 1`,
    )
    .get(t.terminal_id) as { transaction_id: string } | undefined;
  if (latest?.transaction_id !== t.transaction_id) {
    return { refused: "Only the most recent successful transaction of the terminal can be reverted" };
  }
  return startOperation(ctx, t, "transaction.revert", null, () => moveTransaction(ctx, t.transaction_id, "REVERTED"));
}

/** Preauth completion: a successful preauth, amount the total (at least... any positive total). */
export function completePreauth(ctx: SimulatorContext, t: SimTransaction, amount: number): { operationId: string } | PaymentRefusal {
  if (t.kind !== "preauth") return { refused: "Only a preauthorisation can be completed" };
  if (t.status !== "SUCCESS") return { refused: "Only a successful preauthorisation can be completed" };
  return startOperation(ctx, t, "transaction.preauth.complete", amount, () => {
    ctx.db.prepare("UPDATE sim_transactions SET amount = ?, updated_at = ? WHERE transaction_id = ?").run(amount, ctx.now(), t.transaction_id);
    const updated = getTransaction(ctx, t.transaction_id);
    if (updated) enqueueWebhook(ctx, updated);
  });
}

export function incrementPreauth(ctx: SimulatorContext, t: SimTransaction, amount: number): { operationId: string } | PaymentRefusal {
  if (t.kind !== "preauth" || t.status !== "SUCCESS") return { refused: "Only a successful preauthorisation can be incremented" };
  return startOperation(ctx, t, "transaction.preauth.increment", amount, () => {
    ctx.db.prepare("UPDATE sim_transactions SET amount = amount + ?, updated_at = ? WHERE transaction_id = ?").run(amount, ctx.now(), t.transaction_id);
    const updated = getTransaction(ctx, t.transaction_id);
    if (updated) enqueueWebhook(ctx, updated);
  });
}

function startOperation(ctx: SimulatorContext, t: SimTransaction, type: string, amount: number | null, effect: () => void) {
  const operationId = randomUUID();
  ctx.db
    .prepare("INSERT INTO sim_operations (operation_id, transaction_id, type, status, amount, created_at) VALUES (?, ?, ?, 'INITIATED', ?, ?)")
    .run(operationId, t.transaction_id, type, amount, ctx.now());
  later(ctx, OPERATION_AFTER_MS, () => {
    ctx.db.prepare("UPDATE sim_operations SET status = 'SUCCESS' WHERE operation_id = ?").run(operationId);
    effect();
  });
  return { operationId };
}

export function getOperation(ctx: SimulatorContext, operationId: string) {
  return (
    (ctx.db.prepare("SELECT * FROM sim_operations WHERE operation_id = ?").get(operationId) as
      | { operation_id: string; transaction_id: string; type: string; status: string; amount: number | null }
      | undefined) ?? null
  );
}

/** The print slip of a final transaction (documented fields). */
export function printSlip(t: SimTransaction, terminalLabel: string) {
  const o = transactionObject(t);
  return {
    transaction_id: t.transaction_id,
    terminal_id: t.terminal_id,
    organization: { full_name: "Simulated Merchant d.o.o.", country: "SI", address: "Trg 1", postal_code: "1000", city: "Ljubljana", region: null },
    point_of_sale: { full_name: terminalLabel },
    amount: t.amount,
    tip_amount: 0,
    total_amount: t.amount,
    currency: t.currency,
    status: t.status,
    payment_method: o.payment_method,
    tags: o.tags,
    timezone: SIM_TIME_ZONE,
    created_at: o.created_at,
    digital_slip: null,
    payment_option: o.payment_option,
    card_tid: o.card_tid,
    completed_at: o.completed_at,
    canceled_at: o.canceled_at,
    reverted_at: o.reverted_at,
    aid: o.payment_method === "CARD" ? "A0000000031010" : null,
    approve_code: t.status === "SUCCESS" || t.status === "REVERTED" ? "SIM123" : null,
    card_type: o.payment_method === "CARD" ? "VISA" : null,
    card_number: o.card_number,
    refund_total_amount: t.refund_total_amount,
  };
}

export function isFinalSim(status: SimTransactionStatus): boolean {
  return FINAL.has(status);
}
