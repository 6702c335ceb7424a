/**
 * The status rules, in one place: what an observed status does to a transaction's current one.
 * - the same status: nothing (its other fields may still be updated);
 * - an open transaction (INITIATED, IN_PROGRESS) moves forward to any later status, final ones
 *   included (a missed IN_PROGRESS is fine); a late INITIATED after IN_PROGRESS is ignored;
 * - a final status never goes back, and a second, different final status is ignored, except
 *   SUCCESS → REVERTED (a successful transaction reverted before settlement).
 * The database holds the same rule (trigger transactions_status_forward, migration 0004).
 */
import { isFinalStatus, type TransactionStatus } from "../domain";

export type StatusDecision =
  | { effect: "same" }
  | { effect: "changed" }
  | { effect: "ignored"; note: string };

const OPEN_RANK: Partial<Record<TransactionStatus, number>> = { INITIATED: 0, IN_PROGRESS: 1 };

export function decideStatus(current: TransactionStatus, observed: TransactionStatus): StatusDecision {
  if (current === observed) return { effect: "same" };
  if (isFinalStatus(current)) {
    if (current === "SUCCESS" && observed === "REVERTED") return { effect: "changed" };
    return isFinalStatus(observed)
      ? { effect: "ignored", note: `${observed} arrived after the final status ${current}: kept ${current}.` }
      : { effect: "ignored", note: `A late ${observed} arrived after the final status ${current}: kept ${current}.` };
  }
  if (!isFinalStatus(observed) && (OPEN_RANK[observed] ?? 0) < (OPEN_RANK[current] ?? 0)) {
    return { effect: "ignored", note: `A late ${observed} arrived after ${current}: kept ${current}.` };
  }
  return { effect: "changed" };
}
