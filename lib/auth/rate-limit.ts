/**
 * Throttling of password checks (sign-in and the password re-entry before a reveal).
 *
 * Each attempt is counted under one or more keys. A key allows `free` failures in the window;
 * after that each further attempt must wait a delay that doubles with every failure (1 s, 2 s,
 * 4 s, …) up to `capMs`, counted from the key's latest attempt. Nothing is ever locked for
 * longer than the cap, and an attempt that is refused is not counted, so hammering a key does
 * not extend its wait.
 *
 * An attempt is counted *before* the password is verified (claimAttempt, one immediate
 * transaction), so parallel attempts cannot all pass the check; a successful one is taken back
 * afterwards settleAttempt. No `server-only`: the tests import it.
 */
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { DB } from "../db/open";
import { signInFailures } from "../db/schema";
import { changedRows, firstRow } from "../db/query";

export type ThrottleRule = {
  key: string;
  /** Failures allowed in the window before attempts have to wait. */
  free: number;
  /** The longest wait. */
  capMs: number;
  /** Whether a success clears this key's failures. */
  clearOnSuccess: boolean;
};

const WINDOW_MS = 15 * 60 * 1000;
const BASE_DELAY_MS = 1000;

/** The wait after `failures` failures under a rule. */
export function delayAfter(failures: number, rule: Pick<ThrottleRule, "free" | "capMs">): number {
  if (failures < rule.free) return 0;
  const doublings = Math.min(failures - rule.free, 30);
  return Math.min(BASE_DELAY_MS * 2 ** doublings, rule.capMs);
}

export type Claim = { ok: true; ids: number[]; rules: ThrottleRule[] } | { ok: false; retryAfterMs: number };

/**
 * Checks every rule and, if none says wait, counts the attempt under each key (as a failure
 * until settleAttempt says otherwise), all in one immediate transaction.
 */
export async function claimAttempt(db: DB, rules: ThrottleRule[], now = Date.now()): Promise<Claim> {
  return db.transaction(
    async (tx): Promise<Claim> => {
      let retryAfterMs = 0;
      for (const rule of rules) {
        const row = await firstRow(tx
          .select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${signInFailures.at})` })
          .from(signInFailures)
          .where(and(eq(signInFailures.key, rule.key), gt(signInFailures.at, new Date(now - WINDOW_MS)))).limit(1));
        const n = row?.n ?? 0;
        const delay = delayAfter(n, rule);
        // Within the free failures nothing waits, even when an attempt counted meanwhile carries
        // a later clock than this one (racing transactions, or another instance's clock).
        if (delay === 0 || row?.last == null) continue;
        const wait = row.last + delay - now;
        if (wait > retryAfterMs) retryAfterMs = wait;
      }
      if (retryAfterMs > 0) return { ok: false, retryAfterMs };
      const ids = rules.length
        ? (await tx
            .insert(signInFailures)
            .values(rules.map((r) => ({ key: r.key, at: new Date(now) })))
            .returning({ id: signInFailures.id }))
            .map((r) => r.id)
        : [];
      return { ok: true, ids, rules };
    },
    { behavior: "immediate" },
  ).then(async (claim) => {
    // Keep the table small, now and then and in a transaction of its own: a delete over the
    // whole table in every claim made every two sign-ins conflict on Postgres (serializable),
    // and a flood of them failed with an error instead of "incorrect" (a red-team finding).
    if (claim.ok && Math.random() < PRUNE_CHANCE) await pruneFailures(db, now).catch(() => undefined);
    return claim;
  });
}

const PRUNE_CHANCE = 0.02;

/** Failed sign-ins older than a day: no rule looks that far back. */
async function pruneFailures(db: DB, now = Date.now()): Promise<number> {
  return changedRows(await db.transaction((tx) => tx.delete(signInFailures).where(lt(signInFailures.at, new Date(now - 24 * 60 * 60 * 1000)))));
}

/**
 * After the password was checked: a success takes the attempt back and clears the keys that a
 * success clears; a failure leaves it counted.
 */
export async function settleAttempt(db: DB, claim: Extract<Claim, { ok: true }>, succeeded: boolean): Promise<void> {
  if (!succeeded) return;
  await db.transaction(async (tx) => {
    if (claim.ids.length) await tx.delete(signInFailures).where(inArray(signInFailures.id, claim.ids));
    const cleared = claim.rules.filter((r) => r.clearOnSuccess).map((r) => r.key);
    if (cleared.length) await tx.delete(signInFailures).where(inArray(signInFailures.key, cleared));
  });
}

/** "3 seconds", "2 minutes". */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
