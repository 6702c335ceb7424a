/**
 * Unpairing: get a token with the pairing's own credentials, call unpair, then mark the pairing
 * unpaired and destroy its secrets. A provider failure changes nothing but leaves an audit record.
 */
import "server-only";
import { eq } from "drizzle-orm";
import { writeAudit } from "../audit";
import type { DB } from "../db/client";
import { pairings, pairingSecrets } from "../db/schema";
import { log } from "../log";
import { PayConnectError, type PayConnectClient } from "../pay-connect";
import { pairingForCall, readCredentials } from "./credentials";

export type UnpairOutcome = { ok: true; terminalRef: number } | { ok: false; code: string; message: string };

export async function unpairPairing(
  db: DB,
  clientFor: (environment: "production" | "sandbox") => PayConnectClient,
  pairingId: number,
  actor: { id: number; email: string },
): Promise<UnpairOutcome> {
  const pairing = pairingForCall(db, pairingId);
  if (!pairing) return { ok: false, code: "not_found", message: "That pairing does not exist." };
  if (pairing.status !== "active") {
    return { ok: false, code: "not_active", message: `This pairing is already ${pairing.status}: there is nothing to unpair.` };
  }
  const details = { environment: pairing.environment, terminalId: pairing.terminalId, name: pairing.name };
  try {
    const creds = readCredentials(db, pairing);
    await clientFor(pairing.environment).unpair({ clientId: creds.clientId, clientSecret: creds.clientSecret });
  } catch (err) {
    const message =
      err instanceof PayConnectError
        ? `${err.message} The pairing was not changed.`
        : "The pairing's credentials could not be read from the vault. The pairing was not changed.";
    const code = err instanceof PayConnectError ? err.code : "vault";
    writeAudit(db, { actor, action: "pairing.unpair_failed", targetType: "pairing", targetId: pairingId, details: { ...details, code } });
    log.warn({ event: "unpair_failed", pairingId, code }, "unpair failed");
    return { ok: false, code, message };
  }
  db.transaction((tx) => {
    tx.update(pairings)
      .set({ status: "unpaired", endedAt: new Date(), endedById: actor.id })
      .where(eq(pairings.id, pairingId))
      .run();
    tx.delete(pairingSecrets).where(eq(pairingSecrets.pairingId, pairingId)).run();
    writeAudit(tx, { actor, action: "pairing.unpair", targetType: "pairing", targetId: pairingId, details });
  });
  log.info({ event: "unpaired", pairingId }, "pairing unpaired");
  return { ok: true, terminalRef: pairing.terminalRef };
}
