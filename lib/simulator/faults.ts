/**
 * Test switches: make the next provider call(s) fail the way a real provider can. Each fault
 * is consumed by one call (or `count` calls); faults of the same call are used oldest first.
 *
 * - `<call>_500`: answer 500 `{"detail": "Simulated server error"}` without doing anything.
 * - `<call>_slow`: wait delayMs, then do the work and answer normally; a client that gave up
 *   in the meantime sees a timeout although the call succeeded (pairing made, pairing unpaired).
 * - `pair_malformed`: make the pairing, then answer 200 without `client_secret`.
 */
import { z } from "zod";
import type { SimulatorContext } from "./context";

export const FAULT_KINDS = [
  "pair_500",
  "pair_slow",
  "pair_malformed",
  "token_500",
  "token_slow",
  "unpair_500",
  "unpair_slow",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type ProviderCall = "pair" | "token" | "unpair";

export const MAX_FAULT_DELAY_MS = 300_000;

export type Fault = { id: number; kind: FaultKind; remaining: number; delayMs: number | null; createdAt: number };

/** What setFault accepts (also the JSON body of POST /simulator/api/faults). */
export const faultInputSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  delayMs: z.coerce.number().int().min(0).max(MAX_FAULT_DELAY_MS).optional(),
  count: z.coerce.number().int().min(1).max(100).optional(),
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
};

type FaultRow = { id: number; kind: FaultKind; remaining: number; delay_ms: number | null; created_at: number };

function toFault(row: FaultRow): Fault {
  return { id: row.id, kind: row.kind, remaining: row.remaining, delayMs: row.delay_ms, createdAt: row.created_at };
}

/** Arms a fault. A slow fault without delayMs waits ctx.defaultSlowDelayMs. */
export function setFault(ctx: SimulatorContext, input: FaultInput): Fault {
  const parsed = faultInputSchema.parse(input);
  const delayMs = parsed.kind.endsWith("_slow")
    ? Math.min(parsed.delayMs ?? ctx.defaultSlowDelayMs, MAX_FAULT_DELAY_MS)
    : null;
  const row = ctx.db
    .prepare(
      `INSERT INTO faults (kind, remaining, delay_ms, created_at) VALUES (?, ?, ?, ?)
       RETURNING id, kind, remaining, delay_ms, created_at`,
    )
    .get(parsed.kind, parsed.count ?? 1, delayMs, ctx.now()) as FaultRow;
  return toFault(row);
}

export function clearFaults(ctx: SimulatorContext): void {
  ctx.db.prepare("DELETE FROM faults").run();
}

/** Armed faults, oldest first. */
export function listFaults(ctx: SimulatorContext): Fault[] {
  return (
    ctx.db
      .prepare("SELECT id, kind, remaining, delay_ms, created_at FROM faults ORDER BY id")
      .all() as FaultRow[]
  ).map(toFault);
}

/** Consumes one use of the oldest fault armed for `call`, if any. */
export function takeFault(ctx: SimulatorContext, call: ProviderCall): Fault | null {
  const { db } = ctx;
  return db.transaction(() => {
    const row = db
      .prepare(
        `SELECT id, kind, remaining, delay_ms, created_at FROM faults
         WHERE kind IN (${FAULT_KINDS.filter((k) => k.startsWith(`${call}_`)).map(() => "?").join(", ")})
         ORDER BY id LIMIT 1`,
      )
      .get(...FAULT_KINDS.filter((k) => k.startsWith(`${call}_`))) as FaultRow | undefined;
    if (!row) return null;
    if (row.remaining <= 1) db.prepare("DELETE FROM faults WHERE id = ?").run(row.id);
    else db.prepare("UPDATE faults SET remaining = remaining - 1 WHERE id = ?").run(row.id);
    return toFault(row);
  }).immediate();
}
