/**
 * One transaction for its page: its row with its references, refunds and operations, its
 * timeline, and the small status read the page polls. The list is in ./list-queries.ts. Every
 * query keeps to the merchant scope.
 */
import "server-only";
import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { formatAmount } from "./money";
import { merchants, pairings, registers, terminals, transactionEvents, transactionOperations, transactions, users } from "../db/schema";
import { isFinalStatus, OPEN_TRANSACTION_STATUSES } from "../domain";
import { scopedQuery, scopeWhere } from "../auth/scope";
import { firstRow } from "../db/query";

type DB = Parameters<Parameters<typeof scopedQuery>[0]>[0]["db"];

/** One transaction with what its page shows; null when it is not in the scope. */
export const queryTransaction = scopedQuery(async ({ db, scope }, id: number) => {
  const original = alias(transactions, "original");
  const creator = alias(users, "creator");
  const t = await firstRow(db
    .select({
      row: transactions,
      terminalId: terminals.terminalId,
      terminalTimeZone: terminals.timeZone,
      terminalMerchantId: terminals.merchantId,
      pairingMerchantId: pairings.merchantId,
      pairingName: pairings.name,
      pairingStatus: pairings.status,
      pairingHasWebhookSecret: pairings.hasWebhookSecret,
      registerName: registers.name,
      merchantName: merchants.name,
      originalProviderId: original.providerTransactionId,
      createdByEmail: creator.email,
    })
    .from(transactions)
    .innerJoin(terminals, eq(terminals.id, transactions.terminalRef))
    .innerJoin(pairings, eq(pairings.id, transactions.pairingId))
    .innerJoin(merchants, eq(merchants.id, transactions.merchantId))
    .leftJoin(registers, eq(registers.id, transactions.registerRef))
    .leftJoin(original, eq(original.id, transactions.linkedTransactionRef))
    .leftJoin(creator, eq(creator.id, transactions.createdById))
    .where(and(eq(transactions.id, id), scopeWhere(scope, transactions.merchantId))).limit(1));
  if (!t) return null;
  // Another merchant's pairing or terminal is never named on this merchant's page.
  const { terminalMerchantId, pairingMerchantId, ...shown } = t;
  const terminalElsewhere = terminalMerchantId !== t.row.merchantId;
  const pairingName = pairingMerchantId === t.row.merchantId ? t.pairingName : null;
  const refunds = await db
    .select({ id: transactions.id, providerTransactionId: transactions.providerTransactionId, amount: transactions.amount, status: transactions.status, createdAt: transactions.createdAt })
    .from(transactions)
    .where(and(eq(transactions.linkedTransactionRef, id), scopeWhere(scope, transactions.merchantId)))
    .orderBy(asc(transactions.id));
  return { ...shown, pairingName, terminalElsewhere, refunds, timeline: await timelineOf(db, id) };
});

export type TimelineEvent = {
  id: number;
  status: string;
  source: string;
  effect: string;
  note: string | null;
  at: number;
  deliveryId: number | null;
  operationId: number | null;
  operationKind: string | null;
  /** Set on an event of a refund of this transaction: the refund, and its amount in words. */
  refund: { id: number; amount: string } | null;
};

/**
 * The transaction's events, and those of its refunds (from the moment one is sent: a refund is a
 * transaction of its own, and the charge's timeline shows it at once, in the same status words).
 * Refunds are of the same merchant and terminal (lib/transactions/apply.ts links them so).
 */
async function timelineOf(db: DB, id: number): Promise<TimelineEvent[]> {
  // Its refunds first (the link index), then the events of those few transactions (the events'
  // transaction index): one query with an OR across both tables scans every event.
  const refunds = new Map(
    (await db
      .select({ id: transactions.id, amount: transactions.amount, currency: transactions.currency })
      .from(transactions)
      .where(and(eq(transactions.linkedTransactionRef, id), eq(transactions.kind, "refund"))))
      .map((r) => [r.id, formatAmount(r.amount, r.currency)]),
  );
  return (await db
    .select({
      id: transactionEvents.id,
      status: transactionEvents.status,
      source: transactionEvents.source,
      effect: transactionEvents.effect,
      note: transactionEvents.note,
      at: transactionEvents.at,
      deliveryId: transactionEvents.deliveryId,
      operationId: transactionEvents.operationId,
      operationKind: transactionOperations.kind,
      transactionRef: transactionEvents.transactionRef,
    })
    .from(transactionEvents)
    .leftJoin(transactionOperations, eq(transactionOperations.id, transactionEvents.operationId))
    .where(inArray(transactionEvents.transactionRef, [id, ...refunds.keys()]))
    .orderBy(asc(transactionEvents.id)))
    .map(({ transactionRef, ...e }) => ({
      ...e,
      at: e.at.getTime(),
      refund: transactionRef === id ? null : { id: transactionRef, amount: refunds.get(transactionRef)! },
    }));
}

