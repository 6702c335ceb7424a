/**
 * The few things a query needs that the engines spell differently, in one place: the first row
 * of a result, how many rows a write changed, "now" in the database's own clock, and a name
 * compared without regard to case. Every query
 * above lib/db/ awaits its builder (`await tx.select()…`) and uses these instead of a driver's
 * own methods (better-sqlite3's `.get()`, `.run().changes`), so that it runs on either engine.
 */
import type { SQL, SQLWrapper } from "drizzle-orm";
import { kit } from "./schema";

/** The first row of a result (`await firstRow(db.select()…limit(1))`), or undefined. */
export async function firstRow<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/** How many rows an awaited insert, update or delete (without `returning`) changed. */
export function changedRows(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return Number(r.changes ?? r.rowCount ?? 0);
}

/** The database's clock in epoch milliseconds, for a column written by the statement itself. */
export const NOW_MS: SQL = kit.now;

/** `value` compared and sorted without regard to case (SQLite's NOCASE, Postgres's lower()): as the unique indexes on names. */
export const caseless = (value: SQLWrapper): SQL => kit.caseless(value);

/** The LIKE operator that ignores case on both engines: sql`${column} ${LIKE} ${pattern} escape '\\'`. */
export const LIKE: SQL = kit.like;

/** A text column holding an id, as an integer to join on (null when it holds something else). */
export const integerOf = (value: SQLWrapper): SQL => kit.integerOf(value);

/** The row an insert (or an update of a row known to exist) gave back with `returning()`. */
export async function returnedRow<T>(rows: PromiseLike<T[]>): Promise<T> {
  const row = (await rows)[0];
  if (row === undefined) throw new Error("The write returned no row.");
  return row;
}

