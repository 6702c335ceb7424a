/**
 * The poller: a background worker that asks the provider for the status of every open
 * transaction, on the schedule of ./schedule.ts (soon after it starts, then less often; backing
 * off after a 429, a 5xx, a timeout or an unreachable provider; giving up at the horizon and
 * marking the transaction stale). Results go through applyTransactionEvent (source poll), like
 * webhooks. It also fetches the print slip of a transaction that reached SUCCESS or REVERTED,
 * and follows operations (revert, preauth completion) until the provider says how they ended.
 *
 * Priorities: open transactions first (a payment someone is waiting on), then print slips, which
 * nobody waits on. While webhooks arrive in a burst (`busy`), a run fetches only BUSY_SLIPS slips,
 * so that the fetches and their writes do not compete with ingestion in the same process; the
 * rest wait (the lag shows on the workers row) and are caught up once the burst is over, with runs
 * back to back while a run finds a full batch (./poller-loop.ts). What one run learns is written
 * in one transaction (one commit), each item in its own savepoint.
 *
 * One at a time per database (./lease.ts): a process that does not hold the lease does nothing.
 * pollOnce() is one loop, with everything it needs passed in, so a test can run it against an
 * in-memory database, a stub provider and a fake clock. No `server-only`: tests import it.
 */
import { and, asc, eq, inArray, isNotNull, lte, notInArray, sql } from "drizzle-orm";
import type { DB, Tx } from "../db/open";
import { pairings, transactions, workers } from "../db/schema";
import { FINAL_TRANSACTION_STATUSES, isFinalStatus, type Environment } from "../domain";
import { ProviderError, type ClientCredentials, type TransactionProvider } from "../providers/types";
import { applyTransactionEvent } from "../transactions/apply";
import { activePairingFor } from "../transactions/pairing-reach";
import { watchCredentials } from "../pairing/credentials-state";
import { takeLease } from "./lease";
import { failed, isRetryable, plain, type Tally } from "./poll-errors";
import { dueOperations, pollOperation } from "./poll-operation";
import { nextPollAt, POLL_HORIZON_MS } from "./schedule";
import { firstRow } from "../db/query";

export const POLLER = "poller";
export const LEASE_TTL_MS = 15_000;
/** How many items one loop handles at most, and how many provider calls run at once. */
export const BATCH = 50;
const CONCURRENCY = 4;
/** Print slips fetched by one run while webhooks arrive in a burst. */
export const BUSY_SLIPS = 5;
/** A print slip is asked for this many times at most. */
const SLIP_TRIES = 3;

export type PollerDeps = {
  db: DB;
  provider: (environment: Environment) => TransactionProvider;
  /** The pairing's credentials, from the vault (never logged). */
  credentials: (db: DB, pairing: { id: number; clientId: string }) => Promise<ClientCredentials>;
  now: () => number;
  holder: string;
  /** Consecutive failures per transaction (backoff); kept by the running poller. */
  failures: Map<number, number>;
  log?: { warn(obj: Record<string, unknown>, msg: string): void };
  /**
   * Set by the running loop (./poller-loop.ts), which takes and renews the lease on its own
   * timer: a run then starts only while it holds it, and stops starting calls once it is lost.
   * Without it (tests, one-off callers), each run takes the lease itself.
   */
  lease?: { holds: () => boolean };
  /**
   * When set, a run that found nothing to do records its figures at most this often (a busy run
   * always does), so that an idle server does not commit to disk every second.
   */
  idleFigures?: { everyMs: number; lastAt: number };
  /**
   * True while this process ingests a burst of webhooks (lib/webhooks/inbox.ts): slips wait.
   * Without it, never busy.
   */
  busy?: () => boolean;
};

/** `more`: a run took a full batch, so more may be due at once (the loop runs again without waiting). */
export type RunFigures = { ran: boolean; count: number; errors: number; lagMs: number; ms: number; more: boolean };

