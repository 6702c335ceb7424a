/**
 * The few things a query needs that the engines spell differently, in one place: the first row
 * of a result, how many rows a write changed, and "now" in the database's own clock. Every query
 * above lib/db/ awaits its builder (`await tx.select()…`) and uses these instead of a driver's
 * own methods (better-sqlite3's `.get()`, `.run().changes`), so that it runs on either engine.
 */
import { sql } from "drizzle-orm";

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
export const NOW_MS = sql`(unixepoch('subsec') * 1000)`;

/** The row an insert (or an update of a row known to exist) gave back with `returning()`. */
export async function returnedRow<T>(rows: PromiseLike<T[]>): Promise<T> {
  const row = (await rows)[0];
  if (row === undefined) throw new Error("The write returned no row.");
  return row;
}

