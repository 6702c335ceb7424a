/**
 * The two engines hold the same database: the SQLite file as its migrations (drizzle/) leave it,
 * and Postgres as its own (drizzle/postgres/) leave it, compared table by table: columns (type,
 * nullability, default), indexes (unique, columns, partial condition), checks, foreign keys and
 * the rules' triggers. A change made to one engine's migrations only fails here. Runs in the
 * Postgres suite (`npm run test:unit:postgres`), which has both engines at hand.
 */
import "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "./engine";
import { openDatabase, rawQuery, type DB } from "./open";
import { openTestDatabase } from "../test/db";

type Row = Record<string, unknown>;
type Column = { name: string; type: string; notNull: boolean; default: string | null };
type Index = { name: string; unique: boolean; columns: string[]; where: string | null };
type ForeignKey = { column: string; references: string; onDelete: string };
type Table = { columns: Column[]; indexes: Index[]; checks: string[]; foreignKeys: ForeignKey[]; triggers: string[] };

/** A condition or default as both engines would print it: no quotes, casts, table names or brackets. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/::[a-z ]+/g, "")
    .replace(/"/g, "")
    .replace(/\b[a-z_]+\.([a-z_]+)/g, "$1")
    .replace(/[()]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Both engines' "now" default (lib/db/schema/kit.ts), and booleans, read as one value. */
function normalizeDefault(text: string | null): string | null {
  if (text === null) return null;
  if (/unixepoch|clock_timestamp/.test(text)) return "now (epoch ms)";
  return normalize(text).replace(/^false$/, "0").replace(/^true$/, "1");
}

async function describeSqlite(db: DB): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  const names = await rawQuery<{ name: string; sql: string }>(
    db,
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
  );
  for (const { name, sql } of names) {
    const columns = (await rawQuery<Row>(db, `pragma table_info("${name}")`)).map((c) => ({
      name: String(c.name),
      type: String(c.type).toLowerCase(),
      notNull: Boolean(c.notnull) || Boolean(c.pk),
      default: normalizeDefault(c.dflt_value === null ? null : String(c.dflt_value)),
    }));
    const indexes: Index[] = [];
    for (const i of await rawQuery<Row>(db, `pragma index_list("${name}")`)) {
      if (String(i.name).startsWith("sqlite_autoindex")) continue;
      const keys = (await rawQuery<Row>(db, `pragma index_xinfo("${i.name}")`)).filter((k) => Number(k.key) === 1);
      const [ddl] = await rawQuery<{ sql: string }>(db, "select sql from sqlite_master where type = 'index' and name = ?", [i.name]);
      const where = /\bwhere\b(.*)$/is.exec(ddl?.sql ?? "")?.[1];
      indexes.push({
        name: String(i.name),
        unique: Number(i.unique) === 1,
        columns: keys.map((k) => (String(k.coll).toUpperCase() === "NOCASE" ? `lower(${k.name})` : String(k.name))),
        where: where ? normalize(where) : null,
      });
    }
    const checks = [...sql.matchAll(/CONSTRAINT "([a-z_]+)" CHECK/gi)].map((m) => m[1]!);
    const foreignKeys = (await rawQuery<Row>(db, `pragma foreign_key_list("${name}")`)).map((f) => ({
      column: String(f.from),
      references: `${f.table}.${f.to}`,
      onDelete: String(f.on_delete).toLowerCase(),
    }));
    const triggers = (await rawQuery<{ name: string }>(db, "select name from sqlite_master where type = 'trigger' and tbl_name = ?", [name])).map((t) => t.name);
    tables.set(name, sortTable({ columns, indexes, checks, foreignKeys, triggers }));
  }
  return tables;
}

const PG_TYPES: Record<string, string> = { bigint: "integer", boolean: "integer", text: "text", bytea: "blob" };

