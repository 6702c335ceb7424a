/**
 * The recovery spool: when Pay-Connect answered 200 but the database write failed, the pair
 * result is sealed with the vault key and written to a file (flushed to disk) so that the
 * one-time credentials are not lost. An admin completes it from the dashboard.
 *
 * A spool file holds the sealed result and a few non-secret fields to show on the dashboard.
 */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Environment } from "../db/schema";
import { getEnv } from "../env";
import type { PairResult } from "../pay-connect";
import { open, seal, secretContext } from "../vault";

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
export type SpoolEntry = Omit<z.infer<typeof spoolSchema>, "sealed"> & { file: string };

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

function spoolFile(attemptId: number): string {
  return path.join(spoolDir(), `attempt-${attemptId}.json`);
}

function context(attemptId: number): string {
  return secretContext("recovery", attemptId, "pair_result");
}

/** Seals the result and writes it durably (file and folder fsynced). Throws if it cannot. */
export function writeSpool(input: SpoolInput): string {
  const dir = spoolDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sealed = seal(JSON.stringify(input.result), context(input.attemptId));
  const body: z.infer<typeof spoolSchema> = {
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
  const file = spoolFile(input.attemptId);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(body));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return file;
}

function withoutSealed(entry: z.infer<typeof spoolSchema>): Omit<SpoolEntry, "file"> {
  const copy: Partial<z.infer<typeof spoolSchema>> = { ...entry };
  delete copy.sealed;
  return copy as Omit<SpoolEntry, "file">;
}

function readEntry(file: string): z.infer<typeof spoolSchema> | null {
  try {
    return spoolSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

/** Everything waiting in the spool, oldest first (non-secret fields only). */
export function listRecoverySpool(): SpoolEntry[] {
  const dir = spoolDir();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: SpoolEntry[] = [];
  for (const name of names) {
    if (!/^attempt-\d+\.json$/.test(name)) continue;
    const file = path.join(dir, name);
    const entry = readEntry(file);
    if (!entry) continue;
    out.push({ ...withoutSealed(entry), file });
  }
  return out.sort((a, b) => a.spooledAt.localeCompare(b.spooledAt));
}

export function readSpooledResult(attemptId: number): { entry: SpoolEntry; result: PairResult } | null {
  const file = spoolFile(attemptId);
  const entry = readEntry(file);
  if (!entry) return null;
  const plaintext = open(
    {
      keyId: entry.sealed.keyId,
      nonce: Buffer.from(entry.sealed.nonce, "base64"),
      ciphertext: Buffer.from(entry.sealed.ciphertext, "base64"),
    },
    context(attemptId),
  );
  return { entry: { ...withoutSealed(entry), file }, result: JSON.parse(plaintext) as PairResult };
}

export function removeSpool(attemptId: number): void {
  fs.rmSync(spoolFile(attemptId), { force: true });
}
