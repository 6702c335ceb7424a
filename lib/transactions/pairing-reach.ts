/**
 * Which pairing may act for a merchant's transaction on a terminal: the terminal's active pairing,
 * only when it (and the terminal) belong to that merchant. A terminal paired by another merchant
 * since serves that merchant now; the first merchant's payments on it take no more operations
 * or polls through it. No `server-only`: the poller's child process and the tests import it.
 */
import { and, eq } from "drizzle-orm";
import type { DB, Tx } from "../db/open";
import { pairings, terminals } from "../db/schema";
import type { PairingReach } from "./allowed";
import { firstRow } from "../db/query";

export type Reach = { reach: "own"; pairing: { id: number; clientId: string } } | { reach: Exclude<PairingReach, "own">; pairing: null };

/** The terminal's active pairing, as seen from `merchantId`: only its own may act for it. */
export async function activePairingFor(db: DB | Tx, terminalRef: number, merchantId: number): Promise<Reach> {
  const active = await firstRow(db
    .select({ id: pairings.id, clientId: pairings.clientId, merchantId: pairings.merchantId })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminalRef), eq(pairings.status, "active"))).limit(1));
  const terminal = await firstRow(db.select({ merchantId: terminals.merchantId }).from(terminals).where(eq(terminals.id, terminalRef)).limit(1));
  if (!active) return { reach: "none" as const, pairing: null };
  if (active.merchantId !== merchantId || terminal?.merchantId !== merchantId) return { reach: "elsewhere" as const, pairing: null };
  return { reach: "own" as const, pairing: { id: active.id, clientId: active.clientId } };
}

