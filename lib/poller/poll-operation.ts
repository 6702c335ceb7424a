/**
 * The poller's follow-up of operations (refunds, reverts, completions…): which are due, and asking
 * Pay-Connect how one ended. Part of a run of ./poller.ts.
 */
import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import type { DB } from "../db/open";
import { firstRow } from "../db/query";
import { pairings, transactionOperations, transactions } from "../db/schema";
import { watchCredentials } from "../pairing/credentials-state";
import { failed, isRetryable, type Tally } from "./poll-errors";
import type { PollerDeps } from "./poller";

/** An operation is followed this long at most. */
const OPERATION_HORIZON_MS = 30 * 60_000;

type DueOperation = Awaited<ReturnType<typeof dueOperations>>[number];

/** The operations (refunds, reverts, completions…) whose outcome is due to be asked, most overdue first. */
export function dueOperations(db: DB, at: number, limit: number) {
  return db
    .select()
    .from(transactionOperations)
    .where(and(isNotNull(transactionOperations.nextPollAt), lte(transactionOperations.nextPollAt, new Date(at))))
    .orderBy(asc(transactionOperations.nextPollAt))
    .limit(limit);
}

/**
 * Asks how one operation ended, through its own pairing while that is still its merchant's
 * active one; an ended operation makes its transaction due at once (its effect shows there).
 */
export async function pollOperation(deps: PollerDeps, op: DueOperation, tally: Tally): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  const set = (values: Partial<typeof transactionOperations.$inferInsert>) =>
    db.transaction((tx) => tx.update(transactionOperations).set(values).where(eq(transactionOperations.id, op.id)));
  if (!op.providerOperationId) {
    await set({ nextPollAt: null });
    return;
  }
  if (now - op.createdAt.getTime() >= OPERATION_HORIZON_MS) {
    await set({ nextPollAt: null, status: "outcome_unknown", reason: "Pay-Connect did not say how the operation ended within 30 minutes: check the transaction's status." });
    return;
  }
  const pairing = await firstRow(
    db
      .select({ id: pairings.id, clientId: pairings.clientId })
      .from(pairings)
      .where(and(eq(pairings.id, op.pairingId), eq(pairings.merchantId, op.merchantId), eq(pairings.status, "active")))
      .limit(1),
  );
  if (!pairing) {
    await set({ nextPollAt: null, status: "outcome_unknown", reason: "Its terminal's pairing has ended, so Pay-Connect cannot be asked how it ended: check the transaction's status." });
    return;
  }
  const operationId = op.providerOperationId;
  try {
    const remote = await watchCredentials(db, pairing.id, async () => deps.provider(op.environment).getOperation(await deps.credentials(db, pairing), operationId));
    const ended = remote.status === "SUCCESS" || remote.status === "FAILED" || remote.status === "EXPIRED";
    await db.transaction(
      async (tx) => {
        await tx
          .update(transactionOperations)
          .set({
            providerStatus: remote.status,
            nextPollAt: ended ? null : new Date(now + 2_000),
            ...(ended
              ? {
                  status: remote.status === "SUCCESS" ? "succeeded" : "failed",
                  finishedAt: new Date(now),
                  reason:
                    remote.status === "SUCCESS"
                      ? null
                      : `The terminal did not complete it (${remote.status}): the transaction may have completed before the terminal received it.`,
                }
              : {}),
          })
          .where(eq(transactionOperations.id, op.id));
        // Its effect shows on the transaction: ask for it at once.
        if (ended && op.transactionRef) {
          // A completion, an increase or a revert that went through changes the print slip: fetch it again.
          await tx
            .update(transactions)
            .set({ nextPollAt: new Date(now), ...(remote.status === "SUCCESS" ? { slipFetchedAt: null, pollCount: 0 } : {}) })
            .where(eq(transactions.id, op.transactionRef));
        }
      },
      { behavior: "immediate" },
    );
  } catch (err) {
    failed(tally, err);
    await set({ nextPollAt: new Date(now + (isRetryable(err) ? 10_000 : 60_000)) });
  }
}
