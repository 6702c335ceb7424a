/**
 * Writing a successful pair call: terminal (upsert by environment + terminal id), pairing,
 * sealed secrets, the attempt marked succeeded, and the audit entry — all in one transaction.
 * Used by pairTerminal right after the 200 and by the recovery of a spooled result.
 */
import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { writeAudit } from "../audit";
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
import { seal, secretContext } from "../vault";

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

export class AlreadySavedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AlreadySavedError";
  }
}

export type Persisted = { terminalRef: number; pairingId: number };

/**
 * The merchant was suspended between the check before the pair call and this write: nothing is
 * saved into it (the result stays in the recovery spool until it is reactivated).
 */
export class MerchantSuspendedError extends Error {
  constructor() {
    super("The merchant was suspended while the terminal was being paired.");
    this.name = "MerchantSuspendedError";
  }
}

export function persistPairing(db: DB, input: PersistInput): Persisted {
  const { result, actor } = input;
  // Immediate: the transaction now reads (the terminal's merchant) before it writes, and a
  // deferred one that has read cannot wait for another writer's lock (SQLite answers "database
  // is locked" at once, without busy_timeout), which turned a busy moment into needs recovery.
  return db.transaction((tx) => {
    // Checked again inside the write: a suspension during the pair call wins.
    const merchant = tx.select({ status: merchants.status }).from(merchants).where(eq(merchants.id, input.merchantId)).get();
    if (merchant?.status !== "active") throw new MerchantSuspendedError();
    const before = tx
      .select({ id: terminals.id, merchantId: terminals.merchantId })
      .from(terminals)
      .where(and(eq(terminals.environment, input.environment), eq(terminals.terminalId, result.terminalId)))
      .get();
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
        details: { ...details, change: "paired into another merchant: it left this merchant" },
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

    // A pair call that returns a pay_connect_id we already hold replaces that pairing's
    // credentials (assumption kept with the others in lib/pay-connect/): the old pairing is
    // superseded and its dead secrets destroyed.
    const replaced = tx
      .update(pairings)
      .set({ status: "superseded", endedAt: new Date(), endedById: actor.id })
      .where(
        and(
          eq(pairings.terminalRef, terminal.id),
          eq(pairings.payConnectId, result.payConnectId),
          eq(pairings.status, "active"),
        ),
      )
      .returning({ id: pairings.id })
      .all();
    if (replaced.length > 0) {
      tx.delete(pairingSecrets)
        .where(inArray(pairingSecrets.pairingId, replaced.map((r) => r.id)))
        .run();
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
        ...(input.recovered ? { recoveredAt: new Date() } : {}),
      })
      .where(and(eq(pairingAttempts.id, input.attemptId), ne(pairingAttempts.status, "succeeded")))
      .run();
    // The same pair result must never make two pairings (a recovery racing the original write,
    // a spool file imported twice): an attempt already succeeded rolls the whole write back.
    if (marked.changes !== 1) {
      throw new AlreadySavedError(`Pairing attempt ${input.attemptId} is already saved, or no longer in the database.`);
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
    return { terminalRef: terminal.id, pairingId: pairing.id };
  }, { behavior: "immediate" });
}
