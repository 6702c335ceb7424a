/**
 * The simulator's call log: every provider call it answers (pair, token, unpair), with the
 * simulated terminal it concerned (null when none could be determined), the HTTP status answered
 * and the time. Nothing else from the request is kept: never a secret, an OTP or a token. The
 * E2E suite reads it to assert which calls Pairdesk made (e.g. "no unpair call").
 */
import type { SimulatorContext } from "./context";
import type { ProviderCall } from "./faults";

export type SimulatorCall = {
  call: ProviderCall;
  terminalId: string | null;
  status: number;
  /** Milliseconds since the epoch. */
  at: number;
};

/** How many calls the log keeps (the oldest are dropped). */
const CALL_LOG_LIMIT = 10_000;

/**
 * Records one answered call. Never throws: the log is a test aid, and a pair call's answer
 * (credentials made) must not be lost because its log line could not be written.
 */
export function recordCall(ctx: SimulatorContext, call: Omit<SimulatorCall, "at">): void {
  const { db } = ctx;
  try {
    db.transaction(() => {
      const { id } = db
        .prepare("INSERT INTO calls (call, terminal_id, status, at) VALUES (?, ?, ?, ?) RETURNING id")
        .get(call.call, call.terminalId, call.status, ctx.now()) as { id: number };
      if (id % 100 === 0) db.prepare("DELETE FROM calls WHERE id <= ?").run(id - CALL_LOG_LIMIT);
    }).immediate();
  } catch {
    // Left out of the log (e.g. the database busy past its timeout); the answer still goes out.
  }
}

/** The calls that concerned `terminalId`, newest first, at most `limit`. */
export function listCalls(ctx: SimulatorContext, terminalId: string, limit = 200): SimulatorCall[] {
  const rows = ctx.db
    .prepare("SELECT call, terminal_id, status, at FROM calls WHERE terminal_id = ? ORDER BY id DESC LIMIT ?")
    .all(terminalId, limit) as { call: ProviderCall; terminal_id: string | null; status: number; at: number }[];
  return rows.map((r) => ({ call: r.call, terminalId: r.terminal_id, status: r.status, at: r.at }));
}
