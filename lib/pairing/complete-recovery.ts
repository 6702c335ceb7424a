/** An admin completes a spooled pairing: the same transaction as a normal pairing, then the spool file goes. */
import { DomainError, notFound } from "../errors";
import "server-only";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { scopeWhere, type QueryContext, scopedCommands } from "../auth/scope";
import { pairingAttempts } from "../db/schema";
import { log } from "../log";
import type { PairResult } from "../providers/types";
import { VaultError } from "./vault";
import { persistPairing, type Persisted } from "./persist";
import { readSpooledResult, removeSpoolFile, type SpoolEntry } from "./recovery";
import { webhookEndpoint } from "./webhook-url";
import { firstRow } from "../db/query";
import { describeViolation, violationOf } from "../db/errors";

/** A recovery that cannot be completed now: the sentence says why and what to do. */
const recoveryError = (message: string) => new DomainError("recovery_failed", message);

/** What a failed write means for the person at the dashboard. */
function writeFailure(err: unknown): string {
  const violation = violationOf(err);
  if (violation) {
    return `The pairing conflicts with what the database already holds (${describeViolation(violation)}). It stays in the recovery spool; an operator must resolve the conflict, then try again.`;
  }
  return "The pairing still cannot be written to the database. It stays in the recovery spool; check the server log and the disk, then try again.";
}

export async function completeRecovery(
  { db, scope }: QueryContext,
  attemptId: number,
  actor: { id: number; email: string },
): Promise<Persisted> {
  // Who asked, for which environment and which webhook URL come from the attempt row, written
  // before the pair call: a spool file's or log line's plain fields are not sealed, and whoever
  // can write one could otherwise choose them (a red-team finding). Only the sealed pair result
  // is taken from the spool.
  const attempt = await firstRow(db
    .select({
      status: pairingAttempts.status,
      merchantId: pairingAttempts.merchantId,
      environment: pairingAttempts.environment,
      createdById: pairingAttempts.createdById,
      webhookUrl: pairingAttempts.webhookUrl,
    })
    .from(pairingAttempts)
    .where(and(eq(pairingAttempts.id, attemptId), scopeWhere(scope, pairingAttempts.merchantId))).limit(1));
  // Another merchant's attempt, or none: not found, before anything is read from the spool.
  if (!attempt) {
    throw notFound(`Pairing attempt ${attemptId} is not in the database (was it restored from an older backup?). Its spool file, if any, is kept for an operator.`);
  }
  let spooled: { entry: SpoolEntry; result: PairResult } | null;
  try {
    spooled = await readSpooledResult(db, attemptId);
  } catch (err) {
    if (err instanceof VaultError) {
      throw recoveryError(
        `The spooled credentials cannot be decrypted with the configured VAULT_KEY: ${err.message} Restore the key that sealed them, then try again. The spool file is kept.`,
      );
    }
    throw err;
  }
  if (!spooled) throw recoveryError(`There is nothing in the recovery spool for attempt ${attemptId}.`);
  if (attempt.status === "succeeded") {
    throw recoveryError(
      `Pairing attempt ${attemptId} was already completed. ${spooled.entry.file ? `The spool file ${path.basename(spooled.entry.file)} is kept` : "Its spool record is kept"} for an operator to compare and remove.`,
    );
  }
  // The token is the last part of the URL the attempt recorded, or it is not this pairing's.
  const endpoint = webhookEndpoint();
  const token = spooled.entry.webhookToken;
  const webhookToken = attempt.webhookUrl?.startsWith(endpoint)
    ? attempt.webhookUrl.slice(endpoint.length) || null
    : token && attempt.webhookUrl?.endsWith(`/${token}`)
      ? token
      : null;
  if (spooled.entry.environment !== attempt.environment || spooled.entry.createdById !== attempt.createdById || spooled.entry.webhookUrl !== attempt.webhookUrl) {
    log.warn({ event: "recovery_fields_differ", attemptId }, "the spool record's plain fields differ from the attempt's: the attempt's are used");
  }
  let saved: Persisted;
  try {
    saved = await persistPairing(db, {
      attemptId,
      merchantId: attempt.merchantId,
      environment: attempt.environment,
      webhookUrl: attempt.webhookUrl,
      webhookToken,
      result: spooled.result,
      createdById: attempt.createdById,
      actor,
      recovered: true,
    });
  } catch (err) {
    if (err instanceof DomainError && err.code === "merchant_suspended") {
      throw recoveryError(
        "This pairing's merchant is suspended: nothing is saved into it. Reactivate the merchant on the Merchants page, then complete the pairing. The credentials stay in the recovery spool.",
      );
    }
    if (err instanceof DomainError && err.code === "already_saved") {
      throw recoveryError(
        `Pairing attempt ${attemptId} was already completed. ${spooled.entry.file ? `The spool file ${path.basename(spooled.entry.file)} is kept` : "Its spool record is kept"} for an operator to compare and remove.`,
      );
    }
    log.error({ event: "recovery_failed", attemptId, failure: (err as Error)?.message }, "recovery write failed");
    throw recoveryError(writeFailure(err));
  }
  // The spool file, when this instance holds it (another instance's goes at its next start, as
  // a saved pairing's), and the copy in the attempt's row: nothing sealed is kept once saved.
  if (spooled.entry.file) removeSpoolFile(spooled.entry.file);
  await db.transaction((tx) => tx.update(pairingAttempts).set({ recoveryRecord: null }).where(eq(pairingAttempts.id, attemptId)));
  log.info({ event: "recovered", attemptId, pairingId: saved.pairingId }, "pairing recovered");
  return saved;
}

scopedCommands(completeRecovery);
