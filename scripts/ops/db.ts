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
      source = new Database(from, { readonly: true, fileMustExist: true });
      source.pragma("busy_timeout = 5000");
    } catch (err) {
      throw new OperatorError(`${from} cannot be opened: ${(err as Error).message}.`);
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
          `the counts match (${formatCounts(result.tables.filter((t) => t.rows > 0))}), and VAULT_KEY (${keyring.source}) opens the ${result.secrets} copied secret${result.secrets === 1 ? "" : "s"}.`,
      );
      io.out("");
      io.out("Next, for every instance:");
      io.out(`  - set DATABASE_URL=${targetLabel.replace("postgres://", "postgres://<user>:<password>@")} (the URL you copied to);`);
      io.out("  - keep VAULT_KEY and AUTH_SECRET exactly as they are (every instance shares them);");
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

runIfEntryPoint(import.meta.url, main);
