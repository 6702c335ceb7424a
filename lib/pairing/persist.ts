/**
 * Writing a successful pair call: terminal (upsert by environment + terminal id), pairing,
 * sealed secrets, the attempt marked succeeded, and the audit entry — all in one transaction.
 * Used by pairTerminal right after the 200 and by the recovery of a spooled result.
 */
import { DomainError } from "../errors";
import "server-only";
import { and, eq, gt, ne } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { DB } from "../db/client";
import {
  merchants,
  pairingAttempts,
  pairings,
  pairingSecrets,
  terminals,
  type Environment,
} from "../db/schema";
import type { PairResult } from "../providers/types";
import { merchantScope } from "../auth/scope";
import { setRoute, unrouteTerminal, type RouteOutcome } from "../registers/routing";
import { seal, secretContext } from "./vault";
import { changedRows, firstRow, NOW_MS, returnedRow } from "../db/query";

export type PersistInput = {
  attemptId: number;
  /** The merchant the terminal is paired into (the attempt's). */
  merchantId: number;
  environment: Environment;
  webhookUrl: string | null;
  webhookToken: string | null;
  result: PairResult;
  /** Who made the pair call (the pairing's creator). */
  createdById: number;
  /** Who is writing it: the creator, or the admin completing a recovery. */
  actor: { id: number; email: string };
  recovered?: boolean;
};

/** The same pair result must never make two pairings: the attempt is already saved (or gone). */
const alreadySaved = (attemptId: number) =>
  new DomainError("already_saved", `Pairing attempt ${attemptId} is already saved, or no longer in the database.`);

export type Persisted = {
  terminalRef: number;
  pairingId: number;
  /** The terminal's earlier active pairing(s), now replaced. */
  replacedPairingIds: number[];
  /** A second look needed: another terminal than meant, or a route that could not be made. */
  warning: string | null;
  /** The register routed in the same write (paired from its page). */
  routed: RouteOutcome | null;
};

/**
 * The merchant was suspended between the check before the pair call and this write: nothing is
 * saved into it (the result stays in the recovery spool until it is reactivated).
 */
const SUSPENDED_WHILE_PAIRING = "The merchant was suspended while the terminal was being paired.";

/** The columns every new pairing row takes from the pair result and the form. */
function pairingValues(input: PersistInput, terminalRef: number) {
  const { result } = input;
  return {
    terminalRef,
    merchantId: input.merchantId,
    payConnectId: result.payConnectId,
    name: result.payConnectName,
    clientId: result.clientId,
    webhookUrl: input.webhookUrl,
    webhookToken: input.webhookToken,
    hasWebhookSecret: result.webhookSecretKey !== null,
  };
}

type PersistTx = Parameters<Parameters<DB["transaction"]>[0]>[0];

