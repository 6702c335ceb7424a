/**
 * Test switches: make the next provider call(s) fail the way a real provider can. Each fault
 * is consumed by one call (or `count` calls); faults of the same call are used oldest first.
 *
 * - `<call>_500`: answer 500 `{"detail": "Simulated server error"}` without doing anything.
 * - `<call>_slow`: wait delayMs, then do the work and answer normally; a client that gave up
 *   in the meantime sees a timeout although the call succeeded (pairing made, pairing unpaired).
 * - `pair_malformed`: make the pairing, then answer 200 without `client_secret`.
 * - `webhook_drop` / `_duplicate` / `_reorder` (held back delayMs, default 3 s, so that later
 *   changes arrive first) / `_delay` / `_bad_signature`: the next webhook of the terminal.
 *
 * A fault armed with a `terminal_id` applies only to that simulated terminal's calls: for pair,
 * the terminal whose OTP is presented; for token and unpair, the terminal of the pairing whose
 * client credentials or bearer token are used (each screen of the /simulator page arms its own
 * terminal's). A fault without one applies to any terminal's call (only over the API; the E2E
 * suite always scopes its faults, so that tests running side by side never take each other's).
 * A call takes the oldest fault that applies.
 */
import { z } from "zod";
import type { SimulatorContext } from "./context";
import { getTerminal, TERMINAL_ID_PATTERN } from "./terminals";

export const FAULT_KINDS = [
  "pair_500",
  "pair_slow",
  "pair_malformed",
  "token_500",
  "token_slow",
  "unpair_500",
  "unpair_slow",
  "charge_500",
  "charge_slow",
  "status_500",
  "refund_500",
  "cancel_500",
  "revert_500",
  "webhook_drop",
  "webhook_duplicate",
  "webhook_reorder",
  "webhook_delay",
  "webhook_bad_signature",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/**
 * The calls a fault can apply to. charge covers the create calls (charge, preauth, independent
 * refund), status the status poll, revert the operations (revert, preauth completion), webhook
 * the simulator's own webhook sends.
 */
export type ProviderCall = "pair" | "token" | "unpair" | "charge" | "status" | "refund" | "cancel" | "revert" | "webhook";

/** Faults whose delayMs is used. */
function isDelayFault(kind: FaultKind): boolean {
  return kind.endsWith("_slow") || kind === "webhook_delay" || kind === "webhook_reorder";
}

const MAX_FAULT_DELAY_MS = 300_000;

export type Fault = {
  id: number;
  kind: FaultKind;
  remaining: number;
  delayMs: number | null;
  createdAt: number;
  /** The simulated terminal it is scoped to, or null for every terminal. */
  terminalId: string | null;
};

/** What setFault accepts (also the JSON body of POST /simulator/api/faults). */
export const faultInputSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  delayMs: z.coerce.number().int().min(0).max(MAX_FAULT_DELAY_MS).optional(),
  count: z.coerce.number().int().min(1).max(100).optional(),
  terminal_id: z
    .string()
    .regex(TERMINAL_ID_PATTERN, "terminal_id must be a simulated terminal id like SIM-AB12CD34")
    .optional(),
});
export type FaultInput = z.input<typeof faultInputSchema>;

export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  pair_500: "Pair call answers 500",
  pair_slow: "Pair call answers late",
  pair_malformed: "Pair call answers 200 without client_secret",
  token_500: "Token call answers 500",
  token_slow: "Token call answers late",
  unpair_500: "Unpair call answers 500",
  unpair_slow: "Unpair call answers late",
  charge_500: "Charge call answers 500",
  charge_slow: "Charge call answers late",
  status_500: "Status poll answers 500",
  refund_500: "Refund call answers 500",
  cancel_500: "Cancel call answers 500",
  revert_500: "Revert call answers 500",
  webhook_drop: "Next webhook is never sent",
  webhook_duplicate: "Next webhook is sent twice",
  webhook_reorder: "Next webhook is held back, so later ones arrive first",
  webhook_delay: "Next webhook is sent late",
  webhook_bad_signature: "Next webhook has a wrong signature",
};

