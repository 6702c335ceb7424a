/**
 * Pairing a terminal, so that the one-time credentials are never lost:
 * 1. record the attempt (never the OTP) before calling Pay-Connect; a second submit of the
 *    same form finds its attempt and does not call again;
 * 2. call pair; a failure is recorded with a reason support staff can act on, a timeout as
 *    "outcome unknown";
 * 3. after a 200, write-ahead: seal the result into the recovery spool (file and folder
 *    fsynced), then write everything in one transaction (persistPairing), then remove the spool
 *    file. A failed write leaves the spool file and marks the attempt "needs recovery"; a stop
 *    mid-write leaves the spool file, which the next start turns into "needs recovery"
 *    settleAfterStop. If the spool itself cannot be written, the sealed record goes to
 *    the server log as the last resort (`npm run recover -- --from-log` imports it).
 */
import { DomainError } from "../errors";
import "server-only";
import { and, eq, lt } from "drizzle-orm";
import type { DB } from "../db/client";
import { pairingAttempts, type Environment } from "../db/schema";
import { log } from "../log";
import { ProviderError, type PairingProvider, type PairResult } from "../providers/types";
import { persistPairing, type Persisted } from "./persist";
import {
  importSpoolRecords,
  recoveryLog,
  recoveryRecord,
  removeSpoolFile,
  writeRecord,
  type SpoolEntry,
} from "./recovery";
import {
  CREDENTIALS_IN_LOG,
  credentialsInLogMessage,
  INTERRUPTED_RECOVERY_MESSAGE,
  MERCHANT_SUSPENDED_RECOVERY_MESSAGE,
  RECOVERY_MESSAGE,
  type RecoveryRecord,
} from "./recovery-record";
import { changedRows, firstRow, returnedRow } from "../db/query";
import { isUniqueViolation } from "../db/errors";

export { CREDENTIALS_IN_LOG, INTERRUPTED_RECOVERY_MESSAGE, RECOVERY_MESSAGE };

export type PairTerminalInput = {
  requestKey: string;
  /** The merchant to pair into: checked active by the caller (lib/merchants). */
  merchantId: number;
  environment: Environment;
  name: string;
  otp: string;
  webhookUrl: string | null;
  webhookToken: string | null;
  /** "Pair again" of this terminal (checked in scope by the caller): another terminal's result is flagged. */
  intendedTerminalRef?: number | null;
  /** Paired from this register's page (checked in scope by the caller): it routes to the terminal. */
  registerRef?: number | null;
};

export type PairTerminalOutcome =
  | ({ kind: "paired"; attemptId: number } & Persisted)
  | { kind: "failed" | "outcome_unknown" | "needs_recovery"; attemptId: number; code: string; message: string }
  | { kind: "in_progress"; attemptId: number; message: string };

const LOST_MESSAGE =
  "Pay-Connect paired the terminal, but Pairdesk could neither save the credentials nor seal them for recovery. They are lost: unpair the terminal on its screen and pair it again with a new OTP.";

type Actor = { id: number; email: string };

async function finishAttempt(
  db: DB,
  attemptId: number,
  status: "failed" | "outcome_unknown" | "needs_recovery",
  code: string,
  reason: string,
  terminalId?: string,
) {
  await db.transaction((tx) => tx.update(pairingAttempts)
    .set({ status, errorCode: code, reason, finishedAt: new Date(), terminalId: terminalId ?? null })
    .where(eq(pairingAttempts.id, attemptId)));
}

