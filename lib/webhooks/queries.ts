/**
 * Webhook deliveries for the pages: the list (keyset pages, a cursor of the time received and the
 * id, like transactions), and one delivery with what it touched.
 */
import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, notInArray, sql, type SQL } from "drizzle-orm";
import type { Cursor } from "../lists/cursor";
import { merchants, pairings, terminals, transactionEvents, transactions, webhookDeliveries } from "../db/schema";
import { clampPage } from "../lists/kit";
import { deliveryList, LIST_COUNT_CAP, type DeliveryListParams } from "../lists/lists";
import { scopedQuery, scopeWhere } from "../auth/scope";
import { firstRow } from "../db/query";

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

async function whereOf(db: DB, scope: Scope, p: DeliveryListParams) {
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
    ? (await db
        .select({ id: transactions.id })
        .from(transactions)
        .where(
          and(
            scopeWhere(scope, transactions.merchantId),
            and(gte(transactions.providerTransactionId, q), lt(transactions.providerTransactionId, `${q}\uffff`)),
          ),
        )
        .limit(SEARCH_TRANSACTIONS))
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

/** The page's rows (offset and limit), newest first unless `newestFirst` is false, with what each reported. */
async function deliveryRowsOf(db: DB, scope: Scope, where: SQL | undefined, offset: number, limit: number, newestFirst = true): Promise<DeliveryListRow[]> {
  const order = newestFirst ? [desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id)] : [asc(webhookDeliveries.receivedAt), asc(webhookDeliveries.id)];
  const rows = await db
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
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const ids = rows.map((r) => r.id);
  const events = new Map<number, DeliveryEvent[]>();
  if (ids.length) {
    const list = await db
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
      .orderBy(asc(transactionEvents.id));
    for (const { deliveryId, ...e } of list) {
      if (deliveryId === null) continue;
      const of = events.get(deliveryId) ?? [];
      of.push(e);
      events.set(deliveryId, of);
    }
  }
  return rows.map((r) => ({ ...r, events: events.get(r.id) ?? [] }));
}

type DeliveryListPage = {
  rows: DeliveryListRow[];
  /** The cursors of the pages after and before this one (null: there is none). */
  next: Cursor | null;
  prev: Cursor | null;
  /** How many deliveries match; null past LIST_COUNT_CAP ("more than 10,000"). */
  total: number | null;
  /** The first row's place in the list (1 on the first page); null past LIST_COUNT_CAP. */
  start: number | null;
  params: DeliveryListParams;
  /** When the rows were read: what "5 minutes ago" counts from. */
  readAt: number;
};

/**
 * One keyset page: `after` the cursor (older deliveries, the next page) or `before` it (newer,
 * the previous page), in the list's order. An older bookmark's numbered page (`?page=3`, no
 * cursor) is found by offset, once; its links go on by cursor.
 */
export const queryDeliveries = scopedQuery(async ({ db, scope }, params: DeliveryListParams): Promise<DeliveryListPage> => {
  const limit = deliveryList.pageSize;
  const where = await whereOf(db, scope, params);
  const after = params.after ?? null;
  const before = after ? null : (params.before ?? null);
  const cursor = after ?? before;
  const newestFirst = deliveryList.sortOf(params).direction === "desc";
  // Walking forward in the newest-first order means older rows; backwards, newer.
  const older = newestFirst === !before;
  const key = sql`(${webhookDeliveries.receivedAt}, ${webhookDeliveries.id})`;
  const beyond = (c: Cursor, olderThan: boolean) => (olderThan ? sql`${key} < (${c.at}, ${c.id})` : sql`${key} > (${c.at}, ${c.id})`);
  const capped = async (extra?: SQL) =>
    (await firstRow(db
      .select({ n: count() })
      .from(db.select({ one: sql`1` }).from(webhookDeliveries).where(and(where, extra)).limit(LIST_COUNT_CAP + 1).as("capped")).limit(1)))?.n ?? 0;
  const matching = await capped();
  const offset = !cursor && params.page > 1 ? (clampPage(params.page, matching, limit).page - 1) * limit : 0;
  const found = await deliveryRowsOf(db, scope, and(where, cursor ? beyond(cursor, older) : undefined), offset, limit + 1, older);
  const more = found.length > limit;
  const rows = found.slice(0, limit);
  if (before) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cursorOf = (r: DeliveryListRow) => deliveryList.cursorOf(params, r);
  // The far end of the page from where it was reached: where to go on; the near end: back.
  const onward = more ? cursorOf((before ? first : last)!) : null;
  const homeward = cursor ? ((before ? last : first) ? cursorOf((before ? last : first)!) : cursor) : offset > 0 && first ? cursorOf(first) : null;
  let start: number | null = 1;
  if (first && (cursor || offset > 0)) {
    const ahead = await capped(beyond(cursorOf(first), !newestFirst));
    start = ahead > LIST_COUNT_CAP ? null : ahead + 1;
  }
  return {
    rows,
    next: before ? homeward : onward,
    prev: before ? onward : homeward,
    total: matching > LIST_COUNT_CAP ? null : matching,
    start,
    params,
    readAt: Date.now(),
  };
});

/** For the CSV export: `limit` rows from `offset`, in the list's order. */
export const deliveryRows = scopedQuery(async ({ db, scope }, params: DeliveryListParams, offset: number, limit: number) =>
  deliveryRowsOf(db, scope, await whereOf(db, scope, params), offset, limit),
);

export const queryDelivery = scopedQuery(async ({ db, scope }, id: number) => {
  const d = await firstRow(db
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
    .where(and(eq(webhookDeliveries.id, id), scopeWhere(scope, webhookDeliveries.merchantId))).limit(1));
  if (!d) return null;
  const touched = await db
    .selectDistinct({ id: transactions.id, providerTransactionId: transactions.providerTransactionId, status: transactions.status })
    .from(transactionEvents)
    .innerJoin(transactions, eq(transactions.id, transactionEvents.transactionRef))
    .where(and(eq(transactionEvents.deliveryId, id), scopeWhere(scope, transactions.merchantId)));
  return { ...d, touched };
});

