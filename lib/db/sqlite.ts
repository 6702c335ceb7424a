/**
 * The SQLite engine (the embedded default, DATABASE_PATH): how Pairdesk talks to its SQLite file.
 *
 * - **Two connections.** A reader for every read outside a transaction (WAL: it sees what was
 *   committed, never another request's open write) and a writer for every write.
 * - **Writes in order, one at a time.** A write is only possible inside `db.transaction(fn)`;
 *   `fn` receives the transaction (`Tx`, the writer) and may await between statements. An
 *   in-process queue runs one transaction at a time, so no other request's statement can land
 *   in the middle of an open transaction on the shared writer (lib/db/write-queue.ts).
 * - Another process on the same file (an operator command, a second server) is held off by
 *   SQLite's own locks: `behavior: "immediate"` takes the write lock at BEGIN.
 *
 * `:memory:` databases (unit tests) have one connection for both roles: two connections to
 * `:memory:` would be two databases.
 */
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import { sqliteSchema } from "./schema/sqlite";
import { WriteQueue } from "./write-queue";

type Drizzle = BetterSQLite3Database<typeof sqliteSchema>;

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

export type SqliteHandles = {
  reader: Drizzle;
  writer: Drizzle;
  readerClient: Database.Database;
  writerClient: Database.Database;
  queue: WriteQueue;
};

export function openSqlite(file: string, options: { migrate?: boolean; busyTimeoutMs?: number } = {}): SqliteHandles {
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
  const writer = drizzle(writerClient, { schema: sqliteSchema });
  if (options.migrate !== false) migrateDatabase(writerClient, writer);
  const readerClient = memory ? writerClient : connect(file, busyTimeoutMs, true);
  const reader = drizzle(readerClient, { schema: sqliteSchema });
  return { reader, writer, readerClient, writerClient, queue: new WriteQueue(writerClient, file) };
}

/**
 * Applies the pending migrations with foreign keys off, as SQLite's table-rebuild procedure
 * requires (PRAGMA foreign_keys is a no-op inside the migrator's transaction, and a DROP TABLE
 * with foreign keys on would cascade-delete dependent rows, such as the vault's), then checks
 * every foreign key and turns enforcement back on. A violation stops the start.
 */
export function migrateDatabase(sqlite: Database.Database, db: Drizzle = drizzle(sqlite, { schema: sqliteSchema })): void {
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

/** SQLite's EXPLAIN QUERY PLAN, one indented line a step, read on the reader. */
export function sqlitePlan(reader: Database.Database, query: { sql: string; params: unknown[] }): string[] {
  const steps = reader.prepare(`explain query plan ${query.sql}`).all(...query.params) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return steps.map((step) => {
    const d = (depth.get(step.parent) ?? 0) + 1;
    depth.set(step.id, d);
    return `${"  ".repeat(d)}${step.detail}`;
  });
}