/** What a repeated submit of an already recorded request sees. */
async function existingOutcome(db: DB, requestKey: string, actorId: number): Promise<PairTerminalOutcome | null> {
  const row = await firstRow(db
    .select({
      id: pairingAttempts.id,
      status: pairingAttempts.status,
      reason: pairingAttempts.reason,
      errorCode: pairingAttempts.errorCode,
      pairingId: pairingAttempts.pairingId,
      warning: pairingAttempts.warning,
      createdById: pairingAttempts.createdById,
    })
    .from(pairingAttempts)
    .where(eq(pairingAttempts.requestKey, requestKey)).limit(1));
  if (!row) return null;
  if (row.createdById !== actorId) {
    // Someone else's request key: nothing of their attempt is told.
    return { kind: "failed", attemptId: row.id, code: "duplicate", message: "This form was already used. Reload the page and pair again." };
  }
  if (row.status === "pending") {
    return {
      kind: "in_progress",
      attemptId: row.id,
      message: "This pairing request is already being processed. Wait for it to finish.",
    };
  }
  if (row.status === "succeeded" && row.pairingId) {
    const terminalRef = (await db.query.pairings
      .findFirst({ columns: { terminalRef: true }, where: (p, { eq: e }) => e(p.id, row.pairingId!) }))?.terminalRef;
    if (terminalRef) {
      return { kind: "paired", attemptId: row.id, terminalRef, pairingId: row.pairingId, replacedPairingIds: [], warning: row.warning, routed: null };
    }
  }
  return {
    kind: row.status === "succeeded" ? "failed" : (row.status as "failed" | "outcome_unknown" | "needs_recovery"),
    attemptId: row.id,
    code: row.errorCode ?? "duplicate",
    message: `This request was already submitted: ${row.reason ?? row.status}`,
  };
}

/** What to do when a pair call's outcome is unknown, whichever the terminal's screen shows. */
const BOTH_CASES_ADVICE =
  "Check the terminal's screen. If it shows it is paired, its credentials did not reach Pairdesk and cannot be fetched again: unpair it on the terminal (or through the provider's support), generate a new OTP and pair again. If it shows it is not paired, generate a new OTP and pair again.";

export const ORPHANED_MESSAGE =
  `Pairdesk stopped before it recorded the provider's answer, so the outcome is unknown: the terminal may have been paired. ${BOTH_CASES_ADVICE}`;

export type SettledAtStart = {
  /** Pending attempts whose result is in the spool: now "needs recovery". */
  needsRecovery: number;
  /** Pending attempts whose sealed result only reached the server log: now "needs recovery" too. */
  inLog: number;
  /** Other pending attempts: now "outcome unknown". */
  outcomeUnknown: number;
  /** Spool files of pairings already committed (a stop or a failed removal after the commit): removed. */
  staleSpoolFiles: number;
};

/**
 * At start no pair call is in flight, so an attempt still pending from before was cut off
 * (a crash or restart):
 * - its result in the spool (the stop came between Pay-Connect's 200 and the commit): needs recovery;
 * - its result only in the server log (the spool could not be written): needs recovery, via `npm run recover`;
 * - otherwise: outcome unknown instead of pending for ever.
 * A spool file whose pairing is already committed is stale: it is removed, not offered for recovery.
 */
export async function settleAfterStop(db: DB, startedAt = new Date(), createdBefore = startedAt): Promise<SettledAtStart> {
  // This process's own spool: nothing of it is in flight at start, whatever other instances do.
  // Each record not saved goes into its attempt's row (any instance can then complete it).
  const out: SettledAtStart = { needsRecovery: 0, inLog: 0, outcomeUnknown: 0, staleSpoolFiles: 0 };
  const imported = await importSpoolRecords(db, startedAt, { reason: INTERRUPTED_RECOVERY_MESSAGE, at: startedAt });
  out.needsRecovery = imported.marked;
  out.staleSpoolFiles = removeStaleSpoolFiles(imported.stale);
  const abandoned = await settleAbandonedAttempts(db, createdBefore, startedAt);
  return { ...out, ...abandoned };
}

/** Removes spool files whose pairing is saved (the stop came after the commit): how many went. */
export function removeStaleSpoolFiles(stale: SpoolEntry[]): number {
  let removed = 0;
  for (const entry of stale) {
    try {
      removeSpoolFile(entry.file);
      log.info({ event: "stale_spool_removed", attemptId: entry.attemptId, file: entry.file }, "removed the spool file of a pairing already saved");
      removed++;
    } catch (err) {
      // Harmless (the dashboard does not offer it), and never a reason not to start.
      log.warn({ event: "stale_spool_kept", attemptId: entry.attemptId, file: entry.file, failure: (err as Error)?.message }, "could not remove the spool file of a pairing already saved");
    }
  }
  return removed;
}

