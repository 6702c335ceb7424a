/**
 * Operators' restore command:
 *
 *   npm run restore -- --from FILE [--check]
 *
 * Puts the backup FILE (made by `npm run backup`) in place of the database (DATABASE_PATH), with
 * the server stopped. Refuses while any process has the database open (SQLite's locks: see
 * lib/ops/restore.ts), a file that is not a Pairdesk database or is damaged, a database written
 * by a newer Pairdesk, and a VAULT_KEY that opens none of its secrets (it names the key ids the
 * backup needs). Keeps the replaced database beside it as `<db>.replaced-<UTC time>`, applies
 * the migrations an older backup lacks, and adds FILE.recovery/'s records to the recovery spool.
 * --check only checks FILE (and the key) and changes nothing.
 */
import { isPostgresUrl } from "../../lib/db/engine";
import { POSTGRES_NOT_YET } from "../../lib/ops/paths";
import { parseArgs } from "node:util";
import { formatCounts, OperatorError } from "../../lib/ops/database";
import { commandPaths } from "../../lib/ops/paths";
import { commandVaultKeys, describeKeyring } from "../../lib/ops/keyring";
import { restoreDatabase, unreadableBackupSpool } from "../../lib/ops/restore";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run restore -- --from FILE [--check]\n" +
  "  replaces the database (DATABASE_PATH) with the backup FILE; stop the server first;\n" +
  "  needs the VAULT_KEY that sealed the backup's secrets; --check only checks FILE";

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, allowPositionals: false, options: { from: { type: "string" }, check: { type: "boolean", default: false } } }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.from) {
    io.err(`Missing --from.\n${USAGE}`);
    return 2;
  }
  const env = io.env ?? process.env;
  if (isPostgresUrl(env.DATABASE_URL)) {
    io.err(POSTGRES_NOT_YET);
    return 1;
  }
  const { databasePath, recoveryDir } = commandPaths(env);
  try {
    const keyring = commandVaultKeys(databasePath, env);
    const r = await restoreDatabase({ from: values.from, databasePath, recoveryDir, keys: keyring.keys, checkOnly: values.check });
    const { inspection: i } = r;
    io.out(
      r.restored ? `Restored ${values.from} into ${databasePath} in ${Math.round(r.ms)} ms.` : `${values.from} can be restored (checked only; nothing changed).`,
    );
    io.out(`  Rows: ${formatCounts(i.tables)}.`);
    io.out(
      `  Schema: ${i.migrations.applied} of this version's ${i.migrations.known} migrations${
        i.migrations.pending.length > 0 ? `; ${r.restored ? "applied" : "a restore applies"} the other ${i.migrations.pending.length}` : ""
      }.`,
    );
    io.out(`  Vault: keyring ${describeKeyring(keyring.keys)} from ${keyring.source}.`);
    if (i.vault.total === 0) io.out("  The backup holds no secrets.");
    for (const k of i.vault.byKey) {
      const state = i.vault.opened.includes(k.keyId)
        ? "open with VAULT_KEY"
        : i.vault.missing.includes(k.keyId)
          ? `CANNOT be read: ${k.keyId} is not in VAULT_KEY (add it to the keyring)`
          : `CANNOT be read: VAULT_KEY's ${k.keyId} is not the key that sealed them`;
      io.out(`  ${k.count} secret${k.count === 1 ? "" : "s"} sealed with ${k.keyId}: ${state}.`);
    }
    if (r.keptAs) io.out(`  The replaced database is kept as ${r.keptAs}.`);
    if (i.spool.dir) {
      io.out(
        r.restored
          ? `  Recovery spool: ${r.spoolImported} record${r.spoolImported === 1 ? "" : "s"} added to ${recoveryDir}${r.spoolAlreadyThere ? ` (${r.spoolAlreadyThere} already there)` : ""}; an admin completes them from the dashboard.`
          : `  Recovery spool: ${i.spool.records} record${i.spool.records === 1 ? "" : "s"} in ${i.spool.dir}.`,
      );
      for (const f of unreadableBackupSpool(values.from)) io.err(`  Cannot read the spool file ${f}: left where it is; check it by hand.`);
    }
    if (r.restored) io.out("  Start the server now; /api/health says whether everything opens.");
    return 0;
  } catch (err) {
    if (err instanceof OperatorError) {
      io.err(`Restore refused, nothing was changed: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

runIfEntryPoint(import.meta.url, main);
