/**
 * Transactions for the pages: the list (keyset pages: a cursor of (sort value, id), so that a
 * deep page costs what the first one does, whatever the number of rows), one transaction with
 * its timeline, references, refunds and operations, and the small status read the transaction
 * page polls. Every query keeps to the merchant scope.
 */
import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  merchants,
  pairings,
  registers,
  terminals,
  transactionEvents,
  transactionOperations,
  transactions,
  users,
} from "../db/schema";
import { isFinalStatus, OPEN_TRANSACTION_STATUSES } from "../domain";
import { transactionList, type TransactionListParams } from "../lists/lists";
import type { Cursor } from "../lists/cursor";
import { scopedQuery, scopeWhere } from "./scope";

export type { Cursor } from "../lists/cursor";

export type { TransactionListParams } from "../lists/lists";

export type TransactionListRow = {
  id: number;
  providerTransactionId: string;
  clientTransactionId: string | null;
  status: (typeof transactions.$inferSelect)["status"];
  kind: (typeof transactions.$inferSelect)["kind"];
  amount: number;
  refundTotalAmount: number;
  currency: string | null;
  environment: (typeof transactions.$inferSelect)["environment"];
  terminalRef: number;
  terminalId: string;
  registerRef: number | null;
  registerName: string | null;
  merchantId: number;
  merchantName: string;
  createdAt: Date;
  statusChangedAt: Date;
  statusSource: (typeof transactions.$inferSelect)["statusSource"];
  staleAt: Date | null;
};

function filtersOf(scope: Parameters<typeof scopeWhere>[0], p: TransactionListParams): SQL[] {
  const where: (SQL | undefined)[] = [scopeWhere(scope, transactions.merchantId)];
  if (p.status === "open") where.push(inArray(transactions.status, [...OPEN_TRANSACTION_STATUSES]));
  else if (p.status !== "all") where.push(eq(transactions.status, p.status));
  if (p.environment !== "all") where.push(eq(transactions.environment, p.environment));
  if (p.terminal) where.push(eq(transactions.terminalRef, p.terminal));
  if (p.register) where.push(eq(transactions.registerRef, p.register));
  if (p.from) where.push(gte(transactions.createdAt, new Date(`${p.from}T00:00:00Z`)));
  if (p.to) where.push(lt(transactions.createdAt, new Date(Date.parse(`${p.to}T00:00:00Z`) + 86_400_000)));
  const q = p.q.trim();
  if (q) {
    // The provider's id whole or by its start (an index range), or our client transaction id.
    where.push(
      or(
        and(gte(transactions.providerTransactionId, q), lt(transactions.providerTransactionId, `${q}\uffff`)),
        eq(transactions.clientTransactionId, q),
      ),
    );
  }
  return where.filter((w): w is SQL => w !== undefined);
}

/**
 * One keyset page: `after` the cursor in the sort's direction (the next page), or `before` it
 * (the previous page). Returns the rows in the sort's order, and the cursors of the pages
 * around them (null when there is none).
 */
export const queryTransactions = scopedQuery(
  ({ db, scope }, params: TransactionListParams, page: { after?: Cursor | null; before?: Cursor | null; limit?: number } = {}) => {
    const limit = page.limit ?? transactionList.pageSize;
    const { column, direction } = transactionList.sortOf(params);
    const col = column === "updated" ? transactions.statusChangedAt : transactions.createdAt;
    const backwards = !page.after && !!page.before;
    const cursor = page.after ?? page.before ?? null;
    // Walking forward in a descending sort means smaller keys; backwards, larger.
    const smaller = (direction === "desc") !== backwards;
    const where = filtersOf(scope, params);
    if (cursor) {
      where.push(smaller ? sql`(${col}, ${transactions.id}) < (${cursor.at}, ${cursor.id})` : sql`(${col}, ${transactions.id}) > (${cursor.at}, ${cursor.id})`);
    }
    const order = smaller ? [desc(col), desc(transactions.id)] : [asc(col), asc(transactions.id)];
    // The page's rows from `transactions` alone, so that the planner walks the sort's index and
    // stops at the limit (joined, it may start from terminals and sort every transaction); the
    // names come after, for these rows only.
    const base = db
      .select({
        id: transactions.id,
        providerTransactionId: transactions.providerTransactionId,
        clientTransactionId: transactions.clientTransactionId,
        status: transactions.status,
        kind: transactions.kind,
        amount: transactions.amount,
        refundTotalAmount: transactions.refundTotalAmount,
        currency: transactions.currency,
        environment: transactions.environment,
        terminalRef: transactions.terminalRef,
        registerRef: transactions.registerRef,
        merchantId: transactions.merchantId,
        createdAt: transactions.createdAt,
        statusChangedAt: transactions.statusChangedAt,
        statusSource: transactions.statusSource,
        staleAt: transactions.staleAt,
      })
      .from(transactions)
      .where(and(...where))
      .orderBy(...order)
      .limit(limit + 1)
      .all();
    const ids = <T,>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
    const terminalIds = ids(base.map((r) => r.terminalRef));
    const registerIds = ids(base.map((r) => r.registerRef));
    const merchantIds = ids(base.map((r) => r.merchantId));
    const terminalNames = new Map(
      terminalIds.length ? db.select({ id: terminals.id, v: terminals.terminalId }).from(terminals).where(inArray(terminals.id, terminalIds)).all().map((r) => [r.id, r.v]) : [],
    );
    const registerNames = new Map(
      registerIds.length ? db.select({ id: registers.id, v: registers.name }).from(registers).where(inArray(registers.id, registerIds)).all().map((r) => [r.id, r.v]) : [],
    );
    const merchantNames = new Map(
      merchantIds.length ? db.select({ id: merchants.id, v: merchants.name }).from(merchants).where(inArray(merchants.id, merchantIds)).all().map((r) => [r.id, r.v]) : [],
    );
    const rows: TransactionListRow[] = base.map((r) => ({
      ...r,
      terminalId: terminalNames.get(r.terminalRef) ?? "",
      registerName: r.registerRef === null ? null : (registerNames.get(r.registerRef) ?? null),
      merchantName: merchantNames.get(r.merchantId) ?? "",
    }));
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    if (backwards) shown.reverse();
    const key = (r: TransactionListRow): Cursor => ({ at: (column === "updated" ? r.statusChangedAt : r.createdAt).getTime(), id: r.id });
    const first = shown[0];
    const last = shown[shown.length - 1];
    return {
      rows: shown,
      next: last && (backwards || more) ? key(last) : null,
      prev: first && (backwards ? more : !!cursor) ? key(first) : null,
      params,
      /** When the rows were read: what "5 minutes ago" counts from. */
      readAt: Date.now(),
    };
  },
);

