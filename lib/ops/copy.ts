/**
 * `npm run db -- copy --to postgres://…`: moves an installation from its SQLite file to an empty
 * Postgres database. Every table is copied row for row, ids kept; the vault's rows stay sealed
 * (nothing is decrypted: no key is needed to copy, only to check). Then:
 * - each table's identity sequence is moved past the copied ids;
 * - the row counts of both databases are compared, table by table;
 * - the configured VAULT_KEY must open the copied secrets, as it opened the source's.
 *
 * One Postgres transaction: a copy that fails leaves the target as it was (empty). The rules'
 * triggers are off for the copy (the rows were checked when they were written, and a historical
 * row, such as an archived register in an archived location, would not pass a check meant for a
 * new one); foreign keys stay on, so a reference that points nowhere stops the copy. Columns
 * that point at a table copied later (or at their own table) are filled in a second pass.
 */
import type Database from "better-sqlite3";
import { getTableConfig as pgTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { openDatabase, rawQuery } from "../db/open";
import { postgresSchema } from "../db/schema/postgres";
import { sqliteSchema } from "../db/schema/sqlite";
import type { VaultKey } from "../env";
import { migrationState, OperatorError } from "./database";
import { checkSecretsOpen, describeUnopened } from "./secrets";
import { databaseSql, sqliteSql } from "./sql";

type Row = Record<string, unknown>;

export type CopyResult = {
  tables: { table: string; rows: number }[];
  rows: number;
  secrets: number;
  ms: number;
};

type TablePlan = {
  name: string;
  columns: string[];
  booleans: Set<string>;
  /** Foreign-key columns filled after every insert (they point at a table copied later, or forward in their own). */
  later: string[];
  /** Of those, the ones that point at their own table: kept at insert when they point at an earlier row. */
  self: Set<string>;
};

/** The tables in an order where every NOT NULL reference points at a table copied before. */
function plan(): TablePlan[] {
  const tables = Object.values(postgresSchema) as unknown as PgTable[];
  const configs = new Map(tables.map((t) => [pgTableConfig(t).name, pgTableConfig(t)]));
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`The schema's required references loop through ${name}.`);
    visiting.add(name);
    const config = configs.get(name)!;
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const target = pgTableConfig(ref.foreignTable).name;
      if (target !== name && ref.columns.some((c) => c.notNull)) visit(target);
    }
    visiting.delete(name);
    order.push(name);
  };
  for (const name of [...configs.keys()].sort()) visit(name);
  return order.map((name, index) => {
    const config = configs.get(name)!;
    const refs = config.foreignKeys.map((fk) => fk.reference());
    const later = refs.filter((ref) => order.indexOf(pgTableConfig(ref.foreignTable).name) >= index).flatMap((ref) => ref.columns.map((c) => c.name));
    const self = refs.filter((ref) => pgTableConfig(ref.foreignTable).name === name).flatMap((ref) => ref.columns.map((c) => c.name));
    return {
      name,
      columns: config.columns.map((c) => c.name),
      booleans: new Set(config.columns.filter((c) => c.columnType === "PgBoolean").map((c) => c.name)),
      later,
      self: new Set(self),
    };
  });
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Refuses a target that holds anything: a copy never merges into an installation. */
async function refuseNonEmpty(client: pg.Client, label: string): Promise<void> {
  const tables = await client.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  for (const { name } of tables.rows) {
    const { rows } = await client.query(`select 1 from ${quote(name)} limit 1`);
    if (rows.length > 0) {
      throw new OperatorError(`${label} is not empty (its table ${name} has rows): copy into a new, empty database (createdb), never over an installation.`);
    }
  }
}

