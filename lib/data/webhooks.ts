/** Webhook deliveries for the pages: the list, and one delivery with what it touched. */
import "server-only";
import { and, count, desc, eq, notInArray, sql } from "drizzle-orm";
import { merchants, pairings, terminals, transactionEvents, transactions, webhookDeliveries } from "../db/schema";
import { clampPage } from "../lists/kit";
import { deliveryList, type DeliveryListParams } from "../lists/lists";
import { scopedQuery, scopeWhere } from "./scope";

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
};

const ACCEPTED_LIKE = ["accepted"] as const;

function whereOf(scope: Parameters<typeof scopeWhere>[0], p: DeliveryListParams) {
  return and(
    scopeWhere(scope, webhookDeliveries.merchantId),
    p.verdict === "all"
      ? undefined
      : p.verdict === "rejected"
        ? notInArray(webhookDeliveries.verdict, [...ACCEPTED_LIKE])
        : eq(webhookDeliveries.verdict, p.verdict),
    p.pairing ? eq(webhookDeliveries.pairingId, p.pairing) : undefined,
  );
}

export const queryDeliveries = scopedQuery(({ db, scope }, params: DeliveryListParams) => {
  const where = whereOf(scope, params);
  const total = db.select({ n: count() }).from(webhookDeliveries).where(where).get()?.n ?? 0;
  const { page } = clampPage(params.page, total, deliveryList.pageSize);
  const rows = db
    .select({
      id: webhookDeliveries.id,
      receivedAt: webhookDeliveries.receivedAt,
      verdict: webhookDeliveries.verdict,
      httpStatus: webhookDeliveries.httpStatus,
      sizeBytes: webhookDeliveries.sizeBytes,
      eventCount: webhookDeliveries.eventCount,
      processError: webhookDeliveries.processError,
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
    .limit(deliveryList.pageSize)
    .offset((page - 1) * deliveryList.pageSize)
    .all();
  return { rows: rows as DeliveryListRow[], total, page, pageSize: deliveryList.pageSize, params };
});

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

/** Today's deliveries by verdict (accepted / rejected), for the dashboard. */
export const queryDeliveriesToday = scopedQuery(({ db, scope }, since: Date) => {
  const rows = db
    .select({ verdict: webhookDeliveries.verdict, n: count() })
    .from(webhookDeliveries)
    .where(and(scopeWhere(scope, webhookDeliveries.merchantId), sql`${webhookDeliveries.receivedAt} >= ${since.getTime()}`))
    .groupBy(webhookDeliveries.verdict)
    .all();
  const accepted = rows.filter((r) => r.verdict === "accepted").reduce((s, r) => s + r.n, 0);
  const rejected = rows.filter((r) => r.verdict !== "accepted").reduce((s, r) => s + r.n, 0);
  return { accepted, rejected };
});
