/**
 * Unpairing: the provider ends the pairing with its own credentials, then Pairdesk marks it
 * unpaired and destroys its secrets. A provider failure changes nothing but leaves an audit
 * record; "unauthorized" means the provider already ended the pairing (for Pay-Connect see
 * lib/pay-connect/assumptions.ts), so it is marked unpaired here too.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import { scopedCommands, type QueryContext } from "../auth/scope";
import { pairings, pairingSecrets } from "../db/schema";
import { log } from "../log";
import { ProviderError, type PairingProvider, type ProviderEnvironment } from "../providers/types";
import { unrouteTerminal } from "../registers/routing";
import { pairingForCall, readCredentials } from "./credentials";
import { changedRows } from "../db/query";

export type UnpairOutcome =
  | { ok: true; terminalRef: number; unrouted: number; message: string }
  | { ok: false; code: string; message: string };

const UNPAIRED_MESSAGE = "The terminal was unpaired and the pairing's credentials were destroyed.";
export const ALREADY_ENDED_MESSAGE =
  "The payment provider no longer accepts this pairing's credentials: it was already ended on its side (for example unpaired on the terminal). Pairdesk marked it unpaired and destroyed its credentials.";

/** "3 registers that sent their payments to it are now unrouted: route them to another terminal." */
function unroutedSentence(n: number): string {
  return n === 1
    ? "1 register that sent its payments to it is now unrouted: route it to another terminal."
    : `${n} registers that sent their payments to it are now unrouted: route them to another terminal.`;
}

export async function unpairPairing(
  { db, scope }: QueryContext,
  providerFor: (environment: ProviderEnvironment) => PairingProvider,
  pairingId: number,
  actor: { id: number; email: string },
): Promise<UnpairOutcome> {
  const pairing = await pairingForCall(db, scope, pairingId);
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
    const creds = await readCredentials(db, pairing);
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
      await writeAudit(db, {
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
  const ENDED_MEANWHILE = Symbol("ended meanwhile");
  let changed: { unrouted: number } | null;
  try {
    changed = await db.transaction(async (tx) => {
      // The registers that route to the terminal are unrouted in the same write (the database
      // refuses to end a pairing that registers still route through): never left pointing at a
      // dead pairing.
      const unrouted = await unrouteTerminal(tx, pairing.terminalRef, actor, "the terminal was unpaired");
      const updated = changedRows(await tx
        .update(pairings)
        .set({ status: "unpaired", endedAt: new Date(), endedById: actor.id })
        .where(and(eq(pairings.id, pairingId), eq(pairings.status, "active"))));
      // Someone else ended it meanwhile: thrown, so that the routes stay as they were.
      if (updated === 0) throw ENDED_MEANWHILE;
      await tx.delete(pairingSecrets).where(eq(pairingSecrets.pairingId, pairingId));
      await writeAudit(tx, {
        actor,
        merchantId: pairing.merchantId,
        action: "pairing.unpair",
        targetType: "pairing",
        targetId: pairingId,
        details: {
          ...details,
          ...(alreadyEnded ? { remote: "already_ended" } : {}),
          ...(unrouted > 0 ? { registersUnrouted: unrouted } : {}),
        },
      });
      return { unrouted };
    }, { behavior: "immediate" });
  } catch (err) {
    if (err !== ENDED_MEANWHILE) throw err;
    changed = null;
  }
  if (!changed) {
    return { ok: false, code: "not_active", message: "This pairing was ended by someone else meanwhile: there is nothing to unpair." };
  }
  log.info({ event: "unpaired", pairingId, alreadyEnded }, "pairing unpaired");
  const message = alreadyEnded ? ALREADY_ENDED_MESSAGE : UNPAIRED_MESSAGE;
  return {
    ok: true,
    terminalRef: pairing.terminalRef,
    unrouted: changed.unrouted,
    message: changed.unrouted > 0 ? `${message} ${unroutedSentence(changed.unrouted)}` : message,
  };
}

scopedCommands(unpairPairing);
