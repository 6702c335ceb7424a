/**
 * The data layer's engine: how Pairdesk talks to its SQLite file. Everything above lib/db/ sees
 * an ASYNCHRONOUS database (`DB`): every read and write returns a Promise, so that the Postgres
 * engine (a pool, a network round trip per statement) plugs in here without touching a query.
 *
 * On SQLite (better-sqlite3, a synchronous driver) the design is:
 * - **Two connections.** A reader for every read outside a transaction (WAL: it sees what was
 *   committed, never another request's open write) and a writer for every write.
 * - **Writes in order, one at a time.** A write is only possible inside `db.transaction(fn)`;
 *   `fn` receives the transaction (`Tx`, the writer) and may await between statements. An
 *   in-process queue runs one transaction at a time, so no other request's statement can land
 *   in the middle of an open transaction on the shared writer (lib/db/write-queue.ts).
 * - **No write outside a transaction, no read of `db` inside one.** `DB` has no insert, update
 *   or delete (the type refuses them; the reader connection is opened read-only), and a read
 *   through `db` while the same request has a transaction open throws: it would not see the
 *   transaction's own writes. Pass `tx` instead.
 * - Another process on the same file (an operator command, a second server) is held off by
 *   SQLite's own locks: `behavior: "immediate"` takes the write lock at BEGIN.
 *
 * `:memory:` databases (unit tests) have one connection for both roles: two connections to
 * `:memory:` would be two databases.
 *
 * No `server-only` marker: the operator commands and the tests use it too.
 */
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";
import { WriteQueue, type TransactionBehavior } from "./write-queue";

type Drizzle = BetterSQLite3Database<typeof schema>;
/** What a raw-SQL or engine-specific call on the driver would bypass: not part of DB or Tx. */
type DriverOnly = "$client" | "transaction" | "batch" | "run" | "all" | "get" | "values";

/** An open transaction: reads and writes, in order, on the writer. `tx.transaction` is a savepoint. */
export type Tx = Omit<Drizzle, DriverOnly> & {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
};

/** The database as the app sees it: reads, and writes through `transaction` only. */
export type DB = Omit<Drizzle, DriverOnly | "insert" | "update" | "delete"> & {
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { behavior?: TransactionBehavior }): Promise<T>;
  /** Closes both connections (operator commands, tests). */
  close(): void;
  /**
   * The writer's better-sqlite3 handle, for SQLite-only tooling (backup, restore, the vault's
   * rewrap, health's raw checks) and for tests that set up rows the app cannot write. Never
   * use it while a transaction may be open.
   */
  readonly $client: Database.Database;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** SQLite's busy_timeout unless told otherwise (DATABASE_BUSY_TIMEOUT_MS for the server). */
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

function connect(file: string, busyTimeoutMs: number, readonly: boolean): Database.Database {
  const sqlite = new Database(file, { readonly });
  if (!readonly) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // FULL: a pairing whose commit returned must survive a power cut (its credentials exist nowhere else).
  sqlite.pragma("synchronous = FULL");
  return sqlite;
}

export function openDatabase(file: string, options: { migrate?: boolean; busyTimeoutMs?: number } = {}): DB {
  const memory = file === ":memory:";
  if (!memory) fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const writerClient = connect(file, busyTimeoutMs, false);
  if (!memory) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        fs.chmodSync(f, 0o600);
      } catch {
        // the -wal/-shm files may not exist yet
      }
    }
  }
  const writer = drizzle(writerClient, { schema });
  if (options.migrate !== false) migrateDatabase(writerClient, writer);
  const readerClient = memory ? writerClient : connect(file, busyTimeoutMs, true);
  const reader = drizzle(readerClient, { schema });
  const queue = new WriteQueue(writerClient, file);
  refuseReadsInsideTransactions(reader, queue);

  writers.set(reader, writer);
  readers.set(reader, readerClient);
  const tx = writer as unknown as Tx;
  Object.defineProperty(tx, "transaction", { value: <T>(fn: (tx: Tx) => Promise<T>) => queue.savepoint(() => fn(tx)) });
  const db = reader as unknown as DB;
  Object.defineProperties(db, {
    transaction: {
      writable: true,
      value: <T>(fn: (tx: Tx) => Promise<T>, opts: { behavior?: TransactionBehavior } = {}) => queue.transaction(() => fn(tx), opts.behavior),
    },
    close: {
      value: () => {
        if (readerClient !== writerClient) readerClient.close();
        writerClient.close();
      },
    },
    $client: { value: writerClient },
  });
  return db;
}

const writers = new WeakMap<object, Drizzle>();
const readers = new WeakMap<object, Database.Database>();

/** The reader's better-sqlite3 handle, for the health check's read-only file checks (lib/ops/). */
export function sqliteReader(db: DB): Database.Database {
  return readers.get(db) ?? db.$client;
}

/**
 * A last write from a process "exit" listener, where nothing asynchronous runs any more (a
 * poller giving its lease up): synchronous, on the writer, outside the queue. SQLite only: on an
 * engine without a synchronous driver the write is skipped and a lease simply expires.
 */
export function writeAtExit(db: DB, write: (writer: Drizzle) => void): void {
  const writer = writers.get(db);
  if (writer) write(writer);
}

/**
 * A read through `db` (the reader) while this request has a transaction open would not see the
 * transaction's writes: refused, at the moment the statement is prepared.
 */
function refuseReadsInsideTransactions(reader: Drizzle, queue: WriteQueue): void {
  const session = (reader as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } }).session;
  const prepareQuery = session.prepareQuery.bind(session);
  session.prepareQuery = (...args: unknown[]) => {
    if (queue.insideTransaction()) {
      throw new Error("A read through `db` inside a transaction would not see the transaction's own writes: read through `tx`.");
    }
    return prepareQuery(...args);
  };
}

/**
 * Applies the pending migrations with foreign keys off, as SQLite's table-rebuild procedure
 * requires (PRAGMA foreign_keys is a no-op inside the migrator's transaction, and a DROP TABLE
 * with foreign keys on would cascade-delete dependent rows, such as the vault's), then checks
 * every foreign key and turns enforcement back on. A violation stops the start.
 */
export function migrateDatabase(sqlite: Database.Database, db: Drizzle = drizzle(sqlite, { schema })): void {
  sqlite.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const violations = sqlite.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
    if (violations.length > 0) {
      const first = violations[0]!;
      throw new Error(
        `The database has ${violations.length} broken reference(s) after its migrations (first: ${first.table} row ${first.rowid} → ${first.parent}).`,
      );
    }
  } finally {
    sqlite.pragma("foreign_keys = ON");
  }
}

/**
 * Runs `fn` inside the caller's transaction when given one, else in a transaction of its own:
 * for a write that is sometimes part of a larger one (ending a user's sessions) and sometimes not.
 */
export function inTransaction<T>(db: DB | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "close" in db ? db.transaction(fn) : fn(db);
}

/**
 * The engine's plan for a query, one indented line a step (SQLite's EXPLAIN QUERY PLAN), for
 * the benches that show why a list is fast or slow. Read on the reader.
 */
export async function explainPlan(db: DB, query: { sql: string; params: unknown[] }): Promise<string[]> {
  const steps = sqliteReader(db)
    .prepare(`explain query plan ${query.sql}`)
    .all(...query.params) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return steps.map((step) => {
    const d = (depth.get(step.parent) ?? 0) + 1;
    depth.set(step.id, d);
    return `${"  ".repeat(d)}${step.detail}`;
  });
}
