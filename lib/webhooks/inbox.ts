/**
 * The webhook inbox: every delivery is written with its verdict BEFORE it is answered, and an
 * accepted one is applied (applyTransactionEvent) in the same write transaction, each delivery in
 * its own savepoint so that a failure while applying still keeps the stored delivery (its
 * process_error says why; it can be reprocessed). GROUP COMMIT: deliveries that arrive while a
 * write is pending are queued and written together, one transaction (one fsync) per batch, and
 * each request's answer waits for its batch's commit. If the commit fails, every request of the
 * batch gets an error (answered 500): nothing is acknowledged that is not stored.
 *
 * Rejected deliveries cannot fill the disk: their bodies are cut to REJECTED_BODY_BYTES, and at
 * most REJECTED_KEEP of them are kept (the write that crosses the cap drops the oldest), none
 * older than REJECTED_RETENTION_DAYS (pruned every PRUNE_EVERY batches).
 */
import { errorForLog, isDatabaseUnavailable, isTransientConflict } from "../db/errors";
import { DomainError } from "../errors";
import "server-only";
import { and, count, eq, lt, notInArray, sql } from "drizzle-orm";
import { prepared } from "../db/prepared";
import type { DB, Tx } from "../db/open";
import { webhookDeliveries } from "../db/schema";
import type { DeliveryVerdict } from "../domain";
import { log } from "../log";
import type { ProviderTransaction } from "../providers/types";
import { applyTransactionEvent, type ObservedVia } from "../transactions/apply";
import { changedRows, firstRow, returnedRow } from "../db/query";

export const REJECTED_BODY_BYTES = 4 * 1024;
export const REJECTED_KEEP = 10_000;
const REJECTED_RETENTION_DAYS = 30;
const PRUNE_EVERY = 200;
const inboxLog = log.child({ module: "webhooks" });
/** The verdicts whose bodies are kept whole: verified by the pairing's key. */
const KEPT_WHOLE: readonly DeliveryVerdict[] = ["accepted", "unparsed"];

export type IncomingDelivery = {
  pairingId: number | null;
  merchantId: number | null;
  verdict: DeliveryVerdict;
  httpStatus: number;
  sizeBytes: number;
  body: Buffer | null;
  signatureForm?: "raw" | "sorted" | null;
  reason?: string | null;
  /** For an accepted delivery: what to apply, and through which pairing. */
  apply?: { transactions: ProviderTransaction[]; via: ObservedVia };
};

export type StoredDelivery = { id: number; events: number; processError: string | null };

type Queued = { item: IncomingDelivery; resolve: (s: StoredDelivery) => void; reject: (e: unknown) => void };

/** Deliveries stored per second, this second and the one before (whether a burst is on). */
type Rate = { second: number; count: number; previous: number };
type InboxState = { queue: Queued[]; scheduled: boolean; flushing: boolean; batches: number; rate: Rate };
const globalForInbox = globalThis as unknown as { __pairdeskWebhookInbox?: InboxState };
const state: InboxState = (globalForInbox.__pairdeskWebhookInbox ??= {
  queue: [],
  scheduled: false,
  flushing: false,
  batches: 0,
  rate: { second: 0, count: 0, previous: 0 },
});
state.rate ??= { second: 0, count: 0, previous: 0 };

/**
 * From this many deliveries stored this second and the one before, this process is ingesting a
 * burst (the poller's print slips wait): 15 a second and more, kept up.
 */
export const BURST_DELIVERIES = 30;

function countStored(n: number, now = Date.now()): void {
  const second = Math.floor(now / 1000);
  const r = state.rate;
  if (second !== r.second) {
    r.previous = second === r.second + 1 ? r.count : 0;
    r.second = second;
    r.count = 0;
  }
  r.count += n;
}

/**
 * Whether this process is ingesting a burst of webhooks: BURST_DELIVERIES or more stored this
 * second and the one before, or waiting for their batch now.
 */
export function ingestingBurst(now = Date.now()): boolean {
  const second = Math.floor(now / 1000);
  const r = state.rate;
  const current = second === r.second ? r.count : 0;
  const previous = second === r.second ? r.previous : second === r.second + 1 ? r.count : 0;
  return state.queue.length >= BURST_DELIVERIES || current + previous >= BURST_DELIVERIES;
}

