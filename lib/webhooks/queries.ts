/** Webhook deliveries for the pages: the list, and one delivery with what it touched. */
import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, notInArray, type SQL } from "drizzle-orm";
import { merchants, pairings, terminals, transactionEvents, transactions, webhookDeliveries } from "../db/schema";
import { clampPage } from "../lists/kit";
import { deliveryList, type DeliveryListParams } from "../lists/lists";
import { scopedQuery, scopeWhere } from "../auth/scope";

type Scope = Parameters<typeof scopeWhere>[0];
type DB = Parameters<Parameters<typeof scopedQuery>[0]>[0]["db"];

export type DeliveryListRow = {
  id: number;
  receivedAt: Date;
  verdict: (typeof webhookDeliveries.$inferSelect)["verdict"];
  httpStatus: number;
  sizeBytes: number;
  eventCount: number | null;
  processError: string | null;
  pairingId: number | null;
  pairingName: string | null;
  terminalRef: number | null;
  terminalId: string | null;
  merchantId: number | null;
  merchantName: string | null;
  /** What it reported, in order: each transaction's status as observed (accepted deliveries only). */
  events: DeliveryEvent[];
  /** The plain reason of a refusal (never a secret). */
  reason: string | null;
};

type DeliveryEvent = {
  status: (typeof transactionEvents.$inferSelect)["status"];
  effect: (typeof transactionEvents.$inferSelect)["effect"];
  transactionRef: number;
  providerTransactionId: string;
};

/** A search names at most this many transactions. */
const SEARCH_TRANSACTIONS = 50;

const ACCEPTED_LIKE = ["accepted"] as const;

function whereOf(db: DB, scope: Scope, p: DeliveryListParams) {
  // The deliveries that reported a transaction: through its events (indexed by transaction, then
  // by delivery). A search by transaction id names the transactions in the scope first.
  const reported = (transactionRefs: SQL | number[]) =>
    inArray(
      webhookDeliveries.id,
      db
        .select({ id: transactionEvents.deliveryId })
        .from(transactionEvents)
        .where(and(Array.isArray(transactionRefs) ? inArray(transactionEvents.transactionRef, transactionRefs) : transactionRefs, isNotNull(transactionEvents.deliveryId))),
    );
  const q = p.q.trim();
  const searched = q
    ? db
        .select({ id: transactions.id })
        .from(transactions)
        .where(
          and(
            scopeWhere(scope, transactions.merchantId),
            and(gte(transactions.providerTransactionId, q), lt(transactions.providerTransactionId, `${q}\uffff`)),
          ),
        )
        .limit(SEARCH_TRANSACTIONS)
        .all()
        .map((r) => r.id)
    : null;
  return and(
    scopeWhere(scope, webhookDeliveries.merchantId),
    p.verdict === "all"
      ? undefined
      : p.verdict === "rejected"
        ? notInArray(webhookDeliveries.verdict, [...ACCEPTED_LIKE])
        : eq(webhookDeliveries.verdict, p.verdict),
    p.pairing ? eq(webhookDeliveries.pairingId, p.pairing) : undefined,
    p.terminal
      ? inArray(webhookDeliveries.pairingId, db.select({ id: pairings.id }).from(pairings).where(eq(pairings.terminalRef, p.terminal)))
      : undefined,
    p.transaction ? reported(eq(transactionEvents.transactionRef, p.transaction)) : undefined,
    searched ? reported(searched) : undefined,
  );
}

/** The page's rows (offset and limit), newest first, with what each reported. */
function deliveryRowsOf(db: DB, scope: Scope, where: SQL | undefined, offset: number, limit: number): DeliveryListRow[] {
  const rows = db
    .select({
      id: webhookDeliveries.id,
      receivedAt: webhookDeliveries.receivedAt,
      verdict: webhookDeliveries.verdict,
      httpStatus: webhookDeliveries.httpStatus,
      sizeBytes: webhookDeliveries.sizeBytes,
      eventCount: webhookDeliveries.eventCount,
      processError: webhookDeliveries.processError,
      reason: webhookDeliveries.reason,
      pairingId: webhookDeliveries.pairingId,
      pairingName: pairings.name,
      terminalRef: pairings.terminalRef,
      terminalId: terminals.terminalId,
      merchantId: webhookDeliveries.merchantId,
      merchantName: merchants.name,
    })
    .from(webhookDeliveries)
    .leftJoin(pairings, eq(pairings.id, webhookDeliveries.pairingId))
    .leftJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .leftJoin(merchants, eq(merchants.id, webhookDeliveries.merchantId))
    .where(where)
    .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
    .limit(limit)
    .offset(offset)
    .all();
  const ids = rows.map((r) => r.id);
  const events = new Map<number, DeliveryEvent[]>();
  if (ids.length) {
    const list = db
      .select({
        deliveryId: transactionEvents.deliveryId,
        status: transactionEvents.status,
        effect: transactionEvents.effect,
        transactionRef: transactionEvents.transactionRef,
        providerTransactionId: transactions.providerTransactionId,
      })
      .from(transactionEvents)
      .innerJoin(transactions, eq(transactions.id, transactionEvents.transactionRef))
      .where(and(inArray(transactionEvents.deliveryId, ids), scopeWhere(scope, transactions.merchantId)))
      .orderBy(asc(transactionEvents.id))
      .all();
    for (const { deliveryId, ...e } of list) {
      if (deliveryId === null) continue;
      const of = events.get(deliveryId) ?? [];
      of.push(e);
      events.set(deliveryId, of);
    }
  }
  return rows.map((r) => ({ ...r, events: events.get(r.id) ?? [] }));
}

export const queryDeliveries = scopedQuery(({ db, scope }, params: DeliveryListParams) => {
  const where = whereOf(db, scope, params);
  const total = db.select({ n: count() }).from(webhookDeliveries).where(where).get()?.n ?? 0;
  const { page } = clampPage(params.page, total, deliveryList.pageSize);
  const rows = deliveryRowsOf(db, scope, where, (page - 1) * deliveryList.pageSize, deliveryList.pageSize);
  return { rows, total, page, pageSize: deliveryList.pageSize, params, readAt: Date.now() };
});

/** For the CSV export: `limit` rows from `offset`, in the list's order. */
export const deliveryRows = scopedQuery(({ db, scope }, params: DeliveryListParams, offset: number, limit: number) =>
  deliveryRowsOf(db, scope, whereOf(db, scope, params), offset, limit),
);

export const queryDelivery = scopedQuery(({ db, scope }, id: number) => {
  const d = db
    .select({
      row: webhookDeliveries,
      pairingName: pairings.name,
      pairingStatus: pairings.status,
      terminalRef: pairings.terminalRef,
      terminalId: terminals.terminalId,
      merchantName: merchants.name,
    })
    .from(webhookDeliveries)
    .leftJoin(pairings, eq(pairings.id, webhookDeliveries.pairingId))
    .leftJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .leftJoin(merchants, eq(merchants.id, webhookDeliveries.merchantId))
    .where(and(eq(webhookDeliveries.id, id), scopeWhere(scope, webhookDeliveries.merchantId)))
    .get();
  if (!d) return null;
  const touched = db
    .selectDistinct({ id: transactions.id, providerTransactionId: transactions.providerTransactionId, status: transactions.status })
    .from(transactionEvents)
    .innerJoin(transactions, eq(transactions.id, transactionEvents.transactionRef))
    .where(and(eq(transactionEvents.deliveryId, id), scopeWhere(scope, transactions.merchantId)))
    .all();
  return { ...d, touched };
});

