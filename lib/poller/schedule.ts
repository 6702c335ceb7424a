/**
 * When the poller looks at an open transaction: soon after it starts, then less often as it ages;
 * after a retryable failure (429, 5xx, timeout) it backs off; past the horizon it gives up and
 * the transaction is marked stale (its status may still arrive by webhook).
 */

/** [age below which, poll every] — read top to bottom. */
const POLL_STEPS: readonly [ageMs: number, everyMs: number][] = [
  [2 * 60_000, 3_000],
  [10 * 60_000, 15_000],
  [60 * 60_000, 60_000],
  [6 * 60 * 60_000, 10 * 60_000],
];
/** Past the steps and until the horizon: hourly. */
const POLL_SLOW_EVERY_MS = 60 * 60_000;
/** An open transaction older than this is no longer polled: it is marked stale. */
export const POLL_HORIZON_MS = 24 * 60 * 60_000;
/** The longest wait after repeated failures. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** The wait before the next poll of a transaction `ageMs` old (from its creation here). */
export function pollInterval(ageMs: number): number {
  for (const [below, every] of POLL_STEPS) if (ageMs < below) return every;
  return POLL_SLOW_EVERY_MS;
}

/**
 * When to poll next, or null when the horizon has passed. `failures` counts consecutive
 * retryable failures (0 after a good poll): each doubles the wait, up to MAX_BACKOFF_MS.
 */
export function nextPollAt(createdAt: number, now: number, failures = 0): number | null {
  const age = now - createdAt;
  if (age >= POLL_HORIZON_MS) return null;
  const base = pollInterval(Math.max(0, age));
  const wait = failures > 0 ? Math.min(MAX_BACKOFF_MS, Math.max(base, 2_000) * 2 ** Math.min(failures, 10)) : base;
  return Math.min(now + wait, createdAt + POLL_HORIZON_MS);
}