export async function copySqliteToPostgres(options: {
  source: Database.Database;
  sourceLabel: string;
  targetUrl: string;
  targetLabel: string;
  keys: VaultKey[];
  /** A batch's rows (each insert is one statement). */
  batchRows?: number;
  onTable?: (table: string, rows: number) => void;
}): Promise<CopyResult> {
  const started = Date.now();
  const source = sqliteSql(options.source);
  const state = await migrationState(source);
  if (state.unknown > 0) {
    throw new OperatorError(`${options.sourceLabel} was written by a newer Pairdesk (${state.unknown} migration(s) this code does not know): copy it with that version.`);
  }
  if (state.pending.length > 0) {
    throw new OperatorError(
      `${options.sourceLabel} lacks ${state.pending.length} migration(s) of this version (${state.pending.map((m) => m.tag).join(", ")}): start Pairdesk on it once (it migrates at start), stop it, then copy.`,
    );
  }
  const sourceVault = await checkSecretsOpen(source, options.keys);
  if (sourceVault.missing.length + sourceVault.wrongKey.length > 0) {
    throw new OperatorError(
      `VAULT_KEY does not open the secrets of ${options.sourceLabel} (${describeUnopened(sourceVault)}): run the copy with the server's VAULT_KEY, or the copied secrets could not be checked.`,
    );
  }

  const probe = new pg.Client({ connectionString: options.targetUrl });
  try {
    await probe.connect();
  } catch (err) {
    throw new OperatorError(`${options.targetLabel} cannot be reached: ${(err as Error).message}.`);
  }
  try {
    await refuseNonEmpty(probe, options.targetLabel);
  } finally {
    await probe.end();
  }

  // The target's schema, by this version's migrations (an empty database gets them all).
  const target = openDatabase(options.targetUrl);
  try {
    await target.ready;
  } catch (err) {
    await target.end();
    throw new OperatorError(`${options.targetLabel} could not be migrated: ${(err as Error).message}.`);
  }
  await target.end();

  const tables = plan();
  const sqliteNames = new Set((Object.values(sqliteSchema) as unknown as SQLiteTable[]).map((t) => sqliteTableConfig(t).name));
  for (const t of tables) if (!sqliteNames.has(t.name)) throw new Error(`The two engines' schemas differ: ${t.name} is not SQLite's.`);

  const client = new pg.Client({ connectionString: options.targetUrl });
  await client.connect();
  const copied: CopyResult["tables"] = [];
  try {
    await client.query("begin");
    await refuseNonEmpty(client, options.targetLabel);
    for (const t of tables) await client.query(`alter table ${quote(t.name)} disable trigger user`);
    for (const t of tables) {
      const batch = Math.max(1, Math.min(options.batchRows ?? 500, Math.floor(60_000 / t.columns.length)));
      // Keyset batches by SQLite's rowid: a million rows read in order without OFFSET's rescans.
      const read = options.source.prepare(
        `select rowid as "__rowid", ${t.columns.map(quote).join(", ")} from ${quote(t.name)} where rowid > ? order by rowid limit ?`,
      );
      let count = 0;
      for (let after = Number.MIN_SAFE_INTEGER; ; ) {
        const rows = read.all(after, batch) as Row[];
        if (rows.length === 0) break;
        after = Number(rows.at(-1)!.__rowid);
        const values: unknown[] = [];
        const tuples = rows.map((row) => {
          const placeholders = t.columns.map((c) => {
            let v = row[c];
            // Rows go in id order: a reference to an earlier row of the same table can stay (a
            // virtual register's parent, which a check requires); a forward one waits.
            if (t.self.has(c) && v !== null && Number(v) < Number(row.id)) v = row[c];
            else if (t.later.includes(c)) v = null;
            else if (t.booleans.has(c) && v !== null) v = Boolean(v);
            values.push(v);
            return `$${values.length}`;
          });
          return `(${placeholders.join(", ")})`;
        });
        await client.query(`insert into ${quote(t.name)} (${t.columns.map(quote).join(", ")}) values ${tuples.join(", ")}`, values);
        count += rows.length;
      }
      copied.push({ table: t.name, rows: count });
      options.onTable?.(t.name, count);
    }
    // The references to later tables (and to their own), now that every row exists.
    for (const t of tables.filter((x) => x.later.length > 0)) {
      const key = t.columns.includes("id") ? "id" : null;
      if (!key) throw new Error(`${t.name} has references filled later but no id to find its rows by.`);
      const rows = options.source
        .prepare(`select id, ${t.later.map(quote).join(", ")} from ${quote(t.name)} where ${t.later.map((c) => `${quote(c)} is not null`).join(" or ")}`)
        .all() as Row[];
      for (const row of rows) {
        const sets = t.later.map((c, i) => `${quote(c)} = $${i + 2}`).join(", ");
        await client.query(`update ${quote(t.name)} set ${sets} where id = $1`, [row.id, ...t.later.map((c) => row[c])]);
      }
    }
    for (const t of tables) await client.query(`alter table ${quote(t.name)} enable trigger user`);
    // Identity sequences past the copied ids: the next row gets max(id) + 1.
    for (const t of tables.filter((x) => x.columns.includes("id"))) {
      const { rows } = await client.query<{ seq: string | null }>("select pg_get_serial_sequence($1, 'id') as seq", [quote(t.name)]);
      const seq = rows[0]?.seq;
      if (!seq) continue;
      await client.query(`select setval($1, coalesce((select max(id) from ${quote(t.name)}), 0) + 1, false)`, [seq]);
    }
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    if (err instanceof OperatorError) throw err;
    throw new OperatorError(`The copy stopped and nothing was written to ${options.targetLabel}: ${(err as Error).message}`);
  } finally {
    await client.end();
  }

  // Checks, on what Postgres now holds.
  const check = openDatabase(options.targetUrl, { migrate: false });
  try {
    for (const { table, rows } of copied) {
      const [source] = await sqliteSql(options.source).all<{ n: number }>(`select count(*) as n from ${quote(table)}`);
      const [target] = await rawQuery<{ n: number }>(check, `select count(*) as n from ${quote(table)}`);
      if (Number(source?.n) !== rows || Number(target?.n) !== rows) {
        throw new OperatorError(`${table}: ${Number(source?.n)} rows in ${options.sourceLabel}, ${Number(target?.n)} in ${options.targetLabel} after the copy.`);
      }
    }
    const vault = await checkSecretsOpen(databaseSql(check), options.keys);
    if (vault.total !== sourceVault.total || vault.missing.length + vault.wrongKey.length > 0 || (vault.total > 0 && vault.opened.length === 0)) {
      throw new OperatorError(`The copied secrets do not open with VAULT_KEY (${describeUnopened(vault) || "none opened"}): do not switch to ${options.targetLabel}.`);
    }
    return { tables: copied, rows: copied.reduce((n, t) => n + t.rows, 0), secrets: vault.total, ms: Date.now() - started };
  } finally {
    await check.end();
  }
}