type FaultRow = {
  id: number;
  kind: FaultKind;
  remaining: number;
  delay_ms: number | null;
  created_at: number;
  terminal_id: string | null;
};
const COLUMNS = "id, kind, remaining, delay_ms, created_at, terminal_id";

function toFault(row: FaultRow): Fault {
  return {
    id: row.id,
    kind: row.kind,
    remaining: row.remaining,
    delayMs: row.delay_ms,
    createdAt: row.created_at,
    terminalId: row.terminal_id,
  };
}

export class UnknownSimulatedTerminalError extends Error {
  constructor(readonly terminalId: string) {
    super(`No simulated terminal ${terminalId}`);
  }
}

/**
 * Arms a fault. A slow fault without delayMs waits ctx.defaultSlowDelayMs. A `terminal_id` must
 * name an existing simulated terminal (UnknownSimulatedTerminalError otherwise).
 */
export function setFault(ctx: SimulatorContext, input: FaultInput): Fault {
  const parsed = faultInputSchema.parse(input);
  const delayMs = isDelayFault(parsed.kind)
    ? Math.min(parsed.delayMs ?? (parsed.kind.startsWith("webhook_") ? 3_000 : ctx.defaultSlowDelayMs), MAX_FAULT_DELAY_MS)
    : null;
  const terminalId = parsed.terminal_id ?? null;
  if (terminalId !== null && !getTerminal(ctx, terminalId)) throw new UnknownSimulatedTerminalError(terminalId);
  const row = ctx.db
    .prepare(
      `INSERT INTO faults (kind, remaining, delay_ms, created_at, terminal_id) VALUES (?, ?, ?, ?, ?)
       RETURNING ${COLUMNS}`,
    )
    .get(parsed.kind, parsed.count ?? 1, delayMs, ctx.now(), terminalId) as FaultRow;
  return toFault(row);
}

/**
 * Clears the faults scoped to `terminalId`, or every fault (scoped or not) when none is given.
 * Clearing one terminal's faults leaves the global ones and other terminals' alone.
 */
export function clearFaults(ctx: SimulatorContext, terminalId?: string): void {
  if (terminalId === undefined) ctx.db.prepare("DELETE FROM faults").run();
  else ctx.db.prepare("DELETE FROM faults WHERE terminal_id = ?").run(terminalId);
}

/** Armed faults, oldest first: all of them, or those scoped to `terminalId`. */
export function listFaults(ctx: SimulatorContext, terminalId?: string): Fault[] {
  const rows =
    terminalId === undefined
      ? ctx.db.prepare(`SELECT ${COLUMNS} FROM faults ORDER BY id`).all()
      : ctx.db.prepare(`SELECT ${COLUMNS} FROM faults WHERE terminal_id = ? ORDER BY id`).all(terminalId);
  return (rows as FaultRow[]).map(toFault);
}

/**
 * Consumes one use of the oldest fault armed for `call` that applies to `terminalId` (scoped to
 * it, or global), if any. With a null terminal (the call names none the simulator knows: a
 * mistyped OTP, unknown credentials) only global faults apply.
 */
export function takeFault(ctx: SimulatorContext, call: ProviderCall, terminalId: string | null): Fault | null {
  const { db } = ctx;
  const kinds = FAULT_KINDS.filter((k) => k.startsWith(`${call}_`));
  return db.transaction(() => {
    const row = db
      .prepare(
        `SELECT ${COLUMNS} FROM faults
         WHERE kind IN (${kinds.map(() => "?").join(", ")}) AND (terminal_id IS NULL OR terminal_id = ?)
         ORDER BY id LIMIT 1`,
      )
      .get(...kinds, terminalId) as FaultRow | undefined;
    if (!row) return null;
    if (row.remaining <= 1) db.prepare("DELETE FROM faults WHERE id = ?").run(row.id);
    else db.prepare("UPDATE faults SET remaining = remaining - 1 WHERE id = ?").run(row.id);
    return toFault(row);
  }).immediate();
}
