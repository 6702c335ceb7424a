/**
 * `npm run db -- copy --to postgres://…`: moves this installation's SQLite database (DATABASE_PATH)
 * into an empty Postgres database (lib/ops/copy.ts), checks it, and says what to change.
 * Stop the server first: rows written during the copy would not be in it.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { describeDatabase } from "../../lib/db/describe";
import { isPostgresUrl } from "../../lib/db/engine";
import { copySqliteToPostgres } from "../../lib/ops/copy";
import { formatCounts, OperatorError } from "../../lib/ops/database";
import { commandVaultKeys } from "../../lib/ops/keyring";
import { commandPaths } from "../../lib/ops/paths";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run db -- copy --to postgres://user:password@host:5432/database [--from path/to/pairdesk.db]\n" +
  "  copies the SQLite database (DATABASE_PATH by default) into an empty Postgres database, then checks it";

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { to: { type: "string" }, from: { type: "string" } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.positionals[0] !== "copy" || args.positionals.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const to = args.values.to;
  if (!to || !isPostgresUrl(to)) {
    io.err(`--to must be a postgres:// (or postgresql://) URL.\n${USAGE}`);
    return 2;
  }
  const env = io.env ?? process.env;
  const from = args.values.from ?? commandPaths(env).databasePath;
  const targetLabel = describeDatabase({ databaseUrl: to, databasePath: "" });
  try {
    if (!fs.existsSync(from)) throw new OperatorError(`No SQLite database at ${from}: set DATABASE_PATH (or --from) to the installation's file.`);
    const keyring = commandVaultKeys(from, env);
    let source: Database.Database;
    try {
      source = new Database(from, { fileMustExist: true, timeout: 0 });
    } catch (err) {
      throw new OperatorError(`${from} cannot be opened: ${(err as Error).message}.`);
    }
    // SQLite's exclusive lock for the whole copy: refused while a server (or a command) has the
    // file open, so that nothing is written to it after the copy read it.
    try {
      source.pragma("locking_mode = EXCLUSIVE");
      source.exec("BEGIN EXCLUSIVE");
      source.exec("COMMIT");
    } catch (err) {
      source.close();
      if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
        throw new OperatorError(`${from} is in use by another process — a running Pairdesk server, or a command such as npm run backup. Stop the server first, then copy: what it wrote after the copy would not be in Postgres.`);
      }
      throw new OperatorError(`${from} cannot be locked for the copy: ${(err as Error).message}.`);
    }
    try {
      io.out(`Copying ${from} into ${targetLabel}…`);
      const result = await copySqliteToPostgres({
        source,
        sourceLabel: from,
        targetUrl: to,
        targetLabel,
        keys: keyring.keys,
        onTable: (table, rows) => io.out(`  ${table.padEnd(24)} ${rows.toLocaleString("en-US").padStart(10)}`),
      });
      io.out(
        `Copied ${result.rows.toLocaleString("en-US")} rows in ${result.tables.length} tables in ${(result.ms / 1000).toFixed(1)} s; ` +
          `the counts match (${formatCounts(result.tables.filter((t) => t.rows > 0))}), and the vault key (${keyring.source}) opens the ${result.secrets} copied secret${result.secrets === 1 ? "" : "s"}.`,
      );
      io.out("");
      io.out("Next, for every instance:");
      io.out(`  - set DATABASE_URL=${withoutPassword(to)} (with the password: the URL you copied to);`);
      io.out(
        keyring.source === "VAULT_KEY"
          ? "  - keep VAULT_KEY and AUTH_SECRET exactly as they are (every instance shares them);"
          : `  - set VAULT_KEY and AUTH_SECRET to this installation's, from ${keyring.source.replace(/^the VAULT_KEY generated into /, "")} (every instance shares them; an instance on Postgres generates none);`,
      );
      io.out("  - keep PUBLIC_URL the address Pay-Connect already sends webhooks to: each pairing's webhook URL was made from it (a new address means pairing the terminals again, or forwarding the old one);");
      io.out("  - keep DATABASE_PATH's folder (or set RECOVERY_DIR) on a persistent volume: the recovery spool stays on disk;");
      io.out(`  - start Pairdesk, check /api/health, and keep ${from} as a backup until you are sure.`);
      return 0;
    } finally {
      source.close();
    }
  } catch (err) {
    if (err instanceof OperatorError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

/** The URL as typed, its password replaced: user, host, port and database stay readable. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "<password>";
    return u.toString().replace("%3Cpassword%3E", "<password>");
  } catch {
    return "postgres://…";
  }
}

runIfEntryPoint(import.meta.url, main);
