/**
 * Pairing a terminal, so that the one-time credentials are never lost:
 * 1. record the attempt (never the OTP) before calling Pay-Connect; a second submit of the
 *    same form finds its attempt and does not call again;
 * 2. call pair; a failure is recorded with a reason support staff can act on, a timeout as
 *    "outcome unknown";
 * 3. after a 200, write everything in one transaction (persistPairing); if that fails, seal the
 *    result into the recovery spool and mark the attempt "needs recovery".
 */
import "server-only";
import { and, eq, inArray, lt } from "drizzle-orm";
import type { DB } from "../db/client";
import { pairingAttempts, type Environment } from "../db/schema";
import { log } from "../log";
import { ProviderError, type PairingProvider, type PairResult } from "../providers/types";
import { persistPairing } from "./persist";
import { listRecoverySpool, sealPairResult, writeSpool } from "./recovery";

export type PairTerminalInput = {
  requestKey: string;
  environment: Environment;
  name: string;
  otp: string;
  webhookUrl: string | null;
  webhookToken: string | null;
};

export type PairTerminalOutcome =
  | { kind: "paired"; attemptId: number; terminalRef: number; pairingId: number }
  | { kind: "failed" | "outcome_unknown" | "needs_recovery"; attemptId: number; code: string; message: string }
  | { kind: "in_progress"; attemptId: number; message: string };

export const RECOVERY_MESSAGE =
  "Pay-Connect paired the terminal, but Pairdesk could not save the pairing. The credentials are held encrypted in the recovery spool: an admin can complete the pairing from the dashboard. Do not pair this terminal again.";

const LOST_MESSAGE =
  "Pay-Connect paired the terminal, but Pairdesk could neither save the credentials nor spool them for recovery. They are lost: unpair the terminal on its screen and pair it again with a new OTP.";

type Actor = { id: number; email: string };

function finishAttempt(
  db: DB,
  attemptId: number,
  status: "failed" | "outcome_unknown" | "needs_recovery",
  code: string,
  reason: string,
  terminalId?: string,
) {
  db.update(pairingAttempts)
    .set({ status, errorCode: code, reason, finishedAt: new Date(), terminalId: terminalId ?? null })
    .where(eq(pairingAttempts.id, attemptId))
    .run();
}

/** What a repeated submit of an already recorded request sees. */
function existingOutcome(db: DB, requestKey: string): PairTerminalOutcome | null {
  const row = db
    .select({
      id: pairingAttempts.id,
      status: pairingAttempts.status,
      reason: pairingAttempts.reason,
      errorCode: pairingAttempts.errorCode,
      pairingId: pairingAttempts.pairingId,
    })
    .from(pairingAttempts)
    .where(eq(pairingAttempts.requestKey, requestKey))
    .get();
  if (!row) return null;
  if (row.status === "pending") {
    return {
      kind: "in_progress",
      attemptId: row.id,
      message: "This pairing request is already being processed. Wait for it to finish.",
    };
  }
  if (row.status === "succeeded" && row.pairingId) {
    const terminalRef = db.query.pairings
      .findFirst({ columns: { terminalRef: true }, where: (p, { eq: e }) => e(p.id, row.pairingId!) })
      .sync()?.terminalRef;
    if (terminalRef) return { kind: "paired", attemptId: row.id, terminalRef, pairingId: row.pairingId };
  }
  return {
    kind: row.status === "succeeded" ? "failed" : (row.status as "failed" | "outcome_unknown" | "needs_recovery"),
    attemptId: row.id,
    code: row.errorCode ?? "duplicate",
    message: `This request was already submitted: ${row.reason ?? row.status}`,
  };
}

export const ORPHANED_MESSAGE =
  "Pairdesk stopped while waiting for Pay-Connect's answer, so the outcome is unknown: the terminal may have been paired. Check the terminal's screen; if it is not paired, generate a new OTP and pair again.";

/**
 * At start no pair call is in flight, so an attempt still pending from before was cut off
 * mid-call (a crash or restart): it becomes "outcome unknown" instead of pending for ever.
 */
