/**
 * The data layer's seam: everything above lib/db/ sees one ASYNCHRONOUS database (`DB`), whichever
 * engine runs it: the SQLite file at DATABASE_PATH (lib/db/sqlite.ts, the embedded default) or
 * Postgres at DATABASE_URL (lib/db/postgres.ts, for several instances). Every read and write
 * returns a Promise, and the queries are written once, typed against SQLite's drizzle
 * (lib/db/schema/kit.ts says how one schema builds both).
 *
 * - **No write outside a transaction.** `DB` has no insert, update or delete (the type refuses
 *   them; SQLite's reader connection is opened read-only): a write is only possible inside
 *   `db.transaction(fn)`, whose `fn` receives the transaction (`Tx`). `tx.transaction` is a
 *   savepoint. On SQLite, transactions run one at a time in the process; on Postgres, each is
 *   SERIALIZABLE and run again when Postgres aborts it for a conflict. Either way a transaction
 *   behaves as if it ran alone, and its body must not wait on anything but the database.
 * - **No read of `db` inside a transaction.** It would not see the transaction's own writes: it
 *   throws. Pass `tx` instead.
 *
 * No `server-only` marker: the operator commands and the tests use it too.
 */
import type Database from "better-sqlite3";
import type { Pool } from "pg";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { isPostgresUrl, type Engine } from "./engine";
import { openPostgres, type PostgresOptions } from "./postgres";
import type { Schema } from "./schema/build";
import { migrateDatabase, MIGRATIONS_FOLDER, openSqlite, sqlitePlan } from "./sqlite";
import type { TransactionBehavior } from "./write-queue";
import { withoutQueryValues } from "./errors";

export { migrateDatabase, MIGRATIONS_FOLDER };

type Drizzle = BetterSQLite3Database<Schema>;
/** What a raw-SQL or engine-specific call on the driver would bypass: not part of DB or Tx. */
type DriverOnly = "$client" | "transaction" | "batch" | "run" | "all" | "get" | "values";

/** An open transaction: reads and writes, in order. `tx.transaction` is a savepoint. */
export type Tx = Omit<Drizzle, DriverOnly> & {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
};

/** The database as the app sees it: reads, and writes through `transaction` only. */
export type DB = Omit<Drizzle, DriverOnly | "insert" | "update" | "delete"> & {
  /** `behavior` is SQLite's BEGIN mode (ignored on Postgres, where every write transaction is serializable). */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { behavior?: TransactionBehavior }): Promise<T>;
  readonly engine: Engine;
  /** Settles once the database is ready (Postgres: its migrations ran); rejects with why not. */
  readonly ready: Promise<void>;
  /** Closes the connections without waiting (operator commands, tests); `end()` waits. */
  close(): void;
  end(): Promise<void>;
  /**
   * The writer's better-sqlite3 handle, for SQLite-only tooling (backup, restore, the vault's
   * rewrap, health's raw checks) and for tests that set up rows the app cannot write. Never
   * use it while a transaction may be open. On Postgres it throws.
   */
  readonly $client: Database.Database;
};

export type OpenOptions = PostgresOptions & {
  migrate?: boolean;
  /** SQLite's busy_timeout. */
  busyTimeoutMs?: number;
};

/** Opens (and, unless told not to, migrates) the database at `target`: a postgres:// URL, or a SQLite file. */
export function openDatabase(target: string, options: OpenOptions = {}): DB {
  return isPostgresUrl(target) ? postgresDb(target, options) : sqliteDb(target, options);
}

/**
 * The engine's own handles, kept on the DB object under a registered symbol rather than in this
 * module: Next bundles a route handler and the instrumentation hook separately, so two copies of
 * this module can see the one DB of the process (lib/db/client.ts keeps it on globalThis).
 */
const HANDLES = Symbol.for("pairdesk.db.handles");
type Handles = { reader?: Database.Database; exitWriter?: Drizzle; pool?: Pool };
const handlesOf = (db: object): Handles => (db as { [HANDLES]?: Handles })[HANDLES] ?? {};

function sqliteDb(file: string, options: OpenOptions): DB {
  const { reader, writer, readerClient, writerClient, queue } = openSqlite(file, options);
  withoutValuesInErrors(reader);
  if (writer !== reader) withoutValuesInErrors(writer);
  refuseReadsInsideTransactions(reader, () => queue.insideTransaction());
  const tx = writer as unknown as Tx;
  Object.defineProperty(tx, "transaction", { value: <T>(fn: (tx: Tx) => Promise<T>) => queue.savepoint(() => fn(tx)) });
  const close = () => {
    if (readerClient !== writerClient) readerClient.close();
    writerClient.close();
  };
  return Object.defineProperties(reader as unknown as DB, {
    transaction: {
      writable: true,
      value: <T>(fn: (tx: Tx) => Promise<T>, opts: { behavior?: TransactionBehavior } = {}) => queue.transaction(() => fn(tx), opts.behavior),
    },
    engine: { value: "sqlite" },
    ready: { value: Promise.resolve() },
    close: { value: close },
    end: { value: async () => close() },
    $client: { value: writerClient },
    [HANDLES]: { value: { reader: readerClient, exitWriter: writer as unknown as Drizzle } satisfies Handles },
  });
}