async function describePostgres(db: DB): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  const names = await rawQuery<{ name: string }>(db, "select tablename as name from pg_tables where schemaname = 'public' order by tablename");
  for (const { name } of names) {
    const columns = (
      await rawQuery<Row>(
        db,
        "select column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' and table_name = ? order by ordinal_position",
        [name],
      )
    ).map((c) => ({
      name: String(c.column_name),
      type: PG_TYPES[String(c.data_type)] ?? String(c.data_type),
      notNull: c.is_nullable === "NO",
      default: normalizeDefault(c.column_default === null ? null : String(c.column_default)),
    }));
    const indexes = (await rawQuery<{ name: string; def: string }>(db, "select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename = ?", [name]))
      .filter((i) => !i.name.endsWith("_pkey"))
      .map((i) => {
        const m = /USING btree \((.+?)\)(?: WHERE (.+))?$/.exec(i.def);
        return {
          name: i.name,
          unique: i.def.startsWith("CREATE UNIQUE"),
          columns: (m?.[1] ?? "").split(", ").map((c) => c.replace(/"/g, "")),
          where: m?.[2] ? normalize(m[2]) : null,
        };
      });
    const checks = (
      await rawQuery<{ name: string }>(db, "select conname as name from pg_constraint where contype = 'c' and conrelid = ?::regclass", [name])
    ).map((c) => c.name);
    const foreignKeys = (
      await rawQuery<Row>(
        db,
        `select a.attname as "column", cl.relname || '.' || fa.attname as "references", c.confdeltype as "onDelete"
           from pg_constraint c
           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
           join pg_class cl on cl.oid = c.confrelid
           join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1]
          where c.contype = 'f' and c.conrelid = ?::regclass`,
        [name],
      )
    ).map((f) => ({
      column: String(f.column),
      references: String(f.references),
      onDelete: ({ a: "no action", c: "cascade", r: "restrict", n: "set null", d: "set default" } as Record<string, string>)[String(f.onDelete)] ?? String(f.onDelete),
    }));
    const triggers = (
      await rawQuery<{ name: string }>(db, "select tgname as name from pg_trigger where not tgisinternal and tgrelid = ?::regclass", [name])
    ).map((t) => t.name);
    tables.set(name, sortTable({ columns, indexes, checks, foreignKeys, triggers }));
  }
  return tables;
}

function sortTable(t: Table): Table {
  const by = <T>(key: (x: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  return {
    columns: t.columns.sort(by((c) => c.name)),
    indexes: t.indexes.sort(by((i) => i.name)),
    checks: t.checks.sort(),
    foreignKeys: t.foreignKeys.sort(by((f) => `${f.column}→${f.references}`)),
    triggers: t.triggers.sort(),
  };
}

describe.skipIf(ENGINE !== "postgres")("the two engines' schemas", () => {
  let sqlite: DB;
  let postgres: DB;
  beforeAll(async () => {
    sqlite = openDatabase(":memory:");
    postgres = await openTestDatabase();
  });
  afterAll(async () => {
    sqlite?.close();
    await postgres?.end();
  });

  it("have the same tables, columns, indexes, checks, foreign keys and triggers", async () => {
    const [lite, pg] = [await describeSqlite(sqlite), await describePostgres(postgres)];
    expect([...pg.keys()]).toEqual([...lite.keys()]);
    expect(lite.size).toBeGreaterThan(15);
    for (const [name, table] of lite) {
      expect(pg.get(name), name).toEqual(table);
    }
  });

  it("raise the same rule codes", () => {
    const read = (dir: string) =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
        .join("\n");
    const root = path.resolve(import.meta.dirname, "../../drizzle");
    const codes = (sql: string) => new Set([...sql.matchAll(/'pairdesk_rule:([a-z_]+)'|pairdesk_refuse\('([a-z_]+)'\)/g)].map((m) => m[1] ?? m[2]));
    const lite = codes(read(root));
    expect(lite.size).toBeGreaterThan(10);
    expect(codes(read(path.join(root, "postgres")))).toEqual(lite);
  });
});