/**
 * A write a run defers to its one transaction at the end, and what to write instead if it fails
 * (so that a transaction whose result cannot be written still backs off rather than being asked
 * again at once).
 */
type Write = { transaction: number; write: (tx: Tx) => Promise<unknown>; instead: (tx: Tx, err: unknown) => Promise<unknown> };

/**
 * The credentials to poll with: the transaction's pairing if still active, else the terminal's
 * active pairing, and either only when it is the transaction's own merchant's. A terminal paired
 * by another merchant since is not asked about this merchant's transactions ("elsewhere").
 */
async function pairingFor(db: DB, t: { pairingId: number; terminalRef: number; merchantId: number }) {
  const own = await firstRow(db
    .select({ id: pairings.id, clientId: pairings.clientId, status: pairings.status, merchantId: pairings.merchantId })
    .from(pairings)
    .where(eq(pairings.id, t.pairingId)).limit(1));
  if (own?.status === "active" && own.merchantId === t.merchantId) return { reach: "own" as const, pairing: { id: own.id, clientId: own.clientId } };
  return activePairingFor(db, t.terminalRef, t.merchantId);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, run));
}

type DueTransaction = Awaited<ReturnType<typeof dueTransactions>>[number];

/**
 * The transactions whose next poll has come, most overdue first: the open ones (`final` false),
 * or the final ones, which are visited for their print slip.
 */
function dueTransactions(db: DB, at: number, final: boolean, limit: number) {
  return db
    .select({
      id: transactions.id,
      providerTransactionId: transactions.providerTransactionId,
      status: transactions.status,
      environment: transactions.environment,
      merchantId: transactions.merchantId,
      terminalRef: transactions.terminalRef,
      pairingId: transactions.pairingId,
      createdAt: transactions.createdAt,
      nextPollAt: transactions.nextPollAt,
      slipFetchedAt: transactions.slipFetchedAt,
      pollCount: transactions.pollCount,
    })
    .from(transactions)
    .where(
      and(
        isNotNull(transactions.nextPollAt),
        lte(transactions.nextPollAt, new Date(at)),
        final ? inArray(transactions.status, [...FINAL_TRANSACTION_STATUSES]) : notInArray(transactions.status, [...FINAL_TRANSACTION_STATUSES]),
      ),
    )
    .orderBy(asc(transactions.nextPollAt))
    .limit(limit);
}

/** One loop, if this holder has (or takes) the lease. */
export async function pollOnce(deps: PollerDeps): Promise<RunFigures> {
  const { db } = deps;
  const started = deps.now();
  const holds = deps.lease ? deps.lease.holds() : await takeLease(db, POLLER, deps.holder, started, LEASE_TTL_MS);
  if (!holds) return { ran: false, count: 0, errors: 0, lagMs: 0, ms: 0, more: false };
  // A run can outlast a lease (slow provider calls): once the loop has lost it, the rest waits.
  const lost = () => (deps.lease ? !deps.lease.holds() : false);

  const open = await dueTransactions(db, started, false, BATCH);
  const busy = deps.busy?.() ?? false;
  const slipLimit = Math.max(0, Math.min(BATCH - open.length, busy ? BUSY_SLIPS : BATCH));
  // One more than taken, to know whether slips are waiting.
  const slips = await dueTransactions(db, started, true, slipLimit + 1);
  const waitingSlip = slips.length > slipLimit ? slips[slipLimit] : undefined;
  const due = [...open, ...slips.slice(0, slipLimit)];
  const ops = await dueOperations(db, started, BATCH);
  // The lag is how late the poller is with what someone waits on (open payments, operations):
  // print slips held back during a burst wait by design, and would hide a late payment.
  const overdue = [...open, ...ops].map((d) => d.nextPollAt!.getTime());
  const lagMs = overdue.length > 0 ? Math.max(0, started - Math.min(...overdue)) : 0;
  const tally: Tally = { errors: 0, lastError: null };
  const writes: Write[] = [];

  await inBatches(due, CONCURRENCY, async (t) => {
    if (!lost()) await pollTransaction(deps, t, tally, writes);
  });
  // A process that lost the lease meanwhile writes nothing: the new holder asks again, and what
  // it writes must not be overwritten by an older answer.
  if (lost()) return { ran: true, count: 0, errors: tally.errors, lagMs, ms: deps.now() - started, more: false };
  await writeAll(deps, writes, tally);
  await inBatches(ops, CONCURRENCY, async (op) => {
    if (!lost()) await pollOperation(deps, op, tally);
  });

  const finished = deps.now();
  const count = due.length + ops.length;
  const more = tally.errors === 0 && (open.length === BATCH || ops.length === BATCH || (waitingSlip !== undefined && !busy));
  const figures = { ran: true, count, errors: tally.errors, lagMs, ms: finished - started, more };
  if (lost()) return figures;
  const idle = count === 0 && deps.idleFigures;
  if (idle && finished - idle.lastAt < idle.everyMs) return figures;
  if (deps.idleFigures) deps.idleFigures.lastAt = finished;
  await recordRun(db, figures, tally, finished);
  return figures;
}

