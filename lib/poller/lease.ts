/**
 * A lease per background worker (the `workers` table): at most one holder per database, even
 * with several server processes on it. Taking it is one atomic upsert that succeeds only when the
 * lease is free, expired, or already ours; a holder renews it on every loop, and one that dies
 * simply stops renewing: another takes over once it expires. No `server-only`: tests run it.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { writeAtExit, type DB } from "../db/open";
import { workers } from "../db/schema";
import { firstRow, NOW_MS } from "../db/query";

/** True when `holder` holds the lease of `name` until now + ttlMs. */
export async function takeLease(db: DB, name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
  const taken = await db.transaction((tx) =>
    tx
      .insert(workers)
      .values({ name, holder, leaseExpiresAt: new Date(now + ttlMs), updatedAt: new Date(now) })
      .onConflictDoUpdate({
        target: workers.name,
        set: { holder, leaseExpiresAt: new Date(now + ttlMs), updatedAt: new Date(now) },
        // Only when the lease is free, expired, or already ours.
        setWhere: or(isNull(workers.holder), eq(workers.holder, holder), isNull(workers.leaseExpiresAt), lt(workers.leaseExpiresAt, new Date(now))),
      })
      .returning({ name: workers.name }),
  );
  return taken.length > 0;
}

/** Gives the lease up from a process "exit" listener, where nothing asynchronous runs. */
export function releaseLeaseAtExit(db: DB, name: string, holder: string): void {
  writeAtExit(db, (w) => {
    // eslint-disable-next-line no-restricted-syntax -- an exit listener runs nothing asynchronous
    w.update(workers)
      .set({ holder: null, leaseExpiresAt: null, updatedAt: NOW_MS })
      .where(and(eq(workers.name, name), eq(workers.holder, holder)))
      .run();
  });
}

/** Gives the lease up (on stop), if `holder` has it. */
export async function releaseLease(db: DB, name: string, holder: string): Promise<void> {
  await db.transaction((tx) =>
    tx
      .update(workers)
      .set({ holder: null, leaseExpiresAt: null, updatedAt: NOW_MS })
      .where(and(eq(workers.name, name), eq(workers.holder, holder))),
  );
}

export async function leaseHolder(db: DB, name: string): Promise<{ holder: string | null; leaseExpiresAt: Date | null; } | undefined> {
  return await firstRow(db.select({ holder: workers.holder, leaseExpiresAt: workers.leaseExpiresAt }).from(workers).where(eq(workers.name, name)).limit(1));
}