function postgresDb(url: string, options: OpenOptions): DB {
  const pg = openPostgres(url, { ...options, guard: withoutValuesInErrors });
  withoutValuesInErrors(pg.reader);
  refuseReadsInsideTransactions(pg.reader, pg.insideTransaction);
  let ended: Promise<void> | undefined;
  const end = () => (ended ??= pg.pool.end());
  return Object.defineProperties(pg.reader as unknown as DB, {
    transaction: { writable: true, value: <T>(fn: (tx: Tx) => Promise<T>) => pg.transaction((tx) => fn(tx as unknown as Tx)) },
    engine: { value: "postgres" },
    ready: { value: pg.ready },
    close: { value: () => void end().catch(() => undefined) },
    end: { value: end },
    $client: {
      get() {
        throw new Error("db.$client is SQLite's raw handle: this database is on Postgres.");
      },
    },
    [HANDLES]: { value: { pool: pg.pool } satisfies Handles },
  });
}

/** The reader's better-sqlite3 handle, for the health check's read-only file checks (lib/ops/). */
export function sqliteReader(db: DB): Database.Database {
  return handlesOf(db).reader ?? db.$client;
}

/**
 * A last write from a process "exit" listener, where nothing asynchronous runs any more (a
 * poller giving its lease up): synchronous, on the writer, outside the queue. SQLite only: on
 * Postgres the write is skipped and the lease simply expires.
 */
export function writeAtExit(db: DB, write: (writer: Drizzle) => void): void {
  const writer = handlesOf(db).exitWriter;
  if (writer) write(writer);
}

/**
 * Every query's failure is thrown without its parameters (withoutQueryValues): on both engines,
 * for the reader, the writer and each Postgres transaction (lib/db/postgres.ts calls this too).
 */
function withoutValuesInErrors<D extends object>(drizzleDb: D): D {
  const session = (drizzleDb as unknown as { session: { prepareQuery: (...args: unknown[]) => Record<string, unknown> } }).session;
  const prepareQuery = session.prepareQuery.bind(session);
  session.prepareQuery = (...args: unknown[]) => {
    const query = prepareQuery(...args);
    for (const method of ["execute", "all", "get", "values", "run"]) {
      const original = query[method];
      if (typeof original !== "function") continue;
      query[method] = function (this: unknown, ...a: unknown[]) {
        try {
          const result = (original as (...x: unknown[]) => unknown).apply(this, a);
          return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(withoutQueryValues(err))) : result;
        } catch (err) {
          throw withoutQueryValues(err);
        }
      };
    }
    return query;
  };
  return drizzleDb;
}

/**
 * A read through `db` while this request has a transaction open would not see the
 * transaction's writes: refused, at the moment the statement is prepared.
 */
function refuseReadsInsideTransactions(reader: object, insideTransaction: () => boolean): void {
  const session = (reader as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } }).session;
  const prepareQuery = session.prepareQuery.bind(session);
  session.prepareQuery = (...args: unknown[]) => {
    if (insideTransaction()) {
      throw new Error("A read through `db` inside a transaction would not see the transaction's own writes: read through `tx`.");
    }
    return prepareQuery(...args);
  };
}

/**
 * Runs `fn` inside the caller's transaction when given one, else in a transaction of its own:
 * for a write that is sometimes part of a larger one (ending a user's sessions) and sometimes not.
 */
export function inTransaction<T>(db: DB | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "close" in db ? db.transaction(fn) : fn(db);
}

/**
 * The engine's plan for a query, one indented line a step (SQLite's EXPLAIN QUERY PLAN,
 * Postgres's EXPLAIN), for the benches that show why a list is fast or slow.
 */
export async function explainPlan(db: DB, query: { sql: string; params: unknown[] }): Promise<string[]> {
  const pool = handlesOf(db).pool;
  if (!pool) return sqlitePlan(sqliteReader(db), query);
  const result = await pool.query<{ "QUERY PLAN": string }>(`explain ${query.sql}`, query.params);
  return result.rows.map((r) => `  ${r["QUERY PLAN"]}`);
}

/**
 * Raw SQL for operator tooling and tests (rows the app itself never writes this way), with `?`
 * placeholders on both engines: the rows a select or a `returning` gave back. Booleans and
 * Dates are bound as each engine stores them.
 */
export async function rawQuery<T = Record<string, unknown>>(db: DB, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const pool = handlesOf(db).pool;
  if (pool) {
    let n = 0;
    const values = params.map((v) => (v instanceof Date ? v.getTime() : v));
    return (await pool.query(text.replace(/\?/g, () => `$${++n}`), values)).rows as T[];
  }
  const statement = db.$client.prepare(text);
  const values = params.map((v) => (typeof v === "boolean" ? Number(v) : v instanceof Date ? v.getTime() : v));
  if (statement.reader) return statement.all(...values) as T[];
  statement.run(...values);
  return [];
}