/**
 * The run's deferred writes in one transaction, each in a savepoint: one that fails (a rule, a
 * row changed meanwhile) is counted and logged, and the others are kept.
 */
async function writeAll(deps: PollerDeps, writes: Write[], tally: Tally): Promise<void> {
  if (writes.length === 0) return;
  await deps.db.transaction(
    async (tx) => {
      for (const { transaction, write, instead } of writes) {
        try {
          await tx.transaction((sp) => write(sp));
        } catch (err) {
          failed(tally, err);
          deps.log?.warn({ transaction, err: (err as Error)?.message }, "a poll's result could not be written");
          await tx.transaction((sp) => instead(sp, err)).catch(() => undefined);
        }
      }
    },
    { behavior: "immediate" },
  );
}

/**
 * Asks Pay-Connect for one open transaction's status and applies it; a final one is only
 * visited for its print slip. Stops following it after the horizon, or when its terminal has no
 * active pairing of its merchant. What it learns goes to `writes` (written by the run).
 */
async function pollTransaction(deps: PollerDeps, t: DueTransaction, tally: Tally, writes: Write[]): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  // Written at the end of the run, and only if the transaction is as this run read it: a webhook
  // (a new status), an operation (a poll asked for sooner) or another write may have changed it
  // meanwhile, and then the next run looks at it afresh.
  const asRead = and(eq(transactions.id, t.id), eq(transactions.status, t.status), eq(transactions.nextPollAt, t.nextPollAt!));
  const update = (tx: Tx, values: Partial<typeof transactions.$inferInsert>) =>
    tx.update(transactions).set({ ...values, updatedAt: new Date(now) }).where(asRead);
  /** If a write fails: the next visit later, with why, rather than at once again. */
  const later = (tx: Tx, err: unknown) =>
    update(tx, { nextPollAt: new Date(now + 60_000), pollError: `This poll's result could not be written (${plain(err)}); Pairdesk asks again in a minute.` });
  const set = (values: Partial<typeof transactions.$inferInsert>) => writes.push({ transaction: t.id, write: (tx) => update(tx, values), instead: later });
  /** After a failed poll: the error, and the next poll after a backoff (longer for a failure that retrying will not fix). */
  const backOff = (err: unknown) => {
    const failures = (deps.failures.get(t.id) ?? 0) + 1;
    deps.failures.set(t.id, failures);
    const next = nextPollAt(t.createdAt.getTime(), now, isRetryable(err) ? failures : Math.max(failures, 3));
    return { lastPolledAt: new Date(now), pollCount: t.pollCount + 1, pollError: plain(err), nextPollAt: next === null ? null : new Date(next) };
  };
  const { reach, pairing } = await pairingFor(db, t);
  if (isFinalStatus(t.status)) {
    if (!pairing || t.slipFetchedAt) set({ nextPollAt: null });
    else await fetchSlip(deps, t, pairing, tally, set);
    return;
  }
  if (now - t.createdAt.getTime() >= POLL_HORIZON_MS) {
    set({ nextPollAt: null, staleAt: new Date(now), pollError: "No final status within 24 hours: Pairdesk stopped polling. A webhook can still bring it." });
    return;
  }
  if (!pairing) {
    set({
      nextPollAt: null,
      staleAt: new Date(now),
      pollError:
        reach === "elsewhere"
          ? "The terminal is paired to another merchant now, so Pairdesk no longer asks its status for this one. A webhook can still bring it."
          : "The terminal has no active pairing, so its status cannot be asked: pair the terminal again to follow it.",
    });
    return;
  }
  try {
    const observation = await watchCredentials(db, pairing.id, async () =>
      deps.provider(t.environment).getTransaction(await deps.credentials(db, pairing), t.providerTransactionId),
    );
    const at = deps.now();
    writes.push({
      transaction: t.id,
      write: async (tx) => {
        const r = await applyTransactionEvent(tx, {
          observation,
          via: { pairingId: pairing.id, merchantId: t.merchantId, terminalRef: t.terminalRef, environment: t.environment },
          from: { source: "poll" },
          at,
        });
        const open = !isFinalStatus(r.status);
        const next = new Date(nextPollAt(t.createdAt.getTime(), at) ?? at);
        await tx
          .update(transactions)
          .set({
            lastPolledAt: new Date(at),
            pollCount: sql`${transactions.pollCount} + 1`,
            pollError: null,
            // The next poll by the schedule, unless someone asked for one meanwhile (an
            // operation's answer makes it due at once): that stands.
            ...(open
              ? { nextPollAt: sql`case when ${transactions.nextPollAt} = ${t.nextPollAt!.getTime()} then ${next.getTime()} else ${transactions.nextPollAt} end` }
              : {}),
          })
          .where(eq(transactions.id, t.id));
      },
      instead: (tx, err) => update(tx, backOff(err)),
    });
    deps.failures.delete(t.id);
  } catch (err) {
    failed(tally, err);
    set(backOff(err));
    deps.log?.warn({ transaction: t.id, code: err instanceof ProviderError ? err.code : "error" }, "a transaction poll failed");
  }
}