/** The recovered pairing, kept as replaced by the terminal's newer active pairing (if it has one). */
async function staleRecovery(tx: PersistTx, input: PersistInput, terminalRef: number, actor: { id: number; email: string }): Promise<Persisted | null> {
  const returnedAt = (await firstRow(tx
    .select({ finishedAt: pairingAttempts.finishedAt })
    .from(pairingAttempts)
    .where(eq(pairingAttempts.id, input.attemptId)).limit(1)))?.finishedAt;
  if (!returnedAt) return null;
  const newer = await firstRow(tx
    .select({ id: pairings.id, name: pairings.name, merchantId: pairings.merchantId })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminalRef), eq(pairings.status, "active"), gt(pairings.createdAt, returnedAt))).limit(1));
  if (!newer) return null;
  const { result } = input;
  // Another merchant's pairing is not named (the warning is read by this attempt's merchant).
  const which = newer.merchantId === input.merchantId ? ` (“${newer.name}”)` : "";
  const warning = `Recovered after the terminal was paired again${which}: that newer pairing stays active, and this one is kept as replaced. Pay-Connect keeps one pairing per terminal, so its credentials no longer work and were not stored.`;
  const pairing = await returnedRow(tx
    .insert(pairings)
    .values({
      ...pairingValues(input, terminalRef),
      status: "replaced",
      replacedById: newer.id,
      endedAt: new Date(),
      attemptId: input.attemptId,
      createdById: input.createdById,
    })
    .returning({ id: pairings.id }));
  const marked = await tx
    .update(pairingAttempts)
    .set({
      status: "succeeded",
      reason: "Completed from the recovery spool.",
      errorCode: null,
      terminalId: result.terminalId,
      pairingId: pairing.id,
      finishedAt: new Date(),
      recoveredAt: new Date(),
      warning,
    })
    .where(and(eq(pairingAttempts.id, input.attemptId), ne(pairingAttempts.status, "succeeded")));
  if (changedRows(marked) !== 1) {
    throw alreadySaved(input.attemptId);
  }
  await writeAudit(tx, {
    actor,
    merchantId: input.merchantId,
    action: "pairing.recover",
    targetType: "pairing",
    targetId: pairing.id,
    details: {
      environment: input.environment,
      terminalId: result.terminalId,
      name: result.payConnectName,
      payConnectId: result.payConnectId,
      attemptId: input.attemptId,
      kept: "replaced: the terminal was paired again since",
    },
  });
  return { terminalRef, pairingId: pairing.id, replacedPairingIds: [], warning, routed: null };
}

export async function persistPairing(db: DB, input: PersistInput): Promise<Persisted> {
  const { result, actor } = input;
  // Immediate: the transaction now reads (the terminal's merchant) before it writes, and a
  // deferred one that has read cannot wait for another writer's lock (SQLite answers "database
  // is locked" at once, without busy_timeout), which turned a busy moment into needs recovery.
  return db.transaction(async (tx) => {
    // Checked again inside the write: a suspension during the pair call wins.
    const merchant = await firstRow(tx.select({ status: merchants.status }).from(merchants).where(eq(merchants.id, input.merchantId)).limit(1));
    if (merchant?.status !== "active") throw new DomainError("merchant_suspended", SUSPENDED_WHILE_PAIRING);
    const before = await firstRow(tx
      .select({ id: terminals.id, merchantId: terminals.merchantId })
      .from(terminals)
      .where(and(eq(terminals.environment, input.environment), eq(terminals.terminalId, result.terminalId))).limit(1));
    // A recovery completed after the terminal was paired again: the newer pairing is the one
    // Pay-Connect holds now (it replaced this one there), so it stays active, the terminal stays
    // where it is, and the recovered pairing is kept as replaced by it, without its dead
    // credentials. Newer: made after this attempt's result came back (the attempt's finish time).
    if (input.recovered && before) {
      const stale = await staleRecovery(tx, input, before.id, actor);
      if (stale) return stale;
    }
    const terminal = await moveTerminalInto(tx, input, before);
    const { pairing, replaced } = await replaceActivePairing(tx, input, terminal.id);
    const meant = await firstRow(
      tx
        .select({ intendedTerminalRef: pairingAttempts.intendedTerminalRef, registerRef: pairingAttempts.registerRef })
        .from(pairingAttempts)
        .where(eq(pairingAttempts.id, input.attemptId))
        .limit(1),
    );
    const warnings: string[] = [];
    const mismatch = await otherTerminalWarning(tx, input, terminal.id, meant?.intendedTerminalRef ?? null, replaced);
    if (mismatch) warnings.push(mismatch);
    await sealSecrets(tx, pairing.id, result);

    const marked = await tx
      .update(pairingAttempts)
      .set({
        status: "succeeded",
        reason: input.recovered ? "Completed from the recovery spool." : null,
        errorCode: null,
        terminalId: result.terminalId,
        pairingId: pairing.id,
        finishedAt: new Date(),
        warning: mismatch,
        ...(input.recovered ? { recoveredAt: new Date() } : {}),
      })
      .where(and(eq(pairingAttempts.id, input.attemptId), ne(pairingAttempts.status, "succeeded")));
    // The same pair result must never make two pairings (a recovery racing the original write,
    // a spool file imported twice): an attempt already succeeded rolls the whole write back.
    if (changedRows(marked) !== 1) {
      throw alreadySaved(input.attemptId);
    }

    await writeAudit(tx, {
      actor,
      merchantId: input.merchantId,
      action: input.recovered ? "pairing.recover" : "pairing.create",
      targetType: "pairing",
      targetId: pairing.id,
      details: {
        environment: input.environment,
        terminalId: result.terminalId,
        name: result.payConnectName,
        payConnectId: result.payConnectId,
        attemptId: input.attemptId,
      },
    });
    let routed: RouteOutcome | null = null;
    if (meant?.registerRef != null) {
      try {
        // A savepoint: a route that cannot be made never undoes the pairing.
        const registerRef = meant.registerRef;
        routed = await tx.transaction((inner) => setRoute(inner, merchantScope(input.merchantId), registerRef, terminal.id, actor));
      } catch (err) {
        const why = err instanceof DomainError ? err.message : "an internal error";
        warnings.push(`The terminal was paired, but the register could not be routed to it (${why}). Route it from the register's page.`);
      }
    }
    const warning = warnings.length > 0 ? warnings.join(" ") : null;
    if (warning !== mismatch) {
      await tx.update(pairingAttempts).set({ warning }).where(eq(pairingAttempts.id, input.attemptId));
    }
    return { terminalRef: terminal.id, pairingId: pairing.id, replacedPairingIds: replaced.map((r) => r.id), warning, routed };
  }, { behavior: "immediate" });
}

