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

export function openDatabase(file: string, options: { migrate?: boolean } = {}): DB {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
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
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}
