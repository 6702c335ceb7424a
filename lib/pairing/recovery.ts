/**
 * The recovery spool: when Pay-Connect answered 200 but the database write failed, the pair
 * result is sealed with the vault key and written to a file (flushed to disk) so that the
 * one-time credentials are not lost. An admin completes it from the dashboard.
 *
 * A spool file holds the sealed result and a few non-secret fields to show on the dashboard.
 * Files are never overwritten (attempt ids can repeat after a database restore), and a file that
 * cannot be read is reported, not skipped.
 */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Environment } from "../db/schema";
import { getEnv } from "../env";
import type { PairResult } from "../providers/types";
import { open, seal, secretContext, type Sealed } from "../vault";

const spoolSchema = z.object({
  version: z.literal(1),
  attemptId: z.number().int().positive(),
  environment: z.enum(["production", "sandbox"]),
  terminalId: z.string(),
  pairingName: z.string(),
  webhookUrl: z.string().nullable(),
  webhookToken: z.string().nullable(),
  createdById: z.number().int(),
  spooledAt: z.string(),
  failure: z.string(),
  sealed: z.object({ keyId: z.string(), nonce: z.string(), ciphertext: z.string() }),
});
type SpoolFile = z.infer<typeof spoolSchema>;
export type SpoolEntry = Omit<SpoolFile, "sealed"> & { file: string };

export type SpoolInput = {
  attemptId: number;
  environment: Environment;
  webhookUrl: string | null;
  webhookToken: string | null;
  createdById: number;
  failure: string;
  result: PairResult;
};

const SPOOL_NAME = /^attempt-(\d+)(-[0-9a-z]+)?\.json$/;

function spoolDir(): string {
  return getEnv().recoveryDir;
}

function context(attemptId: number): string {
  return secretContext("recovery", attemptId, "pair_result");
}

/** Seals a pair result for the spool (exported so a failed spool write can still log it sealed). */
export function sealPairResult(attemptId: number, result: PairResult): Sealed {
  return seal(JSON.stringify(result), context(attemptId));
}

function fsyncDir(dir: string) {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Seals the result and writes it durably (file and folder fsynced), never over another file. */
export function writeSpool(input: SpoolInput, sealed: Sealed = sealPairResult(input.attemptId, input.result)): string {
  const dir = spoolDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const body: SpoolFile = {
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
  const tmp = path.join(dir, `.attempt-${input.attemptId}-${process.pid}-${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(body));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // link() fails rather than replace an existing file: a second spool for the same attempt id
  // (after a database restore, say) gets its own name.
  let file = path.join(dir, `attempt-${input.attemptId}.json`);
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    file = path.join(dir, `attempt-${input.attemptId}-${Date.now().toString(36)}.json`);
    fs.linkSync(tmp, file);
  }
  fs.unlinkSync(tmp);
  fsyncDir(dir);
  return file;
}

function readFile(file: string): SpoolFile | null {
  try {
    return spoolSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

function withoutSealed(entry: SpoolFile, file: string): SpoolEntry {
  const copy: Partial<SpoolFile> = { ...entry };
  delete copy.sealed;
  return { ...(copy as Omit<SpoolFile, "sealed">), file };
}

/** Everything in the spool, oldest first (non-secret fields only), and the files it cannot read. */
export function scanRecoverySpool(): { entries: SpoolEntry[]; unreadable: string[] } {
  const dir = spoolDir();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { entries: [], unreadable: [] };
  }
  const entries: SpoolEntry[] = [];
  const unreadable: string[] = [];
  for (const name of names.sort()) {
    if (!SPOOL_NAME.test(name)) continue;
    const file = path.join(dir, name);
    const entry = readFile(file);
    if (entry) entries.push(withoutSealed(entry, file));
    else unreadable.push(file);
  }
  entries.sort((a, b) => a.spooledAt.localeCompare(b.spooledAt));
  return { entries, unreadable };
}

export function listRecoverySpool(): SpoolEntry[] {
  return scanRecoverySpool().entries;
}

/** The oldest spooled result of an attempt, opened with the vault key. Throws VaultError. */
export function readSpooledResult(attemptId: number): { entry: SpoolEntry; result: PairResult } | null {
  const entry = listRecoverySpool().find((e) => e.attemptId === attemptId);
  if (!entry) return null;
  const raw = readFile(entry.file);
  if (!raw) return null;
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

export function removeSpoolFile(file: string): void {
  fs.rmSync(file, { force: true });
  fsyncDir(path.dirname(file));
}
