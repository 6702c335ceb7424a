/**
 * What the simulated provider does with a transaction it holds: cancel, refund, revert, preauth
 * completion and increment (the rules are in ./payments.ts's header).
 */
import { randomUUID } from "node:crypto";
import type { SimulatorContext } from "./context";
import { FINAL, getTransaction, type SimTransaction } from "./payment-rows";
import { createTransaction, later, moveTransaction } from "./payments";
import { enqueueWebhook } from "./webhooks";

const CANCEL_AFTER_MS = 500;
const OPERATION_AFTER_MS = 700;

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
