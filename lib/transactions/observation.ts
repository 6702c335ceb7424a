/**
 * What an observation of a transaction (a webhook's, a poll's, an operation's answer) says, in
 * pure functions: its fingerprint (the same observation twice is one event), the JSON kept on its
 * event, the kind it implies, and what it adds to the transaction. lib/transactions/apply.ts
 * decides with them and writes.
 */
import { createHash } from "node:crypto";
import type { transactions } from "../db/schema";
import type { TransactionKind, TransactionStatus } from "../domain";
import type { ProviderTransaction } from "../providers/types";
import { formatAmount } from "./money";

type Existing = typeof transactions.$inferSelect;

/** The statuses whose print slip is fetched once they are reached. */
export function wantsSlip(status: TransactionStatus): boolean {
  return status === "SUCCESS" || status === "REVERTED";
}

/** What identifies an observation: two with the same fingerprint are the same event. */
export function fingerprintOf(o: ProviderTransaction): string {
  const seen = [
    o.status,
    o.amount,
    o.tipAmount,
    o.totalAmount,
    o.refundTotalAmount,
    o.currency,
    o.paymentMethod,
    o.completedAt,
    o.canceledAt,
    o.revertedAt,
  ];
  return createHash("sha256").update(JSON.stringify(seen)).digest("hex");
}

export function observedJson(o: ProviderTransaction): string {
  return JSON.stringify({
    amount: o.amount,
    tip_amount: o.tipAmount,
    total_amount: o.totalAmount,
    refund_total_amount: o.refundTotalAmount,
    currency: o.currency,
    payment_method: o.paymentMethod,
    completed_at: o.completedAt,
    canceled_at: o.canceledAt,
    reverted_at: o.revertedAt,
  });
}

export function kindFromTags(o: ProviderTransaction): TransactionKind {
  if (o.tags.includes("refund")) return o.linkedTransactionId ? "refund" : "independent_refund";
  return "charge";
}

export function mergedDetails(previous: string | null, added: ProviderTransaction["details"]): string | null {
  let base: Record<string, unknown> = {};
  try {
    base = previous ? (JSON.parse(previous) as Record<string, unknown>) : {};
  } catch {
    base = {};
  }
  const merged = { ...base, ...added };
  return Object.keys(merged).length > 0 ? JSON.stringify(merged) : null;
}

/**
 * What an observation adds to the transaction: non-null fields override, the refund total only
 * grows, times are filled in; `notes` say it for people (amounts in the transaction's currency).
 */
export function observedChanges(existing: Existing, o: ProviderTransaction): { changes: Partial<typeof transactions.$inferInsert>; notes: string[] } {
  const changes: Partial<typeof transactions.$inferInsert> = {};
  const notes: string[] = [];
  const money = (minor: number) => formatAmount(minor, existing.currency ?? o.currency);
  const set = <K extends keyof Existing & keyof typeof changes>(key: K, value: Existing[K] | null | undefined) => {
    if (value === null || value === undefined) return;
    const old = existing[key];
    const same = old instanceof Date && value instanceof Date ? old.getTime() === value.getTime() : old === value;
    if (!same) (changes as Record<string, unknown>)[key] = value;
  };
  if (o.amount !== existing.amount) {
    notes.push(`amount ${money(existing.amount)} → ${money(o.amount)}`);
    changes.amount = o.amount;
  }
  set("tipAmount", o.tipAmount);
  set("totalAmount", o.totalAmount);
  if (o.refundTotalAmount !== null && o.refundTotalAmount > existing.refundTotalAmount) {
    notes.push(`refunded ${money(existing.refundTotalAmount)} → ${money(o.refundTotalAmount)}`);
    changes.refundTotalAmount = o.refundTotalAmount;
  }
  set("currency", o.currency);
  set("paymentMethod", o.paymentMethod);
  set("paymentOption", o.paymentOption);
  if (o.createdAt !== null && existing.providerCreatedAt === null) changes.providerCreatedAt = new Date(o.createdAt);
  if (o.completedAt !== null && existing.completedAt === null) changes.completedAt = new Date(o.completedAt);
  if (o.canceledAt !== null && existing.canceledAt === null) changes.canceledAt = new Date(o.canceledAt);
  if (o.revertedAt !== null && existing.revertedAt === null) changes.revertedAt = new Date(o.revertedAt);
  if (o.clientTransactionId && !existing.clientTransactionId) changes.clientTransactionId = o.clientTransactionId;
  const details = mergedDetails(existing.details, o.details);
  if (details !== existing.details && Object.keys(o.details).length > 0) changes.details = details;
  return { changes, notes };
}
