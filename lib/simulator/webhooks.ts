/**
 * The simulator's webhooks: each status change of a simulated transaction is sent to its
 * pairing's webhook_url as Pay-Connect would: a JSON array with the transaction object, signed
 * in the `Signature` header (hex HMAC-SHA256 of the exact body, keyed with the pairing's
 * webhook_secret_key). From an outbox table, so that a restart loses nothing (pending ones are
 * resumed on the next use). 200 and 403 end a delivery; anything else (400, 500, no answer) is
 * retried 5 times, after 5 s, 10 s, 20 s, 40 s and 80 s (times SIMULATOR_WEBHOOK_RETRY_SCALE),
 * then given up (recorded as failed). Faults (per terminal, ./faults.ts): webhook_drop (never
 * sent), webhook_duplicate (sent twice), webhook_reorder and webhook_delay (held back delayMs),
 * webhook_bad_signature (signed with a wrong key).
 */
import { hmacHex } from "../pay-connect/webhook";
import { SIGNATURE_HEADER } from "../pay-connect/wire";
import type { SimulatorContext } from "./context";
import { takeFault } from "./faults";
import { transactionObject, type SimTransaction } from "./payment-rows";

export const RETRY_DELAYS_MS = [5_000, 10_000, 20_000, 40_000, 80_000];
const WEBHOOK_TIMEOUT_MS = 5_000;