type Before = { id: number; merchantId: number } | undefined;
type Replaced = { id: number; merchantId: number; name: string; payConnectId: string }[];

/**
 * The terminal, created or moved into the pairing's merchant: registers of the merchant it
 * leaves are unrouted first, and each merchant gets its own audit entry.
 */
async function moveTerminalInto(tx: PersistTx, input: PersistInput, before: Before): Promise<{ id: number }> {
  const { result, actor } = input;
  // Registers of the merchant the terminal leaves cannot route to another merchant's terminal:
  // they are unrouted first (the database refuses the move otherwise).
  const unroutedByMove =
    before && before.merchantId !== input.merchantId
      ? await unrouteTerminal(tx, before.id, null, "the terminal was paired into another merchant", input.merchantId)
      : 0;
  // The terminal belongs to the merchant it was last paired into: whoever held its screen to
  // read the OTP has it now. Its past pairings keep their own merchant (each merchant sees only
  // its own history on the terminal page).
  const terminal = await returnedRow(tx
    .insert(terminals)
    .values({ merchantId: input.merchantId, environment: input.environment, terminalId: result.terminalId })
    .onConflictDoUpdate({
      target: [terminals.environment, terminals.terminalId],
      set: { merchantId: input.merchantId, updatedAt: NOW_MS },
    })
    .returning({ id: terminals.id }));
  if (before && before.merchantId !== input.merchantId) {
    // One entry for each merchant, neither naming the other nor its people: the merchant the
    // terminal left sees no actor (staff read who in the other entry).
    const details = { environment: input.environment, terminalId: result.terminalId };
    await writeAudit(tx, {
      actor: null,
      merchantId: before.merchantId,
      action: "terminal.merchant_change",
      targetType: "terminal",
      targetId: terminal.id,
      details: {
        ...details,
        change: "paired into another merchant: it left this merchant",
        ...(unroutedByMove > 0 ? { registersUnrouted: unroutedByMove } : {}),
      },
    });
    await writeAudit(tx, {
      actor,
      merchantId: input.merchantId,
      action: "terminal.merchant_change",
      targetType: "terminal",
      targetId: terminal.id,
      details: { ...details, change: "joined this merchant" },
    });
  }

  return terminal;
}

/**
 * The new pairing, replacing the terminal's active one (whose dead secrets are destroyed), with
 * a pairing.replace entry for each one it replaced.
 */
