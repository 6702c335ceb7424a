/**
 * Unpairing: the provider ends the pairing with its own credentials, then Pairdesk marks it
 * unpaired and destroys its secrets. A provider failure changes nothing but leaves an audit
 * record; "unauthorized" means the provider already ended the pairing (for Pay-Connect see
 * lib/pay-connect/assumptions.ts), so it is marked unpaired here too.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit";
import type { QueryContext } from "../data/scope";
import { pairings, pairingSecrets } from "../db/schema";
import { log } from "../log";
import { ProviderError, type PairingProvider, type ProviderEnvironment } from "../providers/types";
import { pairingForCall, readCredentials } from "./credentials";

export type UnpairOutcome =
  | { ok: true; terminalRef: number; message: string }
  | { ok: false; code: string; message: string };

export const UNPAIRED_MESSAGE = "The terminal was unpaired and the pairing's credentials were destroyed.";
export const ALREADY_ENDED_MESSAGE =
  "The payment provider no longer accepts this pairing's credentials: it was already ended on its side (for example unpaired on the terminal). Pairdesk marked it unpaired and destroyed its credentials.";

export async function unpairPairing(
  { db, scope }: QueryContext,
  providerFor: (environment: ProviderEnvironment) => PairingProvider,
  pairingId: number,
  actor: { id: number; email: string },
): Promise<UnpairOutcome> {
  const pairing = pairingForCall(db, scope, pairingId);
  if (!pairing) return { ok: false, code: "not_found", message: "That pairing does not exist." };
  if (pairing.status !== "active") {
    return { ok: false, code: "not_active", message: `This pairing is already ${pairing.status}: there is nothing to unpair.` };
  }
  const details = { environment: pairing.environment, terminalId: pairing.terminalId, name: pairing.name };
  let alreadyEnded = false;
  const provider = providerFor(pairing.environment);
  if (!provider.unpair) {
    return {
      ok: false,
      code: "unsupported",
      message: `${provider.label} has no unpair call: unpair the terminal on its own screen. The pairing was not changed.`,
    };
  }
  try {
    const creds = readCredentials(db, pairing);
    await provider.unpair({ clientId: creds.clientId, clientSecret: creds.clientSecret });
  } catch (err) {
    if (err instanceof ProviderError && err.code === "unauthorized") {
      alreadyEnded = true;
    } else {
      const message =
        err instanceof ProviderError
          ? `${err.message} The pairing was not changed.`
          : "The pairing's credentials could not be read from the vault. The pairing was not changed.";
      const code = err instanceof ProviderError ? err.code : "vault";
      writeAudit(db, {
        actor,
        merchantId: pairing.merchantId,
        action: "pairing.unpair_failed",
        targetType: "pairing",
        targetId: pairingId,
        details: { ...details, code },
      });
      log.warn({ event: "unpair_failed", pairingId, code }, "unpair failed");
      return { ok: false, code, message };
    }
  }
  const changed = db.transaction((tx) => {
    const updated = tx
      .update(pairings)
      .set({ status: "unpaired", endedAt: new Date(), endedById: actor.id })
      .where(and(eq(pairings.id, pairingId), eq(pairings.status, "active")))
      .run().changes;
    if (updated === 0) return false; // someone else ended it meanwhile
    tx.delete(pairingSecrets).where(eq(pairingSecrets.pairingId, pairingId)).run();
    writeAudit(tx, {
      actor,
      merchantId: pairing.merchantId,
      action: "pairing.unpair",
      targetType: "pairing",
      targetId: pairingId,
      details: alreadyEnded ? { ...details, remote: "already_ended" } : details,
    });
    return true;
  });
  if (!changed) {
    return { ok: false, code: "not_active", message: "This pairing was ended by someone else meanwhile: there is nothing to unpair." };
  }
  log.info({ event: "unpaired", pairingId, alreadyEnded }, "pairing unpaired");
  return { ok: true, terminalRef: pairing.terminalRef, message: alreadyEnded ? ALREADY_ENDED_MESSAGE : UNPAIRED_MESSAGE };
}
