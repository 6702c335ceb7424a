/**
 * The poller's loop, apart from the server that starts it (./poller-runner.ts) so that a test can
 * run it in processes of its own (./poller-child.ts) and kill them.
 *
 * Two timers:
 * - the lease: taken at start, then renewed (or, by a process that does not hold it, tried)
 *   every `renewMs`, a third of its `ttlMs`, on its own timer, so that a long run (slow provider
 *   calls) keeps it; a holder that dies stops renewing and another takes over once it expires;
 * - the run: every `loopMs`, one pollOnce() while this process holds the lease; at once again
 *   after a run that found more due than it takes (a backlog after a burst of webhooks).
 * stop() releases the lease at once, so another process takes over without waiting.
 * No `server-only`: the child process and the tests run it.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { releaseLease, releaseLeaseAtExit, takeLease } from "./lease";
import { LEASE_TTL_MS, pollOnce, POLLER, type PollerDeps, type RunFigures } from "./poller";

export type PollerLoopOptions = {
  loopMs?: number;
  ttlMs?: number;
  renewMs?: number;
  /** An idle run records its figures this often (a busy run always does). */
  idleFiguresMs?: number;
  onLease?: (held: boolean) => void;
  onRun?: (figures: RunFigures) => void;
  onError?: (err: unknown) => void;
};

export type PollerLoop = {
  holder: string;
  holdsLease: () => boolean;
  stop: () => Promise<void>;
  /** The same from a process "exit" listener, where nothing asynchronous runs. */
  stopAtExit: () => void;
};

export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export function runPollerLoop(base: Omit<PollerDeps, "lease" | "idleFigures">, options: PollerLoopOptions = {}): PollerLoop {
  const { loopMs = 1_000, ttlMs = LEASE_TTL_MS, renewMs = Math.floor(ttlMs / 3), idleFiguresMs = 10_000 } = options;
  const { db, holder } = base;
  let held = false;
  // The lease is ours until its expiry as we set it, whatever the timers do meanwhile.
  let heldUntil = 0;
  let stopped = false;
  let running = false;
  let again = false;
  const deps: PollerDeps = {
    ...base,
    lease: { holds: () => held && base.now() < heldUntil },
    idleFigures: { everyMs: idleFiguresMs, lastAt: 0 },
  };

  const renew = async () => {
    if (stopped) return;
    try {
      const now = base.now();
      const ok = await takeLease(db, POLLER, holder, now, ttlMs);
      if (stopped) return;
      if (ok) heldUntil = now + ttlMs;
      if (ok !== held) {
        held = ok;
        options.onLease?.(held);
      }
    } catch (err) {
      // A busy or failing database: keep what we had until it expires.
      options.onError?.(err);
    }
  };
  const run = async () => {
    if (stopped || running) return;
    running = true;
    try {
      const figures = await pollOnce(deps);
      if (figures.ran) options.onRun?.(figures);
      again = figures.more;
    } catch (err) {
      options.onError?.(err);
      again = false;
    } finally {
      running = false;
    }
    if (again && !stopped) setImmediate(() => void run());
  };

  const first = renew();
  const renewTimer = setInterval(() => void renew(), renewMs);
  const runTimer = setInterval(() => void run(), loopMs);
  renewTimer.unref?.();
  runTimer.unref?.();
  void first.then(run);

  /** Stops the timers; false when already stopped. */
  const halt = () => {
    if (stopped) return false;
    stopped = true;
    clearInterval(renewTimer);
    clearInterval(runTimer);
    held = false;
    return true;
  };

  return {
    holder,
    holdsLease: () => deps.lease!.holds(),
    stop: async () => {
      if (!halt()) return;
      try {
        await releaseLease(db, POLLER, holder);
      } catch {
        // the database is already closed
      }
    },
    stopAtExit: () => {
      if (!halt()) return;
      try {
        releaseLeaseAtExit(db, POLLER, holder);
      } catch {
        // the database is already closed
      }
    },
  };
}
