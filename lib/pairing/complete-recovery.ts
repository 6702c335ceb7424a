/** An admin completes a spooled pairing: the same transaction as a normal pairing, then the spool file goes. */
import "server-only";
import { eq } from "drizzle-orm";
import type { DB } from "../db/client";
import { pairingAttempts } from "../db/schema";
import { log } from "../log";
import { persistPairing, type Persisted } from "./persist";
import { readSpooledResult, removeSpool } from "./recovery";

export class RecoveryError extends Error {}

export function completeRecovery(db: DB, attemptId: number, actor: { id: number; email: string }): Persisted {
  const spooled = readSpooledResult(attemptId);
  if (!spooled) throw new RecoveryError(`There is nothing in the recovery spool for attempt ${attemptId}.`);
  const attempt = db
    .select({ status: pairingAttempts.status, pairingId: pairingAttempts.pairingId })
    .from(pairingAttempts)
    .where(eq(pairingAttempts.id, attemptId))
    .get();
  if (!attempt) throw new RecoveryError(`Pairing attempt ${attemptId} does not exist.`);
  if (attempt.status === "succeeded") {
    removeSpool(attemptId);
    throw new RecoveryError(`Pairing attempt ${attemptId} was already completed.`);
  }
  let saved: Persisted;
  try {
    saved = persistPairing(db, {
      attemptId,
      environment: spooled.entry.environment,
      webhookUrl: spooled.entry.webhookUrl,
      webhookToken: spooled.entry.webhookToken,
      result: spooled.result,
      createdById: spooled.entry.createdById,
      actor,
      recovered: true,
    });
  } catch (err) {
    log.error({ event: "recovery_failed", attemptId, failure: (err as Error)?.message }, "recovery write failed");
    throw new RecoveryError(
      "The pairing still cannot be written to the database. It stays in the recovery spool; check the server log and the disk, then try again.",
    );
  }
  removeSpool(attemptId);
  log.info({ event: "recovered", attemptId, pairingId: saved.pairingId }, "pairing recovered");
  return saved;
}
