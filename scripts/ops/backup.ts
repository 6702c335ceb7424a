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
import { parseArgs } from "node:util";
import { backupDatabase } from "../../lib/ops/backup";
import { formatBytes, formatCounts, OperatorError } from "../../lib/ops/database";
import { commandPaths } from "../../lib/ops/paths";

const USAGE =
  "usage: npm run backup -- --out FILE [--force]\n" +
  "  a consistent copy of the database (DATABASE_PATH), safe while the server runs;\n" +
  "  the recovery spool goes into FILE.recovery/ when it holds anything; --force replaces FILE";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ allowPositionals: false, options: { out: { type: "string" }, force: { type: "boolean", default: false } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    console.error(`Missing --out.\n${USAGE}`);
    return 2;
  }
  const { databasePath, recoveryDir } = commandPaths();
  try {
    const r = await backupDatabase({ databasePath, recoveryDir, out: values.out, force: values.force });
    console.log(`Backed up ${databasePath} to ${r.file}: ${formatBytes(r.bytes)} (${r.bytes.toLocaleString("en-US")} bytes) in ${Math.round(r.ms)} ms.`);
    console.log(`  As of ${r.takenAt.toISOString()} (SQLite online backup: one consistent moment).`);
    console.log(`  Rows: ${formatCounts(r.tables)}.`);
    console.log(
      `  Schema: ${r.migrations.applied} migration${r.migrations.applied === 1 ? "" : "s"}${r.migrations.latestApplied ? ` (latest ${r.migrations.latestApplied})` : ""}.`,
    );
    console.log(
      r.spoolDir
        ? `  Recovery spool: ${r.spoolFiles} file${r.spoolFiles === 1 ? "" : "s"} copied to ${r.spoolDir}/ (pairings waiting to be completed: restore brings them back).`
        : "  Recovery spool: empty, nothing to copy.",
    );
    console.log("  The backup holds the credentials sealed, not VAULT_KEY: keep the key apart from the backups.");
    return 0;
  } catch (err) {
    if (err instanceof OperatorError) {
      console.error(`Backup not made: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
