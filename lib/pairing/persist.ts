/**
 * Writing a successful pair call: terminal (upsert by environment + terminal id), pairing,
 * sealed secrets, the attempt marked succeeded, and the audit entry — all in one transaction.
 * Used by pairTerminal right after the 200 and by the recovery of a spooled result.
 */
import { DomainError } from "../errors";
import "server-only";
import { and, eq, gt, ne, sql } from "drizzle-orm";
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

type PersistTx = Parameters<Parameters<DB["transaction"]>[0]>[0];

/** The recovered pairing, kept as replaced by the terminal's newer active pairing (if it has one). */
function staleRecovery(tx: PersistTx, input: PersistInput, terminalRef: number, actor: { id: number; email: string }): Persisted | null {
  const returnedAt = tx
    .select({ finishedAt: pairingAttempts.finishedAt })
    .from(pairingAttempts)
    .where(eq(pairingAttempts.id, input.attemptId))
    .get()?.finishedAt;
  if (!returnedAt) return null;
  const newer = tx
    .select({ id: pairings.id, name: pairings.name, merchantId: pairings.merchantId })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminalRef), eq(pairings.status, "active"), gt(pairings.createdAt, returnedAt)))
    .get();
  if (!newer) return null;
  const { result } = input;
  // Another merchant's pairing is not named (the warning is read by this attempt's merchant).
  const which = newer.merchantId === input.merchantId ? ` (“${newer.name}”)` : "";
  const warning = `Recovered after the terminal was paired again${which}: that newer pairing stays active, and this one is kept as replaced. Pay-Connect keeps one pairing per terminal, so its credentials no longer work and were not stored.`;
  const pairing = tx
    .insert(pairings)
    .values({
      terminalRef,
      merchantId: input.merchantId,
      payConnectId: result.payConnectId,
      name: result.payConnectName,
      clientId: result.clientId,
      webhookUrl: input.webhookUrl,
      webhookToken: input.webhookToken,
      hasWebhookSecret: result.webhookSecretKey !== null,
      status: "replaced",
      replacedById: newer.id,
      endedAt: new Date(),
      attemptId: input.attemptId,
      createdById: input.createdById,
    })
    .returning({ id: pairings.id })
    .get();
  const marked = tx
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
    .where(and(eq(pairingAttempts.id, input.attemptId), ne(pairingAttempts.status, "succeeded")))
    .run();
  if (marked.changes !== 1) {
    throw alreadySaved(input.attemptId);
  }
  writeAudit(tx, {
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

export function persistPairing(db: DB, input: PersistInput): Persisted {
  const { result, actor } = input;
  // Immediate: the transaction now reads (the terminal's merchant) before it writes, and a
  // deferred one that has read cannot wait for another writer's lock (SQLite answers "database
  // is locked" at once, without busy_timeout), which turned a busy moment into needs recovery.
  return db.transaction((tx) => {
    // Checked again inside the write: a suspension during the pair call wins.
    const merchant = tx.select({ status: merchants.status }).from(merchants).where(eq(merchants.id, input.merchantId)).get();
    if (merchant?.status !== "active") throw new DomainError("merchant_suspended", SUSPENDED_WHILE_PAIRING);
    const before = tx
      .select({ id: terminals.id, merchantId: terminals.merchantId })
      .from(terminals)
      .where(and(eq(terminals.environment, input.environment), eq(terminals.terminalId, result.terminalId)))
      .get();
    // A recovery completed after the terminal was paired again: the newer pairing is the one
    // Pay-Connect holds now (it replaced this one there), so it stays active, the terminal stays
    // where it is, and the recovered pairing is kept as replaced by it, without its dead
    // credentials. Newer: made after this attempt's result came back (the attempt's finish time).
    if (input.recovered && before) {
      const stale = staleRecovery(tx, input, before.id, actor);
      if (stale) return stale;
    }
    // Registers of the merchant the terminal leaves cannot route to another merchant's terminal:
    // they are unrouted first (the database refuses the move otherwise).
    const unroutedByMove =
      before && before.merchantId !== input.merchantId
        ? unrouteTerminal(tx, before.id, null, "the terminal was paired into another merchant", input.merchantId)
        : 0;
    // The terminal belongs to the merchant it was last paired into: whoever held its screen to
    // read the OTP has it now. Its past pairings keep their own merchant (each merchant sees only
    // its own history on the terminal page).
    const terminal = tx
      .insert(terminals)
      .values({ merchantId: input.merchantId, environment: input.environment, terminalId: result.terminalId })
      .onConflictDoUpdate({
        target: [terminals.environment, terminals.terminalId],
        set: { merchantId: input.merchantId, updatedAt: sql`(unixepoch('subsec') * 1000)` },
      })
      .returning({ id: terminals.id })
      .get();
    if (before && before.merchantId !== input.merchantId) {
      // One entry for each merchant, neither naming the other nor its people: the merchant the
      // terminal left sees no actor (staff read who in the other entry).
      const details = { environment: input.environment, terminalId: result.terminalId };
      writeAudit(tx, {
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
      writeAudit(tx, {
        actor,
        merchantId: input.merchantId,
        action: "terminal.merchant_change",
        targetType: "terminal",
        targetId: terminal.id,
        details: { ...details, change: "joined this merchant" },
      });
    }

    // Pay-Connect pairs a terminal once per integration and environment: the new pairing
    // replaces the terminal's active one (assumption 10 in lib/pay-connect/assumptions.ts), whose
    // dead secrets are destroyed. No unpair call is made for it. Registers route to the terminal,
    // not to a pairing: they keep working on the new one.
    const replaced = tx
      .select({ id: pairings.id, merchantId: pairings.merchantId, name: pairings.name, payConnectId: pairings.payConnectId })
      .from(pairings)
      .where(and(eq(pairings.terminalRef, terminal.id), eq(pairings.status, "active")))
      .all();
    for (const old of replaced) {
      tx.update(pairings)
        .set({
          status: "replaced",
          endedAt: new Date(),
          // Another merchant's pairing is not told who replaced it.
          endedById: old.merchantId === input.merchantId ? actor.id : null,
        })
        .where(eq(pairings.id, old.id))
        .run();
      tx.delete(pairingSecrets).where(eq(pairingSecrets.pairingId, old.id)).run();
    }

    const pairing = tx
      .insert(pairings)
      .values({
        terminalRef: terminal.id,
        merchantId: input.merchantId,
        payConnectId: result.payConnectId,
        name: result.payConnectName,
        clientId: result.clientId,
        webhookUrl: input.webhookUrl,
        webhookToken: input.webhookToken,
        hasWebhookSecret: result.webhookSecretKey !== null,
        attemptId: input.attemptId,
        createdById: input.createdById,
      })
      .returning({ id: pairings.id })
      .get();
    for (const old of replaced) {
      tx.update(pairings).set({ replacedById: pairing.id }).where(eq(pairings.id, old.id)).run();
      writeAudit(tx, {
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

    // What the user meant: "pair again" of one terminal, or pairing from a register's page.
    const meant = tx
      .select({ intendedTerminalRef: pairingAttempts.intendedTerminalRef, registerRef: pairingAttempts.registerRef })
      .from(pairingAttempts)
      .where(eq(pairingAttempts.id, input.attemptId))
      .get();
    const warnings: string[] = [];
    if (meant?.intendedTerminalRef != null && meant.intendedTerminalRef !== terminal.id) {
      const intended = tx
        .select({ terminalId: terminals.terminalId })
        .from(terminals)
        .where(eq(terminals.id, meant.intendedTerminalRef))
        .get();
      // Which pairing of that terminal it replaced: this merchant's by name, another's without.
      const ended = replaced.map((r) => (r.merchantId === input.merchantId ? `“${r.name}”` : "another merchant's pairing")).join(" and ");
      warnings.push(
        `This OTP came from terminal ${result.terminalId}, not from ${intended?.terminalId ?? "the terminal you meant to pair again"}. ` +
          `Pairdesk kept the new pairing of ${result.terminalId} (its credentials cannot be fetched again)` +
          `${ended ? `, which replaced ${ended} on ${result.terminalId}` : ""}; ` +
          `${intended?.terminalId ?? "the other terminal"} was not changed. It took the name typed for ${intended?.terminalId ?? "the other terminal"}. ` +
          `If this was a mistake, unpair ${result.terminalId}.`,
      );
    }
    const mismatch = warnings.length > 0 ? warnings.join(" ") : null;

    const secrets: { field: "client_secret" | "webhook_secret_key"; value: string }[] = [
      { field: "client_secret", value: result.clientSecret },
    ];
    if (result.webhookSecretKey !== null) {
      secrets.push({ field: "webhook_secret_key", value: result.webhookSecretKey });
    }
    for (const s of secrets) {
      const sealed = seal(s.value, secretContext("pairings", pairing.id, s.field));
      tx.insert(pairingSecrets).values({ pairingId: pairing.id, field: s.field, ...sealed }).run();
    }

    const marked = tx
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
      .where(and(eq(pairingAttempts.id, input.attemptId), ne(pairingAttempts.status, "succeeded")))
      .run();
    // The same pair result must never make two pairings (a recovery racing the original write,
    // a spool file imported twice): an attempt already succeeded rolls the whole write back.
    if (marked.changes !== 1) {
      throw alreadySaved(input.attemptId);
    }

    writeAudit(tx, {
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
        routed = tx.transaction((inner) => setRoute(inner, merchantScope(input.merchantId), registerRef, terminal.id, actor));
      } catch (err) {
        const why = err instanceof DomainError ? err.message : "an internal error";
        warnings.push(`The terminal was paired, but the register could not be routed to it (${why}). Route it from the register's page.`);
      }
    }
    const warning = warnings.length > 0 ? warnings.join(" ") : null;
    if (warning !== mismatch) {
      tx.update(pairingAttempts).set({ warning }).where(eq(pairingAttempts.id, input.attemptId)).run();
    }
    return { terminalRef: terminal.id, pairingId: pairing.id, replacedPairingIds: replaced.map((r) => r.id), warning, routed };
  }, { behavior: "immediate" });
}