/** Queues a delivery for the next batch; resolves once it is committed. */
export function storeDelivery(db: DB, item: IncomingDelivery): Promise<StoredDelivery> {
  return new Promise((resolve, reject) => {
    state.queue.push({ item, resolve, reject });
    schedule(db);
  });
}

/**
 * One batch in flight at a time: what arrives while a batch is being written waits for the next
 * one, which starts as soon as the first has committed. Under load, batches grow by themselves.
 */
function schedule(db: DB): void {
  if (state.scheduled || state.flushing) return;
  state.scheduled = true;
  setImmediate(() => void flush(db));
}

async function flush(db: DB): Promise<void> {
  state.scheduled = false;
  const batch = state.queue.splice(0);
  if (batch.length === 0) return;
  state.flushing = true;
  const started = performance.now();
  try {
    const results = await writeBatch(
      db,
      batch.map((q) => q.item),
    );
    batch.forEach((q, i) => q.resolve(results[i]!));
    // Refused deliveries do not count: anyone can send those, and they bring no slip to fetch.
    countStored(batch.filter((q) => q.item.verdict === "accepted").length);
    // One line a batch, not one a delivery: under a flood the lines cost the server more than
    // the writes (each delivery is on its row in webhook_deliveries, with its verdict and outcome).
    inboxLog.info(
      {
        deliveries: batch.length,
        accepted: batch.filter((q) => q.item.verdict === "accepted").length,
        events: results.reduce((n, r) => n + r.events, 0),
        unapplied: results.filter((r) => r.processError !== null).length,
        ms: Math.round(performance.now() - started),
      },
      "webhook deliveries stored",
    );
  } catch (err) {
    log.error({ err: errorForLog(err), deliveries: batch.length }, "webhook deliveries could not be stored");
    for (const q of batch) q.reject(err);
  } finally {
    state.flushing = false;
  }
  state.batches += 1;
  if (state.batches % PRUNE_EVERY === 0) {
    try {
      await pruneRejected(db);
    } catch (err) {
      log.warn({ err: (err as Error)?.message }, "rejected webhook deliveries could not be pruned");
    }
  }
  if (state.queue.length > 0) schedule(db);
}

/** Writes deliveries (and applies the accepted ones) in one transaction. Exported for tests. */
export async function writeBatch(db: DB, items: IncomingDelivery[]): Promise<StoredDelivery[]> {
  return db.transaction(
    async (tx) => {
      const stored: StoredDelivery[] = [];
      for (const item of items) {
        const kept = !item.body || KEPT_WHOLE.includes(item.verdict) ? item.body : item.body.subarray(0, REJECTED_BODY_BYTES);
        const now = Date.now();
        const row = await returnedRow(prepared(tx, "inbox.insert", (db) =>
          db
            .insert(webhookDeliveries)
            .values({
              receivedAt: sql`${sql.placeholder("receivedAt")}`,
              pairingId: sql.placeholder("pairingId"),
              merchantId: sql.placeholder("merchantId"),
              verdict: sql.placeholder("verdict"),
              httpStatus: sql.placeholder("httpStatus"),
              sizeBytes: sql.placeholder("sizeBytes"),
              body: sql`${sql.placeholder("body")}`,
              bodyTruncated: sql`${sql.placeholder("bodyTruncated")}`,
              signatureForm: sql.placeholder("signatureForm"),
              reason: sql.placeholder("reason"),
            })
            .returning({ id: webhookDeliveries.id })
            .prepare(),
        ).execute({
          // Raw values (milliseconds, bytes, 0/1): the columns' mappings refuse a null.
          receivedAt: now,
          pairingId: item.pairingId,
          merchantId: item.merchantId,
          verdict: item.verdict,
          httpStatus: item.httpStatus,
          sizeBytes: item.sizeBytes,
          body: kept,
          bodyTruncated: kept !== null && item.body !== null && kept.length < item.body.length ? 1 : 0,
          signatureForm: item.signatureForm ?? null,
          reason: item.reason ?? null,
        }));
        if (!item.apply) {
          stored.push({ id: row.id, events: 0, processError: null });
          continue;
        }
        const applied = await applyDelivery(tx, row.id, item.apply.transactions, item.apply.via, now);
        stored.push({ id: row.id, ...applied });
      }
      // The write that takes the refused deliveries past the cap drops the oldest, so that a
      // flood of them (from many connections at once) never keeps more than REJECTED_KEEP.
      if (items.some((item) => !KEPT_WHOLE.includes(item.verdict))) await trimRejected(tx);
      return stored;
    },
    { behavior: "immediate" },
  );
}

