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
import { changedRows, firstRow } from "../db/query";

export const CREDENTIALS_REFUSED_FIX = "Generate a new OTP on the terminal and pair it again (Pair again on its page).";

/** Runs one provider call made with `pairingId`'s credentials, and records what it says of them. */
export async function watchCredentials<T>(db: DB, pairingId: number, call: () => Promise<T>): Promise<T> {
  try {
    const out = await call();
    await credentialsAccepted(db, pairingId);
    return out;
  } catch (err) {
    if (err instanceof ProviderError && err.credentialsRefused) await credentialsRefused(db, pairingId, err.message);
    throw err;
  }
}

async function pairingFacts(db: DB, pairingId: number) {
  return await firstRow(db
    .select({ id: pairings.id, merchantId: pairings.merchantId, name: pairings.name, terminalId: terminals.terminalId, refusedAt: pairings.credentialsRefusedAt })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(eq(pairings.id, pairingId)).limit(1));
}

async function credentialsRefused(db: DB, pairingId: number, reason: string, now = new Date()): Promise<boolean> {
  return db.transaction(
    async (tx) => {
      const marked = changedRows(await tx
        .update(pairings)
        .set({ credentialsRefusedAt: now, credentialsRefusedReason: reason })
        .where(and(eq(pairings.id, pairingId), eq(pairings.status, "active"), isNull(pairings.credentialsRefusedAt))));
      if (marked === 0) return false;
      const p = (await pairingFacts(tx as unknown as DB, pairingId))!;
      await writeAudit(tx, {
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

async function credentialsAccepted(db: DB, pairingId: number): Promise<boolean> {
  // A read first: the common case (nothing to clear) takes no write lock.
  if (!(await pairingFacts(db, pairingId))?.refusedAt) return false;
  return db.transaction(
    async (tx) => {
      const cleared = changedRows(await tx
        .update(pairings)
        .set({ credentialsRefusedAt: null, credentialsRefusedReason: null })
        .where(and(eq(pairings.id, pairingId), isNotNull(pairings.credentialsRefusedAt))));
      if (cleared === 0) return false;
      const p = (await pairingFacts(tx as unknown as DB, pairingId))!;
      await writeAudit(tx, {
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
