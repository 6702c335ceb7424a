/**
 * Operators' recovery command, for the last resort: Pay-Connect paired a terminal, Pairdesk
 * could not save the pairing, and the recovery spool could not be written either, so the sealed
 * credentials are only in a server log line (event pair_spool_failed / pair_unsaved_in_log).
 *
 *   npm run recover -- --from-log <log file>     every recovery record in a server log
 *   npm run recover -- --from-log -              the same, from standard input (a whole log or one pasted line)
 *   npm run recover -- --line '<one log line>'   a single pasted line
 *
 * Each record is written into the recovery spool (RECOVERY_DIR, default `<folder of
 * DATABASE_PATH>/recovery`) exactly as it was logged: still sealed, so the command needs no
 * VAULT_KEY and never sees a secret. An admin then completes the pairing from the dashboard
 * (with the VAULT_KEY that sealed it). A record whose pairing is already saved, or that is
 * already in the spool, is skipped. Running it twice is harmless.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { commandPaths } from "../../lib/ops/paths";
import {
  CREDENTIALS_IN_LOG,
  RECOVERY_MESSAGE,
  recoveryRecordsInLog,
  scanSpoolFolder,
  writeSpoolRecord,
  type RecoveryRecord,
} from "../../lib/pairing/recovery-record";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run recover -- --from-log <server log file | ->\n" +
  "       npm run recover -- --line '<one server log line>'\n" +
  "  imports the sealed pairing results that the server could only log (event pair_spool_failed)\n" +
  "  into the recovery spool; then complete each pairing from the dashboard";

async function readInput(source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source !== "-") return fs.readFileSync(source, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The database, if there is one: to skip what is already saved and to point the attempt at the spool. */
function openExisting(io: CommandIO, file: string): Database.Database | null {
  if (!fs.existsSync(file)) {
    io.err(`No database at ${file}: importing without checking what is already saved.`);
    return null;
  }
  try {
    const db = new Database(file, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    return db;
  } catch (err) {
    io.err(`Cannot open the database ${file} (${(err as Error).message}): importing without checking what is already saved.`);
    return null;
  }
}

function savedPairing(db: Database.Database, r: RecoveryRecord): number | null {
  const row = db
    .prepare(
      `select p.id from pairings p join terminals t on t.id = p.terminal_ref
       where p.attempt_id = ? and t.environment = ? and t.terminal_id = ?`,
    )
    .get(r.attemptId, r.environment, r.terminalId) as { id: number } | undefined;
  return row?.id ?? null;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: { "from-log": { type: "string" }, line: { type: "string" } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { "from-log": fromLog, line } = parsed.values;
  if ((fromLog === undefined) === (line === undefined)) {
    io.err(`Give either --from-log or --line.\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = line ?? (await readInput(fromLog!, io.stdin ?? process.stdin));
  } catch (err) {
    io.err(`Cannot read ${fromLog}: ${(err as Error).message}`);
    return 1;
  }

  const { records, damaged } = recoveryRecordsInLog(text);
  for (const n of damaged) {
    io.err(`Line ${n} carries a recovery record that cannot be read (cut off or altered?): check it by hand.`);
  }
  if (records.length === 0) {
    io.err(
      damaged.length > 0
        ? "No readable recovery record found."
        : "No recovery record found: look for log lines with \"event\":\"pair_spool_failed\" or \"pair_unsaved_in_log\".",
    );
    return 1;
  }

  const { databasePath, recoveryDir: spoolDir } = commandPaths(io.env ?? process.env);
  const db = openExisting(io, databasePath);
  let failed = damaged.length > 0;
  try {
    const inSpool = scanSpoolFolder(spoolDir).records;
    for (const r of records) {
      const what = `Attempt ${r.attemptId} (${r.environment} terminal ${r.terminalId}, "${r.pairingName}")`;
      const pairingId = db ? savedPairing(db, r) : null;
      if (pairingId !== null) {
        io.out(`${what}: already saved as pairing #${pairingId}; nothing to import.`);
        continue;
      }
      if (inSpool.some((s) => s.record.attemptId === r.attemptId && s.record.sealed.ciphertext === r.sealed.ciphertext)) {
        io.out(`${what}: already in the recovery spool; complete it from the dashboard.`);
        continue;
      }
      let file: string;
      try {
        file = writeSpoolRecord(spoolDir, { ...r, failure: `imported from the server log: ${r.failure}` });
      } catch (err) {
        io.err(`${what}: cannot write to the recovery spool ${spoolDir}: ${(err as Error).message}`);
        failed = true;
        continue;
      }
      io.out(`${what}: imported into the recovery spool as ${file}. An admin completes it from the dashboard.`);
      if (db) {
        try {
          const attempt = db.prepare("select status from pairing_attempts where id = ?").get(r.attemptId) as
            | { status: string }
            | undefined;
          if (!attempt) {
            io.err(`  Attempt ${r.attemptId} is not in the database (restored from an older backup?): the dashboard lists the spool file, but completing it needs the attempt.`);
          } else {
            // The attempt now says where its credentials are (a pending one is settled at the next start).
            db.prepare(
              "update pairing_attempts set error_code = 'write_failed', reason = ? where id = ? and status = 'needs_recovery' and error_code = ?",
            ).run(RECOVERY_MESSAGE, r.attemptId, CREDENTIALS_IN_LOG);
          }
        } catch (err) {
          io.err(`  Could not update attempt ${r.attemptId} in the database (${(err as Error).message}); the spool file is what counts.`);
        }
      }
    }
  } finally {
    db?.close();
  }
  return failed ? 1 : 0;
}

runIfEntryPoint(import.meta.url, main);