const REJECTED_VERDICTS = () => notInArray(webhookDeliveries.verdict, [...KEPT_WHOLE]);

/** Drops the oldest refused deliveries beyond REJECTED_KEEP; counts first (on the verdict index), so a write under the cap pays little. */
async function trimRejected(db: Tx): Promise<number> {
  const kept = (await firstRow(db.select({ n: count() }).from(webhookDeliveries).where(REJECTED_VERDICTS()).limit(1)))?.n ?? 0;
  if (kept <= REJECTED_KEEP) return 0;
  const cutoff = await firstRow(db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(REJECTED_VERDICTS())
    .orderBy(sql`${webhookDeliveries.id} desc`)
    .limit(1)
    .offset(REJECTED_KEEP));
  return cutoff ? changedRows(await db.delete(webhookDeliveries).where(and(REJECTED_VERDICTS(), sql`${webhookDeliveries.id} <= ${cutoff.id}`))) : 0;
}

/**
 * Applies a delivery's observations inside a savepoint and records the outcome on the delivery.
 * A failure rolls back the observations only.
 */
export async function applyDelivery(
  tx: Tx,
  deliveryId: number,
  transactions: ProviderTransaction[],
  via: ObservedVia,
  now: number,
): Promise<{ events: number; processError: string | null; }> {
  let events = 0;
  let processError: string | null = null;
  const conflicts: string[] = [];
  try {
    await tx.transaction(async (sp) => {
      for (const observation of transactions) {
        const r = await applyTransactionEvent(sp, { observation, via, from: { source: "webhook", deliveryId }, at: now });
        if (r.eventId !== null) events += 1;
        if (r.conflict) conflicts.push(`${observation.transactionId}: ${r.conflict}`);
      }
    });
  } catch (err) {
    // Another transaction's conflict: the engine runs the whole batch again (Postgres), so it is
    // not this delivery's failure and no error line is written for it.
    // The same for a database that went away: the batch fails, and no delivery of it is stored.
    if (isTransientConflict(err) || isDatabaseUnavailable(err)) throw err;
    events = 0;
    conflicts.length = 0;
    const message = (err as Error)?.message ?? "unknown error";
    processError =
      err instanceof DomainError && err.code === "foreign_transaction"
        ? message
        : /pairdesk_rule:/.test(message)
          ? "A database rule refused the change it holds."
          : "It could not be applied (see the server log); it is kept and can be reprocessed.";
    log.error({ deliveryId, err: message }, "an accepted webhook delivery could not be applied");
  }
  await prepared(tx, "inbox.processed", (db) =>
    db
      .update(webhookDeliveries)
      .set({
        processedAt: sql`${sql.placeholder("processedAt")}`,
        eventCount: sql`${sql.placeholder("eventCount")}`,
        processError: sql`${sql.placeholder("processError")}`,
        conflict: sql`${sql.placeholder("conflict")}`,
      })
      .where(eq(webhookDeliveries.id, sql.placeholder("id")))
      .prepare(),
  ).execute({ processedAt: processError ? null : now, eventCount: events, processError, conflict: conflicts.length ? conflicts.join("\n") : null, id: deliveryId });
  return { events, processError };
}

/** Drops rejected deliveries past the retention, and the oldest beyond the cap. */
export async function pruneRejected(db: DB, now = Date.now()): Promise<number> {
  return db.transaction(async (tx) => {
    const old = changedRows(
      await tx.delete(webhookDeliveries).where(and(REJECTED_VERDICTS(), lt(webhookDeliveries.receivedAt, new Date(now - REJECTED_RETENTION_DAYS * 86_400_000)))),
    );
    return old + (await trimRejected(tx));
  });
}
