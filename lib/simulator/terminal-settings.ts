/**
 * A simulated terminal's switches for its payments: auto-approve, and how long an open payment
 * waits before it EXPIRES.
 */
import type { SimulatorContext } from "./context";

export const DEFAULT_PAYMENT_EXPIRY_MS = 5 * 60_000;
/** A payment must outlive auto-approval: shorter expiries are refused. */
export const MIN_PAYMENT_EXPIRY_MS = 2_000;

export type TerminalSettings = { autoApprove: boolean; paymentExpiryMs: number };

/** A terminal's switches: auto-approve (off unless set) and how long an open payment waits. */
export function terminalSettings(ctx: SimulatorContext, terminalId: string): TerminalSettings {
  const row = ctx.db.prepare("SELECT auto_approve, payment_expiry_ms FROM sim_terminal_settings WHERE terminal_id = ?").get(terminalId) as
    | { auto_approve: number; payment_expiry_ms: number | null }
    | undefined;
  return {
    autoApprove: row?.auto_approve === 1,
    paymentExpiryMs: row?.payment_expiry_ms ?? ctx.paymentExpiryMs ?? DEFAULT_PAYMENT_EXPIRY_MS,
  };
}

export function autoApprove(ctx: SimulatorContext, terminalId: string): boolean {
  return terminalSettings(ctx, terminalId).autoApprove;
}

export function setTerminalSettings(ctx: SimulatorContext, terminalId: string, change: { autoApprove?: boolean; paymentExpiryMs?: number | null }): void {
  const current = ctx.db.prepare("SELECT auto_approve, payment_expiry_ms FROM sim_terminal_settings WHERE terminal_id = ?").get(terminalId) as
    | { auto_approve: number; payment_expiry_ms: number | null }
    | undefined;
  const auto = change.autoApprove === undefined ? (current?.auto_approve ?? 0) : change.autoApprove ? 1 : 0;
  const expiry = change.paymentExpiryMs === undefined ? (current?.payment_expiry_ms ?? null) : change.paymentExpiryMs;
  ctx.db
    .prepare(
      `INSERT INTO sim_terminal_settings (terminal_id, auto_approve, payment_expiry_ms) VALUES (?, ?, ?)
       ON CONFLICT(terminal_id) DO UPDATE SET auto_approve = excluded.auto_approve, payment_expiry_ms = excluded.payment_expiry_ms`,
    )
    .run(terminalId, auto, expiry);
}

export function setAutoApprove(ctx: SimulatorContext, terminalId: string, on: boolean): void {
  setTerminalSettings(ctx, terminalId, { autoApprove: on });
}
