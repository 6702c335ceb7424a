/**
 * Operators' backup command: a consistent copy of the live database, safe while the server runs.
 *
 *   npm run backup -- --out /var/backups/pairdesk/pairdesk-$(date -u +%Y%m%dT%H%M%SZ).db [--force]
 *
 * Uses DATABASE_PATH and RECOVERY_DIR as the server does (defaults: data/pairdesk.db and the
 * `recovery` folder beside it). Copies the recovery spool into `<out>.recovery/` when it holds
 * anything. Refuses to overwrite an existing file unless --force. Needs no VAULT_KEY and never
 * prints it: the copy holds the secrets sealed; keep VAULT_KEY apart from it.
 */
import { isPostgresUrl } from "../../lib/db/engine";
import { POSTGRES_NOT_YET } from "../../lib/ops/paths";
import { parseArgs } from "node:util";
import { backupDatabase } from "../../lib/ops/backup";
import { formatBytes, formatCounts, OperatorError } from "../../lib/ops/database";
import { commandPaths } from "../../lib/ops/paths";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run backup -- --out FILE [--force]\n" +
  "  a consistent copy of the database (DATABASE_PATH), safe while the server runs;\n" +
  "  the recovery spool goes into FILE.recovery/ when it holds anything; --force replaces FILE";

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, allowPositionals: false, options: { out: { type: "string" }, force: { type: "boolean", default: false } } }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    io.err(`Missing --out.\n${USAGE}`);
    return 2;
  }
  if (isPostgresUrl((io.env ?? process.env).DATABASE_URL)) {
    io.err(POSTGRES_NOT_YET);
    return 1;
  }
  const { databasePath, recoveryDir } = commandPaths(io.env ?? process.env);
  try {
    const r = await backupDatabase({ databasePath, recoveryDir, out: values.out, force: values.force });
    io.out(`Backed up ${databasePath} to ${r.file}: ${formatBytes(r.bytes)} (${r.bytes.toLocaleString("en-US")} bytes) in ${Math.round(r.ms)} ms.`);
    io.out(`  As of ${r.takenAt.toISOString()} (SQLite online backup: one consistent moment).`);
    io.out(`  Rows: ${formatCounts(r.tables)}.`);
    io.out(
      `  Schema: ${r.migrations.applied} migration${r.migrations.applied === 1 ? "" : "s"}${r.migrations.latestApplied ? ` (latest ${r.migrations.latestApplied})` : ""}.`,
    );
    io.out(
      r.spoolDir
        ? `  Recovery spool: ${r.spoolFiles} file${r.spoolFiles === 1 ? "" : "s"} copied to ${r.spoolDir}/ (pairings waiting to be completed: restore brings them back).`
        : "  Recovery spool: empty, nothing to copy.",
    );
    io.out("  The backup holds the credentials sealed, not VAULT_KEY: keep the key apart from the backups.");
    return 0;
  } catch (err) {
    if (err instanceof OperatorError) {
      io.err(`Backup not made: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

runIfEntryPoint(import.meta.url, main);
