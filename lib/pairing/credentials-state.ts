/**
 * "Credentials refused": an active pairing whose credentials the provider no longer takes (a
 * fresh token refused, typically after "Unpair" on the terminal itself). Pairdesk cannot tell
 * that from anything but a refused call, so every call made with a pairing's credentials (an
 * operation, a poll, a configuration read) goes through watchCredentials():
 * - a refusal marks the pairing (once: time, reason, an audit entry): the terminal's page, the
 *   terminals list and the dashboard show it with the fix (pair again with a new OTP), and no
 *   charge is offered;
 * - a later successful call clears it (audited too): the provider took the credentials again.
 * The pairing stays `active` meanwhile (the terminal keeps its one pairing, and pairing again
 * replaces it as usual). No `server-only`: the poller's child process and the tests use it.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { DB } from "../db/open";
import { pairings, terminals } from "../db/schema";
import { ProviderError } from "../providers/types";

export const CREDENTIALS_REFUSED_FIX = "Generate a new OTP on the terminal and pair it again (Pair again on its page).";

/** Runs one provider call made with `pairingId`'s credentials, and records what it says of them. */
export async function watchCredentials<T>(db: DB, pairingId: number, call: () => Promise<T>): Promise<T> {
  try {
    const out = await call();
    credentialsAccepted(db, pairingId);
    return out;
  } catch (err) {
    if (err instanceof ProviderError && err.credentialsRefused) credentialsRefused(db, pairingId, err.message);
    throw err;
  }
}

function pairingFacts(db: DB, pairingId: number) {
  return db
    .select({ id: pairings.id, merchantId: pairings.merchantId, name: pairings.name, terminalId: terminals.terminalId, refusedAt: pairings.credentialsRefusedAt })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(eq(pairings.id, pairingId))
    .get();
}

function credentialsRefused(db: DB, pairingId: number, reason: string, now = new Date()): boolean {
  return db.transaction(
    (tx) => {
      const marked = tx
        .update(pairings)
        .set({ credentialsRefusedAt: now, credentialsRefusedReason: reason })
        .where(and(eq(pairings.id, pairingId), eq(pairings.status, "active"), isNull(pairings.credentialsRefusedAt)))
        .run().changes;
      if (marked === 0) return false;
      const p = pairingFacts(tx as unknown as DB, pairingId)!;
      writeAudit(tx, {
        actor: null,
        merchantId: p.merchantId,
        action: "pairing.credentials_refused",
        targetType: "pairing",
        targetId: p.id,
        details: { terminal: p.terminalId, pairing: p.name, reason },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

function credentialsAccepted(db: DB, pairingId: number): boolean {
  // A read first: the common case (nothing to clear) takes no write lock.
  if (!pairingFacts(db, pairingId)?.refusedAt) return false;
  return db.transaction(
    (tx) => {
      const cleared = tx
        .update(pairings)
        .set({ credentialsRefusedAt: null, credentialsRefusedReason: null })
        .where(and(eq(pairings.id, pairingId), isNotNull(pairings.credentialsRefusedAt)))
        .run().changes;
      if (cleared === 0) return false;
      const p = pairingFacts(tx as unknown as DB, pairingId)!;
      writeAudit(tx, {
        actor: null,
        merchantId: p.merchantId,
        action: "pairing.credentials_accepted",
        targetType: "pairing",
        targetId: p.id,
        details: { terminal: p.terminalId, pairing: p.name },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}