export function settleOrphanedAttempts(db: DB, startedAt = new Date()): number {
  const pending = and(eq(pairingAttempts.status, "pending"), lt(pairingAttempts.createdAt, startedAt));
  // One whose result reached the spool (the write failed, then the stop came) needs recovery.
  const spooled = listRecoverySpool().map((e) => e.attemptId);
  let changed = 0;
  if (spooled.length > 0) {
    changed += db
      .update(pairingAttempts)
      .set({ status: "needs_recovery", errorCode: "write_failed", reason: RECOVERY_MESSAGE, finishedAt: startedAt })
      .where(and(pending, inArray(pairingAttempts.id, spooled)))
      .run().changes;
  }
  changed += db
    .update(pairingAttempts)
    .set({ status: "outcome_unknown", errorCode: "interrupted", reason: ORPHANED_MESSAGE, finishedAt: startedAt })
    .where(pending)
    .run().changes;
  return changed;
}

export async function pairTerminal(
  db: DB,
  client: PairingProvider,
  input: PairTerminalInput,
  actor: Actor,
): Promise<PairTerminalOutcome> {
  const repeated = existingOutcome(db, input.requestKey);
  if (repeated) return repeated;

  let attemptId: number;
  try {
    attemptId = db
      .insert(pairingAttempts)
      .values({
        requestKey: input.requestKey,
        environment: input.environment,
        name: input.name,
        webhookUrl: input.webhookUrl,
        createdById: actor.id,
      })
      .returning({ id: pairingAttempts.id })
      .get().id;
  } catch (err) {
    // Two submits raced past the check above: the unique request key let only one in.
    const raced = String(err).includes("UNIQUE") ? existingOutcome(db, input.requestKey) : null;
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
      finishAttempt(db, attemptId, "outcome_unknown", "internal", "Pairdesk failed while calling Pay-Connect. The outcome is unknown: check the terminal's screen; if it is not paired, generate a new OTP and pair again.");
      throw err;
    }
    const status = err.outcome === "unknown" ? "outcome_unknown" : "failed";
    finishAttempt(db, attemptId, status, err.code, err.message);
    log.info({ event: "pair_failed", attemptId, code: err.code, status: err.status }, "pair call failed");
    return { kind: status, attemptId, code: err.code, message: err.message };
  }

  try {
    const saved = persistPairing(db, {
      attemptId,
      environment: input.environment,
      webhookUrl: input.webhookUrl,
      webhookToken: input.webhookToken,
      result,
      createdById: actor.id,
      actor,
    });
    log.info({ event: "paired", attemptId, pairingId: saved.pairingId, terminalId: result.terminalId }, "terminal paired");
    return { kind: "paired", attemptId, ...saved };
  } catch (writeErr) {
    const failure = (writeErr as Error)?.message ?? String(writeErr);
    log.error({ event: "pair_write_failed", attemptId, terminalId: result.terminalId, failure }, "pairing write failed; spooling");
    const spool = {
      attemptId,
      environment: input.environment,
      webhookUrl: input.webhookUrl,
      webhookToken: input.webhookToken,
      createdById: actor.id,
      failure,
      result,
    };
    let sealed: ReturnType<typeof sealPairResult> | null = null;
    try {
      sealed = sealPairResult(attemptId, result);
      writeSpool(spool, sealed);
    } catch (spoolErr) {
      // Last resort: the sealed result (useless without VAULT_KEY) goes into the log, so an
      // operator can still rebuild the spool file from it.
      log.fatal(
        {
          event: "pair_spool_failed",
          attemptId,
          terminalId: result.terminalId,
          failure: (spoolErr as Error)?.message,
          sealedPairResult: sealed
            ? { keyId: sealed.keyId, nonce: sealed.nonce.toString("base64"), ciphertext: sealed.ciphertext.toString("base64") }
            : null,
        },
        "pairing could be neither saved nor spooled",
      );
      try {
        finishAttempt(db, attemptId, "failed", "credentials_lost", LOST_MESSAGE, result.terminalId);
      } catch {
        // the log line above is the record
      }
      return { kind: "failed", attemptId, code: "credentials_lost", message: LOST_MESSAGE };
    }
    try {
      finishAttempt(db, attemptId, "needs_recovery", "write_failed", RECOVERY_MESSAGE, result.terminalId);
    } catch {
      // The spool file itself is listed on the dashboard.
    }
    return { kind: "needs_recovery", attemptId, code: "write_failed", message: RECOVERY_MESSAGE };
  }
}