export type TransactionStatusView = {
  status: string;
  final: boolean;
  /** Worth asking again soon: not final, or an operation on it (or a refund of it) still open. */
  watching: boolean;
  statusSource: string;
  statusChangedAt: number;
  refundTotalAmount: number;
  timeline: TimelineEvent[];
};

/** What the transaction page polls: its status and timeline. */
export const queryTransactionStatus = scopedQuery(async ({ db, scope }, id: number): Promise<TransactionStatusView | null> => {
  const t = await firstRow(db
    .select({
      status: transactions.status,
      statusSource: transactions.statusSource,
      statusChangedAt: transactions.statusChangedAt,
      refundTotalAmount: transactions.refundTotalAmount,
      nextPollAt: transactions.nextPollAt,
    })
    .from(transactions)
    .where(and(eq(transactions.id, id), scopeWhere(scope, transactions.merchantId))).limit(1));
  if (!t) return null;
  const final = isFinalStatus(t.status);
  // A final transaction the poller still visits (for its print slip) has news to come too.
  const following =
    final &&
    (t.nextPollAt !== null ||
      await firstRow(db
      .select({ id: transactionOperations.id })
      .from(transactionOperations)
      .where(
        and(
          eq(transactionOperations.transactionRef, id),
          inArray(transactionOperations.kind, ["revert", "preauth_complete", "preauth_increment"]),
          inArray(transactionOperations.status, ["pending", "sent"]),
        ),
      ).limit(1)) !== undefined ||
      await firstRow(db
        .select({ id: transactions.id })
        .from(transactions)
        .where(and(eq(transactions.linkedTransactionRef, id), inArray(transactions.status, [...OPEN_TRANSACTION_STATUSES]))).limit(1)) !== undefined);
  return {
    status: t.status,
    final,
    watching: !final || following,
    statusSource: t.statusSource,
    statusChangedAt: t.statusChangedAt.getTime(),
    refundTotalAmount: t.refundTotalAmount,
    timeline: await timelineOf(db, id),
  };
});

/** The operations sent for (or from) a transaction, newest first. */
export const queryTransactionOperations = scopedQuery(async ({ db, scope }, id: number) => {
  // The transaction an operation created (a refund): its own status is the operation's news.
  const result = alias(transactions, "result");
  return await db
    .select({
      id: transactionOperations.id,
      kind: transactionOperations.kind,
      status: transactionOperations.status,
      amount: transactionOperations.amount,
      reason: transactionOperations.reason,
      providerStatus: transactionOperations.providerStatus,
      createdAt: transactionOperations.createdAt,
      createdByEmail: users.email,
      resultTransactionRef: transactionOperations.resultTransactionRef,
      resultStatus: result.status,
    })
    .from(transactionOperations)
    .innerJoin(users, eq(users.id, transactionOperations.createdById))
    .leftJoin(result, and(eq(result.id, transactionOperations.resultTransactionRef), scopeWhere(scope, result.merchantId)))
    .where(
      and(
        or(eq(transactionOperations.transactionRef, id), eq(transactionOperations.resultTransactionRef, id)),
        scopeWhere(scope, transactionOperations.merchantId),
      ),
    )
    .orderBy(desc(transactionOperations.id));
});

/**
 * The currency an amount typed for a new operation is read in: the terminal's (a charge), or the
 * transaction's (a refund, a completion). Undefined when not found in the scope.
 */
export const queryAmountCurrency = scopedQuery(
  async ({ db, scope }, target: { terminalRef: number } | { transactionRef: number }): Promise<{ currency: string | null; } | undefined> =>
    "terminalRef" in target
      ? await firstRow(db
          .select({ currency: terminals.currency })
          .from(terminals)
          .where(and(eq(terminals.id, target.terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1))
      : await firstRow(db
          .select({ currency: transactions.currency })
          .from(transactions)
          .where(and(eq(transactions.id, target.transactionRef), scopeWhere(scope, transactions.merchantId))).limit(1)),
);
