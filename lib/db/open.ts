/**
 * Opens a SQLite database with the pragmas Pairdesk relies on and applies the migrations in
 * `drizzle/`. No `server-only` marker: the operator commands and the tests use it too.
 */
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** SQLite's busy_timeout unless told otherwise (DATABASE_BUSY_TIMEOUT_MS for the server). */
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export function openDatabase(file: string, options: { migrate?: boolean; busyTimeoutMs?: number } = {}): DB {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
  // FULL: a pairing whose commit returned must survive a power cut (its credentials exist nowhere else).
  sqlite.pragma("synchronous = FULL");
  if (file !== ":memory:") {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        fs.chmodSync(f, 0o600);
      } catch {
        // the -wal/-shm files may not exist yet
      }
    }
  }
  const db = drizzle(sqlite, { schema }) as DB;
  if (options.migrate !== false) migrateDatabase(db);
  return db;
}

/**
 * Applies the pending migrations with foreign keys off, as SQLite's table-rebuild procedure
 * requires (PRAGMA foreign_keys is a no-op inside the migrator's transaction, and a DROP TABLE
 * with foreign keys on would cascade-delete dependent rows, such as the vault's), then checks
 * every foreign key and turns enforcement back on. A violation stops the start.
 */
export function migrateDatabase(db: DB): void {
  const sqlite = db.$client;
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
