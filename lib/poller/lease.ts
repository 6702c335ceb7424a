/**
 * A lease per background worker (the `workers` table): at most one holder per database, even
 * with several server processes on it. Taking it is one atomic upsert that succeeds only when the
 * lease is free, expired, or already ours; a holder renews it on every loop, and one that dies
 * simply stops renewing: another takes over once it expires. No `server-only`: tests run it.
 */
import { eq, sql } from "drizzle-orm";
import type { DB } from "../db/open";
import { workers } from "../db/schema";

/** True when `holder` holds the lease of `name` until now + ttlMs. */
export function takeLease(db: DB, name: string, holder: string, now: number, ttlMs: number): boolean {
  const result = db.$client
    .prepare(
      `INSERT INTO workers (name, holder, lease_expires_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, lease_expires_at = excluded.lease_expires_at,
         updated_at = excluded.updated_at
       WHERE workers.holder IS NULL OR workers.holder = excluded.holder OR workers.lease_expires_at IS NULL
         OR workers.lease_expires_at < ?`,
    )
    .run(name, holder, now + ttlMs, now, now);
  return result.changes > 0;
}

/** Gives the lease up (on stop), if `holder` has it. */
export function releaseLease(db: DB, name: string, holder: string): void {
  db.update(workers)
    .set({ holder: null, leaseExpiresAt: null, updatedAt: sql`(unixepoch('subsec') * 1000)` })
    .where(sql`${workers.name} = ${name} and ${workers.holder} = ${holder}`)
    .run();
}

export function leaseHolder(db: DB, name: string): { holder: string | null; leaseExpiresAt: Date | null } | undefined {
  return db.select({ holder: workers.holder, leaseExpiresAt: workers.leaseExpiresAt }).from(workers).where(eq(workers.name, name)).get();
}