/**
 * Pending attempts created before `createdBefore` that no process is sending any more: those
 * whose result went to the server log only need recovery, the others' outcome is unknown. With
 * one process on the database (SQLite) that is every attempt from before its start; with several
 * instances (Postgres) another one may be sending an attempt right now, so an instance settles
 * only those older than the longest pair call can last (lib/ops/startup.ts), at start and then
 * every minute: an instance that died mid-call has its attempts settled by the others.
 */
export async function settleAbandonedAttempts(db: DB, createdBefore: Date, at = new Date()): Promise<{ inLog: number; outcomeUnknown: number }> {
  const pending = and(eq(pairingAttempts.status, "pending"), lt(pairingAttempts.createdAt, createdBefore));
  const out = { inLog: 0, outcomeUnknown: 0 };
  const inLog = await db
    .select({ id: pairingAttempts.id })
    .from(pairingAttempts)
    .where(and(pending, eq(pairingAttempts.errorCode, CREDENTIALS_IN_LOG)));
  for (const { id } of inLog) {
    out.inLog += changedRows(await db.transaction((tx) => tx
      .update(pairingAttempts)
      .set({ status: "needs_recovery", reason: credentialsInLogMessage(id), finishedAt: at })
      .where(and(pending, eq(pairingAttempts.id, id)))));
  }
  out.outcomeUnknown = changedRows(await db.transaction((tx) => tx
    .update(pairingAttempts)
    .set({ status: "outcome_unknown", errorCode: "interrupted", reason: ORPHANED_MESSAGE, finishedAt: at })
    .where(pending)));
  return out;
}

/** The number of attempts settleAfterStop changed (kept for callers that only count). */
export async function settleOrphanedAttempts(db: DB, startedAt = new Date()): Promise<number> {
  const s = await settleAfterStop(db, startedAt);
  return s.needsRecovery + s.inLog + s.outcomeUnknown;
}

export async function pairTerminal(
  db: DB,
  client: PairingProvider,
  input: PairTerminalInput,
  actor: Actor,
): Promise<PairTerminalOutcome> {
  const repeated = await existingOutcome(db, input.requestKey, actor.id);
  if (repeated) return repeated;

  let attemptId: number;
  try {
    attemptId = (await returnedRow(db.transaction((tx) => tx
      .insert(pairingAttempts)
      .values({
        requestKey: input.requestKey,
        merchantId: input.merchantId,
        environment: input.environment,
        name: input.name,
        webhookUrl: input.webhookUrl,
        intendedTerminalRef: input.intendedTerminalRef ?? null,
        registerRef: input.registerRef ?? null,
        createdById: actor.id,
      })
      .returning({ id: pairingAttempts.id })))).id;
  } catch (err) {
    // Two submits raced past the check above: the unique request key let only one in.
    const raced = isUniqueViolation(err, "pairing_attempts") ? await existingOutcome(db, input.requestKey, actor.id) : null;
    if (raced) return raced;
    throw err;
  }

  let result: PairResult;
  try {
    result = await client.pair({
      name: input.name,
      otp: input.otp,
      webhookUrl: input.webhookUrl ?? undefined,
    });
  } catch (err) {
    if (!(err instanceof ProviderError)) {
      await finishAttempt(db, attemptId, "outcome_unknown", "internal", `Pairdesk failed while calling the provider. The outcome is unknown: the terminal may have been paired. ${BOTH_CASES_ADVICE}`);
      throw err;
    }
    const status = err.outcome === "unknown" ? "outcome_unknown" : "failed";
    await finishAttempt(db, attemptId, status, err.code, err.message);
    log.info({ event: "pair_failed", attemptId, code: err.code, status: err.status }, "pair call failed");
    return { kind: status, attemptId, code: err.code, message: err.message };
  }

  return saveAfterPairCall(db, input, attemptId, result, actor);
}

/**
 * After Pay-Connect's 200 the credentials exist nowhere else: write-ahead to the spool, commit,
 * then remove the spool file.
 */