export const WEBHOOKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_webhooks (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  pay_connect_id TEXT NOT NULL,
  terminal_id    TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  tx_status      TEXT NOT NULL,
  url            TEXT NOT NULL,
  body           TEXT NOT NULL,
  signature      TEXT NOT NULL,
  -- pending, delivered (200), rejected (403), failed (retries used up), dropped (fault)
  state          TEXT NOT NULL,
  fault          TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  next_at        INTEGER NOT NULL,
  last_status    INTEGER,
  last_error     TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sim_webhooks_pending_idx ON sim_webhooks(state, next_at);
CREATE INDEX IF NOT EXISTS sim_webhooks_terminal_idx ON sim_webhooks(terminal_id, id);
`;

export type SimWebhook = {
  id: number;
  transaction_id: string;
  tx_status: string;
  state: string;
  fault: string | null;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
};

/** Queues the webhook of `t`'s current state, if its pairing has a webhook URL. Call inside the change's transaction. */
export function enqueueWebhook(ctx: SimulatorContext, t: SimTransaction): void {
  const pairing = ctx.db
    .prepare("SELECT webhook_url, webhook_secret_key FROM pairings WHERE pay_connect_id = ?")
    .get(t.pay_connect_id) as { webhook_url: string | null; webhook_secret_key: string | null } | undefined;
  if (!pairing?.webhook_url) return;
  const body = JSON.stringify([transactionObject(t)]);
  const fault = takeFault(ctx, "webhook", t.terminal_id);
  const key = fault?.kind === "webhook_bad_signature" ? "not-the-webhook-secret-key" : (pairing.webhook_secret_key ?? "");
  const signature = hmacHex(key, body);
  const now = ctx.now();
  const held = fault && (fault.kind === "webhook_delay" || fault.kind === "webhook_reorder") ? (fault.delayMs ?? 3_000) : 0;
  const insert = ctx.db.prepare(
    `INSERT INTO sim_webhooks (pay_connect_id, terminal_id, transaction_id, tx_status, url, body, signature, state, fault,
       next_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const copies = fault?.kind === "webhook_duplicate" ? 2 : 1;
  for (let i = 0; i < copies; i++) {
    insert.run(
      t.pay_connect_id,
      t.terminal_id,
      t.transaction_id,
      t.status,
      pairing.webhook_url,
      body,
      signature,
      fault?.kind === "webhook_drop" ? "dropped" : "pending",
      fault?.kind ?? null,
      now + held,
      now,
      now,
    );
  }
  kick(ctx, held);
}

const globalForSender = globalThis as unknown as { __pairdeskSimWebhookTimer?: NodeJS.Timeout | null; __pairdeskSimWebhookBusy?: boolean };

/** Makes sure the sender runs within `ms` (one timer per process). */
function kick(ctx: SimulatorContext, ms = 0): void {
  if (ctx.schedule) {
    ctx.schedule(ms, () => void deliverDue(ctx));
    return;
  }
  if (globalForSender.__pairdeskSimWebhookTimer) clearTimeout(globalForSender.__pairdeskSimWebhookTimer);
  const timer = setTimeout(() => {
    globalForSender.__pairdeskSimWebhookTimer = null;
    void deliverDue(ctx);
  }, Math.max(0, ms));
  timer.unref?.();
  globalForSender.__pairdeskSimWebhookTimer = timer;
}

type Due = { id: number; url: string; body: string; signature: string; attempts: number };

/** Sends every pending webhook that is due, oldest first, then schedules the next one. */
export async function deliverDue(ctx: SimulatorContext): Promise<number> {
  if (globalForSender.__pairdeskSimWebhookBusy && !ctx.schedule) return 0;
  globalForSender.__pairdeskSimWebhookBusy = true;
  let sent = 0;
  try {
    for (;;) {
      const due = ctx.db
        .prepare("SELECT id, url, body, signature, attempts FROM sim_webhooks WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT 20")
        .all(ctx.now()) as Due[];
      if (due.length === 0) break;
      await Promise.all(due.map((d) => sendOne(ctx, d)));
      sent += due.length;
    }
  } catch {
    // The database went away (a test closed it): nothing more to send.
    return sent;
  } finally {
    globalForSender.__pairdeskSimWebhookBusy = false;
  }
  try {
    const next = ctx.db.prepare("SELECT min(next_at) AS at FROM sim_webhooks WHERE state = 'pending'").get() as { at: number | null };
    if (next.at !== null) kick(ctx, next.at - ctx.now());
  } catch {
    // closed
  }
  return sent;
}

async function sendOne(ctx: SimulatorContext, d: Due): Promise<void> {
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await (ctx.fetch ?? fetch)(d.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", [SIGNATURE_HEADER]: d.signature, "User-Agent": "Pay-Connect-Simulator" },
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel().catch(() => undefined);
  } catch (err) {
    error = (err as Error)?.name === "TimeoutError" ? "no answer in time" : "connection failed";
  }
  const attempts = d.attempts + 1;
  const now = ctx.now();
  let state = "pending";
  let nextAt = now;
  if (status === 200) state = "delivered";
  else if (status === 403) state = "rejected";
  else if (attempts > RETRY_DELAYS_MS.length) state = "failed";
  else nextAt = now + Math.round(RETRY_DELAYS_MS[attempts - 1]! * (ctx.webhookRetryScale ?? 1));
  ctx.db
    .prepare("UPDATE sim_webhooks SET state = ?, attempts = ?, next_at = ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?")
    .run(state, attempts, nextAt, status, error, now, d.id);
}

/** The terminal's latest webhooks, newest first. */
export function terminalWebhooks(ctx: SimulatorContext, terminalId: string, limit = 50): SimWebhook[] {
  return ctx.db
    .prepare(
      `SELECT id, transaction_id, tx_status, state, fault, attempts, last_status, last_error, created_at, updated_at
       FROM sim_webhooks WHERE terminal_id = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(terminalId, limit) as SimWebhook[];
}

/** Resumes pending webhooks after a restart (once per process). */
export function resumeWebhooks(ctx: SimulatorContext): void {
  const g = globalThis as unknown as { __pairdeskSimWebhooksResumed?: boolean };
  if (g.__pairdeskSimWebhooksResumed || ctx.schedule) return;
  g.__pairdeskSimWebhooksResumed = true;
  kick(ctx, 0);
}
