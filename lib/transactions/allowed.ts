/**
 * Which operations a transaction allows now, and why not: shared by the operations (which refuse)
 * and the transaction page (which offers). Pure: the caller reads the facts from the database.
 */
import type { OperationKind, TransactionKind, TransactionStatus } from "../domain";

/** The operations that end a transaction's life: one of them at a time, and none after one succeeded. */
export const ENDING_OPERATIONS = ["cancel", "revert", "preauth_complete"] as const;
export type EndingOperation = (typeof ENDING_OPERATIONS)[number];

/**
 * Through which pairing an operation on the transaction would go: the terminal's active pairing,
 * and only when it belongs to the transaction's own merchant ("own"); a terminal paired by
 * another merchant since ("elsewhere"), or by nobody ("none"), takes no operation for it.
 */
export type PairingReach = "own" | "elsewhere" | "none";

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
  /** Refunds of it still open, counted (a revert must wait for them). */
  openRefundCount: number;
  /** An ending operation sent and not finished (or whose outcome is not known yet). */
  endingOpen: EndingOperation | null;
  /** An ending operation that succeeded. */
  endingDone: EndingOperation | null;
  /** The terminal's active pairing, as seen from the transaction's merchant. */
  pairing: PairingReach;
  terminalId: string;
};

const ENDING_WORDS: Record<EndingOperation, string> = { cancel: "cancel", revert: "revert", preauth_complete: "completion" };

/** Why an ending operation in flight, or done, stops `op`; null when none does. */
function endingRefusal(op: TargetOperation, f: TransactionFacts): string | null {
  if (f.endingOpen) {
    return `A ${ENDING_WORDS[f.endingOpen]} of it was sent and has not ended yet: wait for its outcome (the operations below and the status say when).`;
  }
  if (!f.endingDone) return null;
  // A completed preauthorisation is a captured payment: it can still be refunded or reverted.
  if (f.endingDone === "preauth_complete" && (op === "refund" || op === "revert")) return null;
  if (f.endingDone === "preauth_complete") {
    return op === "preauth_complete" ? "It is already completed: it cannot be completed again." : "It is already completed: it can no longer be increased.";
  }
  return f.endingDone === "revert" ? "It was reverted: nothing more can be done to it." : "It was cancelled: nothing more can be done to it.";
}

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
  const state = stateRefusal(op, f);
  if (state) return state;
  if (f.pairing === "elsewhere") {
    return `Terminal ${f.terminalId} is paired to another merchant now, so this payment can no longer be acted on through it. To give money back, make an independent refund from one of your own terminals.`;
  }
  if (f.pairing === "none") return `Terminal ${f.terminalId} has no active pairing: pair it again before sending operations to it.`;
  return null;
}

function stateRefusal(op: TargetOperation, f: TransactionFacts): string | null {
  const isRefund = f.kind === "refund" || f.kind === "independent_refund";
  const completed = f.kind === "preauth" && f.endingDone === "preauth_complete";
  switch (op) {
    case "cancel":
      if (f.status !== "INITIATED" && f.status !== "IN_PROGRESS") return `Only a transaction still in progress can be cancelled; this one is ${f.status}.`;
      return endingRefusal(op, f);
    case "refund":
      if (isRefund) return "A refund cannot be refunded.";
      if (f.kind === "preauth" && !completed) return "A preauthorisation is completed, not refunded: complete it first, then refund from the completed amount.";
      if (f.status !== "SUCCESS") return `Only a successful transaction can be refunded; this one is ${f.status}.`;
      return endingRefusal(op, f) ?? (refundableAmount(f) > 0 ? null : "Nothing is left to refund: its whole amount is refunded or being refunded.");
    case "revert":
      if (isRefund) return "A refund cannot be reverted: Pay-Connect reverts payments (charges and completed preauthorisations) only.";
      if (f.kind === "preauth" && !completed) return "A preauthorisation is not reverted: complete it, or let it lapse.";
      if (f.status !== "SUCCESS") return `Only a successful transaction can be reverted; this one is ${f.status}.`;
      return (
        endingRefusal(op, f) ??
        (f.openRefundCount > 0
          ? "A refund of it is still open: a revert waits until it has ended."
          : f.latestSuccess
            ? null
            : "Only the terminal's most recent successful transaction can be reverted: a later one (perhaps a refund of this one) succeeded since. Refund it instead.")
      );
    case "preauth_complete":
      if (f.kind !== "preauth") return "Only a preauthorisation can be completed.";
      if (f.status !== "SUCCESS") return `Only a successful preauthorisation can be completed; this one is ${f.status}.`;
      return endingRefusal(op, f);
    case "preauth_increment":
      if (f.kind !== "preauth") return "Only a preauthorisation can be increased.";
      if (f.status !== "SUCCESS") return `Only a successful preauthorisation can be increased; this one is ${f.status}.`;
      return endingRefusal(op, f);
  }
}
