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
 *
 * Here: a payment's creation and its moves. The rows are in ./payment-rows.ts, the terminal's
 * switches in ./terminal-settings.ts, cancel, refund, revert and preauth operations in
 * ./payment-operations.ts.
 */
import { randomUUID } from "node:crypto";
import type { SimulatorContext } from "./context";
import { FINAL, getTransaction, SIM_CURRENCY, type SimTransaction, type SimTransactionKind, type SimTransactionStatus } from "./payment-rows";
import { terminalSettings } from "./terminal-settings";
import { enqueueWebhook } from "./webhooks";

/** How long after its creation a terminal takes a payment (IN_PROGRESS), and auto-approves it. */
const TAKE_AFTER_MS = 300;
const AUTO_APPROVE_AFTER_MS = 1_000;

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

export function later(ctx: SimulatorContext, ms: number, fn: () => void): void {
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

/** A status moves forward only: not to itself, not out of a final one (but SUCCESS → REVERTED), not back to INITIATED. */
function mayMove(from: SimTransactionStatus, to: SimTransactionStatus): boolean {
  if (from === to) return false;
  if (FINAL.has(from) && !(from === "SUCCESS" && to === "REVERTED")) return false;
  if (from === "IN_PROGRESS" && to === "INITIATED") return false;
  return true;
}

/**
 * Moves a transaction to `status` (if it is not final yet, or SUCCESS → REVERTED) and queues its
 * webhook. Returns the updated transaction, or null when the move is not allowed.
 */
export function moveTransaction(ctx: SimulatorContext, transactionId: string, status: SimTransactionStatus): SimTransaction | null {
  const { db } = ctx;
  const moved = db.transaction((): SimTransaction | null => {
    const t = getTransaction(ctx, transactionId);
    if (!t || !mayMove(t.status, status)) return null;
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

type NewTransaction = {
  kind: SimTransactionKind;
  amount: number;
  clientTransactionId?: string | null;
  paymentMethod?: string | null;
  linkedTransactionId?: string | null;
};

/** A new transaction on the pairing's terminal: INITIATED, taken by the terminal shortly after. */
export function createTransaction(
  ctx: SimulatorContext,
  pairing: { payConnectId: string; terminalId: string },
  input: NewTransaction,
): { transaction: SimTransaction; existing: boolean } {
  const result = recordTransaction(ctx, pairing, input);
  if (!result.existing) scheduleTerminalMoves(ctx, pairing.terminalId, result.transaction.transaction_id);
  return result;
}

/** The pairing's transaction with this client id if there is one, else a new INITIATED one (and its webhook). */
function recordTransaction(
  ctx: SimulatorContext,
  pairing: { payConnectId: string; terminalId: string },
  input: NewTransaction,
): { transaction: SimTransaction; existing: boolean } {
  const { db } = ctx;
  return db.transaction(() => {
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
}

/**
 * The terminal's moves on a new payment: it takes it shortly after (and approves it, when
 * auto-approve is on), and gives up when nobody answers before it expires.
 */
function scheduleTerminalMoves(ctx: SimulatorContext, terminalId: string, id: string): void {
  // The switches as they are when the payment arrives decide (turning one later leaves it be).
  const settings = terminalSettings(ctx, terminalId);
  later(ctx, TAKE_AFTER_MS, () => {
    moveTransaction(ctx, id, "IN_PROGRESS");
    if (settings.autoApprove) later(ctx, AUTO_APPROVE_AFTER_MS - TAKE_AFTER_MS, () => moveTransaction(ctx, id, "SUCCESS"));
  });
  // Nobody at the terminal: it gives up (a final payment is left as it is).
  later(ctx, settings.paymentExpiryMs, () => moveTransaction(ctx, id, "EXPIRED"));
}
