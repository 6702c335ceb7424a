/**
 * What the operator commands (backup, restore, vault) and /api/health need to know about a
 * Pairdesk database file, read at run time: the migrations this code knows (drizzle's journal),
 * the ones a database has applied, and its tables with their row counts (from the catalog, so
 * a table added by a later migration is counted without a change here). On either engine (./sql.ts). No `server-only`: the
 * commands import it.
 */
import fs from "node:fs";
import path from "node:path";
import type { Engine } from "../db/engine";
import { MIGRATIONS_FOLDER } from "../db/open";
import { hasTable, migrationsTable, tableNames, type OpsSql } from "./sql";

/** Thrown for a refusal the operator can act on: the command prints its message and exits 1. */
export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OperatorError";
  }
}

export type KnownMigration = { tag: string; createdAt: number };

/**
 * The migrations this code applies, from drizzle's journal. drizzle records each applied one in
 * `__drizzle_migrations` with `created_at` = the journal's `when`, and decides what to apply by it.
 */
export function knownMigrations(folder: string = MIGRATIONS_FOLDER): KnownMigration[] {
  return readJournal(folder);
}

/** The migrations this code applies on `engine` (drizzle/ for SQLite, drizzle/postgres/ for Postgres). */
export function knownMigrationsOf(engine: Engine): KnownMigration[] {
  return readJournal(engine === "postgres" ? path.join(MIGRATIONS_FOLDER, "postgres") : MIGRATIONS_FOLDER);
}

function readJournal(folder: string): KnownMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map((e) => ({ tag: e.tag, createdAt: e.when })).sort((a, b) => a.createdAt - b.createdAt);
}

/** The `created_at` of every migration the database has applied (none without drizzle's table). */
async function appliedMigrations(sql: OpsSql): Promise<number[]> {
  if (!(await hasTable(sql, "__drizzle_migrations"))) return [];
  return (await sql.all<{ created_at: number | string }>(`select created_at from ${migrationsTable(sql)} order by created_at`)).map((r) => Number(r.created_at));
}

export type MigrationState = {
  applied: number;
  known: number;
  /** Applied migrations this code does not know: the database is newer than the code (or from another branch). */
  unknown: number;
  /** Known migrations not applied yet: the next start applies them. */
  pending: KnownMigration[];
  latestApplied: string | null;
};

export async function migrationState(sql: OpsSql, known: KnownMigration[] = knownMigrationsOf(sql.engine)): Promise<MigrationState> {
  const applied = await appliedMigrations(sql);
  const knownAt = new Set(known.map((m) => m.createdAt));
  const appliedAt = new Set(applied);
  const latest = known.filter((m) => appliedAt.has(m.createdAt)).at(-1);
  return {
    applied: applied.length,
    known: known.length,
    unknown: applied.filter((at) => !knownAt.has(at)).length,
    pending: known.filter((m) => !appliedAt.has(m.createdAt)),
    latestApplied: latest?.tag ?? null,
  };
}

/** The tables Pairdesk has had since its first migration: a file without them is not a Pairdesk database. */
export const CORE_TABLES = ["users", "terminals", "pairings", "pairing_secrets", "pairing_attempts", "audit_log"] as const;

export type TableCount = { table: string; rows: number };

/** Every table of the database (drizzle's own and SQLite's internal ones aside) with its row count. */
export async function tableCounts(sql: OpsSql): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  for (const table of await tableNames(sql)) {
    const [row] = await sql.all<{ n: number }>(`select count(*) as n from "${table.replaceAll('"', '""')}"`);
    counts.push({ table, rows: Number(row?.n ?? 0) });
  }
  return counts;
}

export function formatCounts(counts: TableCount[]): string {
  return counts.map((c) => `${c.table} ${c.rows.toLocaleString("en-US")}`).join(", ");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A UTC time for file names: 20261122T054000Z. */
export function fileStamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}
