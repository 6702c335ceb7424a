/**
 * The recovery spool: a write-ahead record of every successful pair call. Right after
 * Pay-Connect's 200, the pair result is sealed with the vault key and written to a file (file
 * and folder fsynced) *before* the database transaction; the file is removed once the pairing is
 * committed. A file left behind is either a pairing whose write failed or was cut off by a stop
 * (an admin completes it from the dashboard), or — if the removal itself failed — a committed
 * pairing, which the next start notices and removes.
 *
 * A spool file holds the sealed result and a few non-secret fields to show on the dashboard
 * (see recovery-record.ts). Files are never overwritten (attempt ids can repeat after a database
 * restore), and a file that cannot be read is reported, not skipped.
 */
import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import pino from "pino";
import type { DB } from "../db/client";
import { pairingAttempts, pairings, terminals, type Environment } from "../db/schema";
import { getEnv } from "../env";
import { createLogger } from "../log";
import type { PairResult } from "../providers/types";
import { open, seal, secretContext, type Sealed } from "./vault";
import {
  readSpoolRecord,
  removeSpoolRecord,
  scanSpoolFolder,
  writeSpoolRecord,
  recoveryRecordSchema,
  type RecoveryRecord,
} from "./recovery-record";
import { changedRows, firstRow } from "../db/query";

/**
 * The logger of the last resort: when the spool cannot be written, the recovery record goes to
 * the server log through this one, written synchronously (no buffering that a crash could lose).
 * Same redaction as the app's logger; the record holds nothing it would redact. Replaceable by
 * tests (`recoveryLog.logger = …`).
 */
export const recoveryLog: { logger: pino.Logger } = {
  logger: createLogger(pino.destination({ dest: 1, sync: true })),
};

export type SpoolEntry = Omit<RecoveryRecord, "sealed"> & { file: string };

export type SpoolInput = {
  attemptId: number;
  environment: Environment;
  webhookUrl: string | null;
  webhookToken: string | null;
  createdById: number;
  failure: string;
  result: PairResult;
};

function spoolDir(): string {
  return getEnv().recoveryDir;
}

function context(attemptId: number): string {
  return secretContext("recovery", attemptId, "pair_result");
}

/** Seals a pair result for the spool (bound to its attempt id). */
function sealPairResult(attemptId: number, result: PairResult): Sealed {
  return seal(JSON.stringify(result), context(attemptId));
}

/** The recovery record of a pair result: sealed, with the non-secret fields a recovery needs. */
export function recoveryRecord(input: SpoolInput, sealed: Sealed = sealPairResult(input.attemptId, input.result)): RecoveryRecord {
  return {
    version: 1,
    attemptId: input.attemptId,
    environment: input.environment,
    terminalId: input.result.terminalId,
    pairingName: input.result.payConnectName,
    webhookUrl: input.webhookUrl,
    webhookToken: input.webhookToken,
    createdById: input.createdById,
    spooledAt: new Date().toISOString(),
    failure: input.failure,
    sealed: {
      keyId: sealed.keyId,
      nonce: sealed.nonce.toString("base64"),
      ciphertext: sealed.ciphertext.toString("base64"),
    },
  };
}

/** Writes a record into the spool durably (file and folder fsynced), never over another file. */
export function writeRecord(record: RecoveryRecord): string {
  return writeSpoolRecord(spoolDir(), record);
}

/** Seals the result and writes it durably, never over another file. */
export function writeSpool(input: SpoolInput, sealed?: Sealed): string {
  return writeRecord(recoveryRecord(input, sealed));
}

function withoutSealed(record: RecoveryRecord, file: string): SpoolEntry {
  const copy: Partial<RecoveryRecord> = { ...record };
  delete copy.sealed;
  return { ...(copy as Omit<RecoveryRecord, "sealed">), file };
}

/** Everything in the spool, oldest first (non-secret fields only), and the files it cannot read. */
export function scanRecoverySpool(): { entries: SpoolEntry[]; unreadable: string[] } {
  const { records, unreadable } = scanSpoolFolder(spoolDir());
  return { entries: records.map((r) => withoutSealed(r.record, r.file)), unreadable };
}

