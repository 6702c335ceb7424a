/**
 * The operator tools' and the health check's read access to a database, on either engine: raw
 * SQL with `?` placeholders, answered asynchronously. `sqliteSql` wraps a better-sqlite3 handle
 * (a backup file, the live file's reader); `databaseSql` reads a running `DB` (SQLite's reader
 * connection, or Postgres's pool). What differs in the catalog (sqlite_master against
 * information_schema, where drizzle keeps its migrations table) is asked through `engine`.
 */
import type Database from "better-sqlite3";
import type { Engine } from "../db/engine";
import { rawQuery, sqliteReader, type DB } from "../db/open";

export type OpsSql = {
  engine: Engine;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
};

export function sqliteSql(sqlite: Database.Database): OpsSql {
  return {
    engine: "sqlite",
    all: async <T>(text: string, params: readonly unknown[] = []) => sqlite.prepare(text).all(...params) as T[],
  };
}

export function databaseSql(db: DB): OpsSql {
  return db.engine === "sqlite" ? sqliteSql(sqliteReader(db)) : { engine: "postgres", all: (text, params) => rawQuery(db, text, params) };
}

/** Whether the database has `table` (drizzle's migrations table included, wherever the engine keeps it). */
export async function hasTable(sql: OpsSql, table: string): Promise<boolean> {
  if (sql.engine === "sqlite") return (await sql.all("select 1 from sqlite_master where type = 'table' and name = ?", [table])).length > 0;
  const schema = table === "__drizzle_migrations" ? "drizzle" : "public";
  return (await sql.all("select 1 from information_schema.tables where table_schema = ? and table_name = ?", [schema, table])).length > 0;
}

/** drizzle's migrations table, as the engine's migrator names it. */
export function migrationsTable(sql: OpsSql): string {
  return sql.engine === "sqlite" ? "__drizzle_migrations" : "drizzle.__drizzle_migrations";
}

/** The application's tables (drizzle's own and the engine's internal ones aside), by name. */
export async function tableNames(sql: OpsSql): Promise<string[]> {
  const rows =
    sql.engine === "sqlite"
      ? await sql.all<{ name: string }>(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations' order by name",
        )
      : await sql.all<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name");
  return rows.map((r) => r.name);
}