/** A final transaction's print slip, tried SLIP_TRIES times at a growing interval. */
async function fetchSlip(
  deps: PollerDeps,
  t: DueTransaction,
  pairing: { id: number; clientId: string },
  tally: Tally,
  set: (values: Partial<typeof transactions.$inferInsert>) => unknown,
): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  try {
    const slip = await watchCredentials(db, pairing.id, async () =>
      deps.provider(t.environment).getPrintSlip(await deps.credentials(db, pairing), t.providerTransactionId),
    );
    set({ slip: JSON.stringify(slip), slipFetchedAt: new Date(deps.now()), nextPollAt: null, pollError: null });
  } catch (err) {
    failed(tally, err);
    const tries = t.pollCount + 1;
    set({
      pollCount: tries,
      pollError: `The print slip could not be read: ${plain(err)}`,
      nextPollAt: tries >= SLIP_TRIES ? null : new Date(now + 30_000 * tries),
    });
  }
}

/** The run's figures on the poller's workers row (what /api/health and the dashboard show). */
async function recordRun(db: DB, figures: RunFigures, tally: Tally, finished: number): Promise<void> {
  await db.transaction((tx) =>
    tx
      .update(workers)
      .set({
        lastRunAt: new Date(finished),
        lastRunMs: figures.ms,
        lastRunCount: figures.count,
        lastRunErrors: tally.errors,
        lagMs: figures.lagMs,
        errorsTotal: sql`${workers.errorsTotal} + ${tally.errors}`,
        ...(tally.lastError ? { lastError: tally.lastError, lastErrorAt: new Date(finished) } : {}),
        updatedAt: new Date(finished),
      })
      .where(eq(workers.name, POLLER)),
  );
}