export function listRecoverySpool(): SpoolEntry[] {
  return scanRecoverySpool().entries;
}

/**
 * Whether a spool entry's pairing is already in the database: a pairing made by its attempt,
 * for the same terminal in the same environment. Such a file is stale (the process stopped, or
 * the removal failed, after the commit) and must not be offered for recovery.
 */
export async function isCommitted(db: DB, entry: Pick<SpoolEntry, "attemptId" | "environment" | "terminalId">): Promise<boolean> {
  const row = await firstRow(db
    .select({ id: pairings.id })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(
      and(
        eq(pairings.attemptId, entry.attemptId),
        eq(terminals.environment, entry.environment),
        eq(terminals.terminalId, entry.terminalId),
      ),
    ).limit(1));
  return row !== undefined;
}

/**
 * An attempt's spooled result, opened with the vault key: from this instance's spool file, else
 * from the copy an instance made into the database at its start (so that any instance completes
 * a recovery). `entry.file` is empty for a copy from the database. Throws VaultError.
 */
export async function readSpooledResult(db: DB, attemptId: number): Promise<{ entry: SpoolEntry; result: PairResult } | null> {
  const local = listRecoverySpool().find((e) => e.attemptId === attemptId);
  let raw = local ? readSpoolRecord(local.file) : null;
  let entry = local ?? null;
  if (!raw) {
    const row = await firstRow(db.select({ record: pairingAttempts.recoveryRecord }).from(pairingAttempts).where(eq(pairingAttempts.id, attemptId)).limit(1));
    const parsed = row?.record ? recoveryRecordSchema.safeParse(safeJson(row.record)) : null;
    if (!parsed?.success || parsed.data.attemptId !== attemptId) return null;
    raw = parsed.data;
    entry = withoutSealed(raw, "");
  }
  if (!entry) return null;
  const plaintext = open(
    {
      keyId: raw.sealed.keyId,
      nonce: Buffer.from(raw.sealed.nonce, "base64"),
      ciphertext: Buffer.from(raw.sealed.ciphertext, "base64"),
    },
    context(attemptId),
  );
  return { entry, result: JSON.parse(plaintext) as PairResult };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Copies this instance's spool records whose pairing is not saved into their attempts' rows
 * (pairing_attempts.recovery_record), marking those still pending or of unknown outcome as
 * needing recovery: any instance's dashboard then offers them, and completes them from the
 * copy. Only records spooled before `spooledBefore` (at start: every one; later: those older
 * than a call can last, such as files an operator moved here from an instance that is gone).
 */
export async function importSpoolRecords(
  db: DB,
  spooledBefore: Date,
  marked: { reason: string; at: Date },
): Promise<{ marked: number; copied: number; stale: SpoolEntry[] }> {
  const out = { marked: 0, copied: 0, stale: [] as SpoolEntry[] };
  for (const { record, file } of scanSpoolFolder(spoolDir()).records) {
    if (new Date(record.spooledAt) >= spooledBefore) continue;
    const entry = withoutSealed(record, file);
    if (await isCommitted(db, entry)) {
      out.stale.push(entry);
      continue;
    }
    const text = JSON.stringify(record);
    const changed = await db.transaction(async (tx) => {
      const m = changedRows(await tx
        .update(pairingAttempts)
        .set({ status: "needs_recovery", errorCode: "write_interrupted", reason: marked.reason, terminalId: record.terminalId, finishedAt: marked.at, recoveryRecord: text })
        .where(and(eq(pairingAttempts.id, record.attemptId), inArray(pairingAttempts.status, ["pending", "outcome_unknown"]))));
      const c = m > 0 ? 0 : changedRows(await tx
        .update(pairingAttempts)
        .set({ recoveryRecord: text })
        .where(and(eq(pairingAttempts.id, record.attemptId), eq(pairingAttempts.status, "needs_recovery"), isNull(pairingAttempts.recoveryRecord))));
      return { m, c };
    });
    out.marked += changed.m;
    out.copied += changed.m + changed.c;
  }
  return out;
}

export function removeSpoolFile(file: string): void {
  removeSpoolRecord(file);
}
