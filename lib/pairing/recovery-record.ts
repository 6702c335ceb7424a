/**
 * The recovery record: everything needed to complete a pairing that Pay-Connect made but
 * Pairdesk did not commit — the pair result sealed with the vault key (key id, nonce,
 * ciphertext; never plaintext), the attempt id it is bound to, and the non-secret fields the
 * pairing needs (environment, terminal, name, webhook URL and token, creator).
 *
 * The same record is the body of a recovery spool file and, as a last resort when the spool
 * cannot be written, the `recovery` field of a server log line, from which `npm run recover`
 * imports it back into the spool. No `server-only` marker and no getEnv(): the operator command
 * uses this module with the folder it is given.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const recoveryRecordSchema = z.object({
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
  sealed: z.object({ keyId: z.string().min(1), nonce: z.string().min(1), ciphertext: z.string().min(1) }),
});
export type RecoveryRecord = z.infer<typeof recoveryRecordSchema>;

/** The attempt's error code while its credentials are only in the server log. */
export const CREDENTIALS_IN_LOG = "credentials_in_log";

export const RECOVERY_MESSAGE =
  "Pay-Connect paired the terminal, but Pairdesk could not save the pairing. The credentials are held encrypted in the recovery spool: an admin can complete the pairing from the dashboard. Do not pair this terminal again.";

export const MERCHANT_SUSPENDED_RECOVERY_MESSAGE =
  "Pay-Connect paired the terminal, but its merchant was suspended meanwhile, so Pairdesk did not save the pairing into it. The credentials are held encrypted in the recovery spool: reactivate the merchant, then an admin completes the pairing from the dashboard (or unpair the terminal on its own screen). Do not pair this terminal again.";

export const INTERRUPTED_RECOVERY_MESSAGE =
  "Pay-Connect paired the terminal, but Pairdesk stopped before the pairing was saved. The credentials are held encrypted in the recovery spool: an admin can complete the pairing from the dashboard. Do not pair this terminal again.";

export function credentialsInLogMessage(attemptId: number): string {
  return `Pay-Connect paired the terminal, but Pairdesk could neither save the pairing nor write it to the recovery spool. The credentials are sealed in the server log (the pair_spool_failed and pair_unsaved_in_log lines of attempt ${attemptId}): an operator imports them with \`npm run recover -- --from-log <server log file>\`, then an admin completes the pairing from the dashboard. Do not pair this terminal again.`;
}

const SPOOL_NAME = /^attempt-(\d+)(-[0-9a-z]+)?\.json$/;

function fsyncDir(dir: string) {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a record into the spool folder durably: a temporary file written and fsynced, linked to
 * its name (never over another file: a second record for the same attempt id gets its own name),
 * and the folder fsynced. Returns the file.
 */
export function writeSpoolRecord(dir: string, record: RecoveryRecord): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.attempt-${record.attemptId}-${process.pid}-${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(record));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  let file = path.join(dir, `attempt-${record.attemptId}.json`);
  try {
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      file = path.join(dir, `attempt-${record.attemptId}-${Date.now().toString(36)}.json`);
      fs.linkSync(tmp, file);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(dir);
  return file;
}

/** Removes a spool file and makes the removal durable. */
export function removeSpoolRecord(file: string): void {
  fs.rmSync(file, { force: true });
  fsyncDir(path.dirname(file));
}

export function readSpoolRecord(file: string): RecoveryRecord | null {
  try {
    return recoveryRecordSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

/** Every record in the spool folder (oldest first) with its file, and the files it cannot read. */
export function scanSpoolFolder(dir: string): { records: { file: string; record: RecoveryRecord }[]; unreadable: string[] } {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { records: [], unreadable: [] };
  }
  const records: { file: string; record: RecoveryRecord }[] = [];
  const unreadable: string[] = [];
  for (const name of names.sort()) {
    if (!SPOOL_NAME.test(name)) continue;
    const file = path.join(dir, name);
    const record = readSpoolRecord(file);
    if (record) records.push({ file, record });
    else unreadable.push(file);
  }
  records.sort((a, b) => a.record.spooledAt.localeCompare(b.record.spooledAt));
  return { records, unreadable };
}

/**
 * The recovery records in server log text: JSON lines (a line may carry a prefix, such as a
 * container runtime's timestamp) whose `recovery` field is a valid record. The same record
 * logged twice (before and after the failed write) is returned once. A line that names a
 * recovery event but whose record does not parse is reported, so that nothing is skipped silently.
 */
export function recoveryRecordsInLog(text: string): { records: RecoveryRecord[]; damaged: number[] } {
  const records: RecoveryRecord[] = [];
  const damaged: number[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.includes('"recovery"')) return;
    const start = line.indexOf("{");
    if (start < 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(start));
    } catch {
      damaged.push(i + 1);
      return;
    }
    const record = recoveryRecordSchema.safeParse((parsed as { recovery?: unknown })?.recovery);
    if (!record.success) {
      damaged.push(i + 1);
      return;
    }
    const key = `${record.data.attemptId}/${record.data.sealed.ciphertext}`;
    if (seen.has(key)) return;
    seen.add(key);
    records.push(record.data);
  });
  return { records, damaged };
}