async function replaceActivePairing(tx: PersistTx, input: PersistInput, terminalRef: number): Promise<{ pairing: { id: number }; replaced: Replaced }> {
  const { result, actor } = input;
  // Pay-Connect pairs a terminal once per integration and environment: the new pairing
  // replaces the terminal's active one (assumption 10 in lib/pay-connect/assumptions.ts), whose
  // dead secrets are destroyed. No unpair call is made for it. Registers route to the terminal,
  // not to a pairing: they keep working on the new one.
  const replaced = await tx
    .select({ id: pairings.id, merchantId: pairings.merchantId, name: pairings.name, payConnectId: pairings.payConnectId })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminalRef), eq(pairings.status, "active")));
  for (const old of replaced) {
    await tx.update(pairings)
      .set({
        status: "replaced",
        endedAt: new Date(),
        // Another merchant's pairing is not told who replaced it.
        endedById: old.merchantId === input.merchantId ? actor.id : null,
      })
      .where(eq(pairings.id, old.id));
    await tx.delete(pairingSecrets).where(eq(pairingSecrets.pairingId, old.id));
  }

  const pairing = await returnedRow(tx
    .insert(pairings)
    .values({
      ...pairingValues(input, terminalRef),
      attemptId: input.attemptId,
      createdById: input.createdById,
    })
    .returning({ id: pairings.id }));
  for (const old of replaced) {
    await tx.update(pairings).set({ replacedById: pairing.id }).where(eq(pairings.id, old.id));
    await writeAudit(tx, {
      actor: old.merchantId === input.merchantId ? actor : null,
      merchantId: old.merchantId,
      action: "pairing.replace",
      targetType: "pairing",
      targetId: old.id,
      details: {
        environment: input.environment,
        terminalId: result.terminalId,
        name: old.name,
        ...(old.merchantId === input.merchantId ? { replacedBy: pairing.id } : { change: "paired again into another merchant" }),
      },
    });
  }

  return { pairing, replaced };
}

/** A Pair again answered by another terminal's OTP: the warning that says so, or null. */
async function otherTerminalWarning(tx: PersistTx, input: PersistInput, terminalRef: number, intendedTerminalRef: number | null, replaced: Replaced): Promise<string | null> {
  const { result } = input;
  if (intendedTerminalRef === null || intendedTerminalRef === terminalRef) return null;
  const intended = await firstRow(tx.select({ terminalId: terminals.terminalId }).from(terminals).where(eq(terminals.id, intendedTerminalRef)).limit(1));
  // Which pairing of that terminal it replaced: this merchant's by name, another's without.
  const ended = replaced.map((r) => (r.merchantId === input.merchantId ? `“${r.name}”` : "another merchant's pairing")).join(" and ");
  return (
    `This OTP came from terminal ${result.terminalId}, not from ${intended?.terminalId ?? "the terminal you meant to pair again"}. ` +
    `Pairdesk kept the new pairing of ${result.terminalId} (its credentials cannot be fetched again)` +
    `${ended ? `, which replaced ${ended} on ${result.terminalId}` : ""}; ` +
    `${intended?.terminalId ?? "the other terminal"} was not changed. It took the name typed for ${intended?.terminalId ?? "the other terminal"}. ` +
    `If this was a mistake, unpair ${result.terminalId}.`
  );
}

/** The one-time credentials, sealed with the vault key into pairing_secrets. */
async function sealSecrets(tx: PersistTx, pairingId: number, result: PairResult): Promise<void> {
  const secrets: { field: "client_secret" | "webhook_secret_key"; value: string }[] = [
    { field: "client_secret", value: result.clientSecret },
  ];
  if (result.webhookSecretKey !== null) {
    secrets.push({ field: "webhook_secret_key", value: result.webhookSecretKey });
  }
  for (const s of secrets) {
    const sealed = seal(s.value, secretContext("pairings", pairingId, s.field));
    await tx.insert(pairingSecrets).values({ pairingId: pairingId, field: s.field, ...sealed });
  }

}
