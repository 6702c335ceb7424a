/**
 * What is known of one transaction for the money rules (./allowed.ts decides on it): what is
 * refunded or being refunded, which ending operation is open or done, and which pairing could
 * act on it now. Read inside the write that decides (runOperation) and by the pages that offer.
 */
import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DB, Tx } from "../db/open";
import { firstRow } from "../db/query";
import { terminals, transactionOperations, transactions } from "../db/schema";
import type { OperationStatus } from "../domain";
import { ENDING_OPERATIONS, type EndingOperation, type TransactionFacts } from "./allowed";
import { activePairingFor } from "./pairing-reach";

/**
 * An ending operation not known to have ended (sending, sent, or its answer lost) stops the
 * others this long: by then the transaction's own status (webhook or poll) has shown whether it
 * took effect. The poller follows an operation as long OPERATION_HORIZON_MS.
 */
export const UNKNOWN_ENDING_HOLD_MS = 30 * 60_000;

/** The facts ./allowed.ts decides on, read for one transaction. */
export async function transactionFacts(db: DB | Tx, t: typeof transactions.$inferSelect, now = Date.now()): Promise<TransactionFacts> {
  const linked = await db
    .select({ status: transactions.status, amount: transactions.amount })
    .from(transactions)
    .where(and(eq(transactions.linkedTransactionRef, t.id), eq(transactions.kind, "refund")));
  const pendingOps = await firstRow(db
    .select({ amount: sql<number>`coalesce(sum(${transactionOperations.amount}), 0)`, n: sql<number>`count(*)` })
    .from(transactionOperations)
    .where(
      and(
        eq(transactionOperations.transactionRef, t.id),
        eq(transactionOperations.kind, "refund"),
        isNull(transactionOperations.resultTransactionRef),
        inArray(transactionOperations.status, ["pending", "outcome_unknown"]),
      ),
    ).limit(1));
  const endings = (await db
    .select({ kind: transactionOperations.kind, status: transactionOperations.status, createdAt: transactionOperations.createdAt })
    .from(transactionOperations)
    .where(and(eq(transactionOperations.transactionRef, t.id), inArray(transactionOperations.kind, [...ENDING_OPERATIONS])))) as { kind: EndingOperation; status: OperationStatus; createdAt: Date }[];
  const latest = await firstRow(db
    .select({ id: transactions.id })
    .from(transactions)
    .where(and(eq(transactions.terminalRef, t.terminalRef), eq(transactions.status, "SUCCESS")))
    .orderBy(desc(sql`coalesce(${transactions.completedAt}, ${transactions.statusChangedAt})`), desc(transactions.id))
    .limit(1));
  const openLinked = linked.filter((r) => r.status === "INITIATED" || r.status === "IN_PROGRESS");
  // Not yet ended (sending, sent, or its answer lost), for at most UNKNOWN_ENDING_HOLD_MS: by then
  // the poller has stopped following it (its horizon is the same) and the transaction's own
  // status is the truth, so a record a crash or a lost follow-up left open blocks nothing for ever.
  const open = endings.find(
    (e) => (e.status === "pending" || e.status === "sent" || e.status === "outcome_unknown") && now - e.createdAt.getTime() < UNKNOWN_ENDING_HOLD_MS,
  );
  // The most final of those that succeeded: a revert after a completion ends it.
  const done = (["revert", "cancel", "preauth_complete"] as const).find((k) => endings.some((e) => e.kind === k && e.status === "succeeded"));
  const terminal = await firstRow(db.select({ terminalId: terminals.terminalId }).from(terminals).where(eq(terminals.id, t.terminalRef)).limit(1));
  return {
    kind: t.kind,
    status: t.status,
    amount: t.amount,
    refundTotalAmount: t.refundTotalAmount,
    refundedBySeen: linked.filter((r) => r.status === "SUCCESS").reduce((s, r) => s + r.amount, 0),
    refundsOpen: openLinked.reduce((s, r) => s + r.amount, 0) + (pendingOps?.amount ?? 0),
    openRefundCount: openLinked.length + (pendingOps?.n ?? 0),
    latestSuccess: latest?.id === t.id,
    endingOpen: open?.kind ?? null,
    endingDone: done ?? null,
    pairing: (await activePairingFor(db, t.terminalRef, t.merchantId)).reach,
    terminalId: terminal?.terminalId ?? "",
  };
}