async function saveAfterPairCall(
  db: DB,
  input: PairTerminalInput,
  attemptId: number,
  result: PairResult,
  actor: Actor,
): Promise<PairTerminalOutcome> {
  let record: RecoveryRecord | null = null;
  let spoolFile: string | null = null;
  try {
    record = recoveryRecord({
      attemptId,
      environment: input.environment,
      webhookUrl: input.webhookUrl,
      webhookToken: input.webhookToken,
      createdById: actor.id,
      failure: "spooled before the database write (write-ahead)",
      result,
    });
    spoolFile = writeRecord(record);
  } catch (spoolErr) {
    // Last resort, still before the transaction: the record (sealed, useless without VAULT_KEY)
    // goes synchronously to the server log, and the attempt says where its credentials are, so
    // that a stop during the write below loses nothing.
    recoveryLog.logger.error(
      {
        event: "pair_spool_failed",
        attemptId,
        terminalId: result.terminalId,
        failure: (spoolErr as Error)?.message ?? String(spoolErr),
        recovery: record,
      },
      `the recovery spool cannot be written: the sealed pairing is only in this log line until the database write succeeds; if it does not, run \`npm run recover -- --from-log <this log>\``,
    );
    if (record) {
      try {
        await db.transaction((tx) => tx.update(pairingAttempts)
          .set({ errorCode: CREDENTIALS_IN_LOG, terminalId: result.terminalId })
          .where(and(eq(pairingAttempts.id, attemptId), eq(pairingAttempts.status, "pending"))));
      } catch {
        // the log line is the record
      }
    }
  }

  let saved;
  try {
    saved = await persistPairing(db, {
      attemptId,
      merchantId: input.merchantId,
      environment: input.environment,
      webhookUrl: input.webhookUrl,
      webhookToken: input.webhookToken,
      result,
      createdById: actor.id,
      actor,
    });
  } catch (writeErr) {
    const failure = (writeErr as Error)?.message ?? String(writeErr);
    log.error({ event: "pair_write_failed", attemptId, terminalId: result.terminalId, failure, spooled: spoolFile !== null }, "pairing write failed");
    if (spoolFile) {
      const suspended = writeErr instanceof DomainError && writeErr.code === "merchant_suspended";
      const code = suspended ? "merchant_suspended" : "write_failed";
      const message = suspended ? MERCHANT_SUSPENDED_RECOVERY_MESSAGE : RECOVERY_MESSAGE;
      try {
        await finishAttempt(db, attemptId, "needs_recovery", code, message, result.terminalId);
      } catch {
        // The spool file itself is listed on the dashboard.
      }
      return { kind: "needs_recovery", attemptId, code, message };
    }
    if (!record) {
      try {
        await finishAttempt(db, attemptId, "failed", "credentials_lost", LOST_MESSAGE, result.terminalId);
      } catch {
        // the fatal log line above is the record
      }
      return { kind: "failed", attemptId, code: "credentials_lost", message: LOST_MESSAGE };
    }
    const message = credentialsInLogMessage(attemptId);
    recoveryLog.logger.fatal(
      { event: "pair_unsaved_in_log", attemptId, terminalId: result.terminalId, failure, recovery: record },
      "pairing could be neither saved nor spooled: its sealed credentials are in this log line; run `npm run recover -- --from-log <this log>`, then complete it from the dashboard",
    );
    try {
      await finishAttempt(db, attemptId, "needs_recovery", CREDENTIALS_IN_LOG, message, result.terminalId);
    } catch {
      // the log line is the record; a start marks the attempt from its error code, or the operator imports it
    }
    return { kind: "needs_recovery", attemptId, code: CREDENTIALS_IN_LOG, message };
  }

  if (spoolFile) {
    try {
      removeSpoolFile(spoolFile);
    } catch (err) {
      // Committed: the file is stale, and the next start removes it settleAfterStop.
      log.warn({ event: "spool_remove_failed", attemptId, file: spoolFile, failure: (err as Error)?.message }, "pairing saved, but its spool file could not be removed");
    }
  } else if (record) {
    log.warn({ event: "paired_without_spool", attemptId }, "pairing saved; the recovery record logged for this attempt is not needed");
  }
  log.info({ event: "paired", attemptId, pairingId: saved.pairingId, terminalId: result.terminalId }, "terminal paired");
  return { kind: "paired", attemptId, ...saved };
}