/** For the CSV export: the rows after `cursor`, in the list's order. */
export const transactionRows = scopedQuery((ctx, params: TransactionListParams, after: Cursor | null, limit: number) =>
  queryTransactions(ctx, params, { after, limit }).rows,
);

/** One transaction with what its page shows; null when it is not in the scope. */
export const queryTransaction = scopedQuery(({ db, scope }, id: number) => {
  const original = alias(transactions, "original");
  const creator = alias(users, "creator");
  const t = db
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
    .where(and(eq(transactions.id, id), scopeWhere(scope, transactions.merchantId)))
    .get();
  if (!t) return null;
  // Another merchant's pairing or terminal is never named on this merchant's page.
  const { terminalMerchantId, pairingMerchantId, ...shown } = t;
  const terminalElsewhere = terminalMerchantId !== t.row.merchantId;
  const pairingName = pairingMerchantId === t.row.merchantId ? t.pairingName : null;
  const refunds = db
    .select({ id: transactions.id, providerTransactionId: transactions.providerTransactionId, amount: transactions.amount, status: transactions.status, createdAt: transactions.createdAt })
    .from(transactions)
    .where(and(eq(transactions.linkedTransactionRef, id), scopeWhere(scope, transactions.merchantId)))
    .orderBy(asc(transactions.id))
    .all();
  return { ...shown, pairingName, terminalElsewhere, refunds, timeline: timelineOf(db, id) };
});

type DB = Parameters<Parameters<typeof scopedQuery>[0]>[0]["db"];

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
};

function timelineOf(db: DB, id: number): TimelineEvent[] {
  return db
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
    })
    .from(transactionEvents)
    .leftJoin(transactionOperations, eq(transactionOperations.id, transactionEvents.operationId))
    .where(eq(transactionEvents.transactionRef, id))
    .orderBy(asc(transactionEvents.id))
    .all()
    .map((e) => ({ ...e, at: e.at.getTime() }));
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
export const queryTransactionStatus = scopedQuery(({ db, scope }, id: number): TransactionStatusView | null => {
  const t = db
    .select({
      status: transactions.status,
      statusSource: transactions.statusSource,
      statusChangedAt: transactions.statusChangedAt,
      refundTotalAmount: transactions.refundTotalAmount,
      nextPollAt: transactions.nextPollAt,
    })
    .from(transactions)
    .where(and(eq(transactions.id, id), scopeWhere(scope, transactions.merchantId)))
    .get();
  if (!t) return null;
  const final = isFinalStatus(t.status);
  // A final transaction the poller still visits (for its print slip) has news to come too.
  const following =
    final &&
    (t.nextPollAt !== null ||
      db
      .select({ id: transactionOperations.id })
      .from(transactionOperations)
      .where(
        and(
          eq(transactionOperations.transactionRef, id),
          inArray(transactionOperations.kind, ["revert", "preauth_complete", "preauth_increment"]),
          inArray(transactionOperations.status, ["pending", "sent"]),
        ),
      )
      .get() !== undefined ||
      db
        .select({ id: transactions.id })
        .from(transactions)
        .where(and(eq(transactions.linkedTransactionRef, id), inArray(transactions.status, [...OPEN_TRANSACTION_STATUSES])))
        .get() !== undefined);
  return {
    status: t.status,
    final,
    watching: !final || following,
    statusSource: t.statusSource,
    statusChangedAt: t.statusChangedAt.getTime(),
    refundTotalAmount: t.refundTotalAmount,
    timeline: timelineOf(db, id),
  };
});

/** The operations sent for (or from) a transaction, newest first. */
export const queryTransactionOperations = scopedQuery(({ db, scope }, id: number) =>
  db
    .select({
      id: transactionOperations.id,
      kind: transactionOperations.kind,
      status: transactionOperations.status,
      amount: transactionOperations.amount,
      reason: transactionOperations.reason,
      providerStatus: transactionOperations.providerStatus,
      createdAt: transactionOperations.createdAt,
      createdByEmail: users.email,
    })
    .from(transactionOperations)
    .innerJoin(users, eq(users.id, transactionOperations.createdById))
    .where(
      and(
        or(eq(transactionOperations.transactionRef, id), eq(transactionOperations.resultTransactionRef, id)),
        scopeWhere(scope, transactionOperations.merchantId),
      ),
    )
    .orderBy(desc(transactionOperations.id))
    .all(),
);
