/**
 * Which operations a transaction allows now, and why not: shared by the operations (which refuse)
 * and the transaction page (which offers). Pure: the caller reads the facts from the database.
 */
import type { OperationKind, TransactionKind, TransactionStatus } from "../domain";

export type TransactionFacts = {
  kind: TransactionKind;
  status: TransactionStatus;
  amount: number;
  refundTotalAmount: number;
  /** Refunds of it that succeeded (their sum), as Pairdesk has seen them. */
  refundedBySeen: number;
  /** Refunds of it still open (INITIATED, IN_PROGRESS), or sent with no answer yet. */
  refundsOpen: number;
  /** Whether it is the terminal's most recent successful transaction. */
  latestSuccess: boolean;
};

/**
 * What may still be refunded: the amount less what was refunded (the provider's total or the
 * refunds seen here, whichever is larger) and less the refunds still open. Never negative.
 */
export function refundableAmount(f: Pick<TransactionFacts, "amount" | "refundTotalAmount" | "refundedBySeen" | "refundsOpen">): number {
  return Math.max(0, f.amount - Math.max(f.refundTotalAmount, f.refundedBySeen) - f.refundsOpen);
}

export type TargetOperation = Extract<OperationKind, "cancel" | "refund" | "revert" | "preauth_complete" | "preauth_increment">;

/** Null when `op` is allowed on the transaction now, else the reason in plain words. */
export function refusalOf(op: TargetOperation, f: TransactionFacts): string | null {
  const isRefund = f.kind === "refund" || f.kind === "independent_refund";
  switch (op) {
    case "cancel":
      return f.status === "INITIATED" || f.status === "IN_PROGRESS"
        ? null
        : `Only a transaction still in progress can be cancelled; this one is ${f.status}.`;
    case "refund":
      if (isRefund) return "A refund cannot be refunded.";
      if (f.kind === "preauth") return "A preauthorisation is completed, not refunded.";
      if (f.status !== "SUCCESS") return `Only a successful transaction can be refunded; this one is ${f.status}.`;
      return refundableAmount(f) > 0 ? null : "Nothing is left to refund: its whole amount is refunded or being refunded.";
    case "revert":
      if (f.status !== "SUCCESS") return `Only a successful transaction can be reverted; this one is ${f.status}.`;
      return f.latestSuccess
        ? null
        : "Only the terminal's most recent successful transaction can be reverted: a later one succeeded since. Refund this one instead.";
    case "preauth_complete":
      if (f.kind !== "preauth") return "Only a preauthorisation can be completed.";
      return f.status === "SUCCESS" ? null : `Only a successful preauthorisation can be completed; this one is ${f.status}.`;
    case "preauth_increment":
      if (f.kind !== "preauth") return "Only a preauthorisation can be increased.";
      return f.status === "SUCCESS" ? null : `Only a successful preauthorisation can be increased; this one is ${f.status}.`;
  }
}
