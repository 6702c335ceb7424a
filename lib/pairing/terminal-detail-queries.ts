import "server-only";
import { alias } from "drizzle-orm/sqlite-core";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { merchants, pairingAttempts, pairings, pairingSecrets, registers, terminals, users } from "../db/schema";
import { scopedQuery, scopeWhere } from "../auth/scope";
import { firstRow } from "../db/query";

/**
 * One terminal and its pairings, or null when it does not exist or belongs to another merchant
 * (the page answers 404 either way). A merchant sees only its own pairings of the terminal: one
 * that changed merchant keeps the other merchant's history apart. A replaced pairing names the
 * pairing that replaced it (when in the scope); `routedRegisterCount` is how many registers route
 * to the terminal (what an unpair would leave unrouted); `warning` is the pairing attempt's.
 */
export const queryTerminalDetail = scopedQuery(async ({ db, scope }, terminalRef: number) => {
  const terminal = await firstRow(db
    .select({
      id: terminals.id,
      environment: terminals.environment,
      terminalId: terminals.terminalId,
      merchantId: terminals.merchantId,
      merchantName: merchants.name,
      merchantStatus: merchants.status,
      createdAt: terminals.createdAt,
      currency: terminals.currency,
      timeZone: terminals.timeZone,
      paymentMethods: terminals.paymentMethods,
      configFetchedAt: terminals.configFetchedAt,
      configError: terminals.configError,
    })
    .from(terminals)
    .innerJoin(merchants, eq(merchants.id, terminals.merchantId))
    .where(and(eq(terminals.id, terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1));
  if (!terminal) return null;
  const creator = alias(users, "creator");
  const ender = alias(users, "ender");
  const pairingMerchant = alias(merchants, "pairing_merchant");
  const replacer = alias(pairings, "replacer");
  const rows = await db
    .select({
      id: pairings.id,
      payConnectId: pairings.payConnectId,
      name: pairings.name,
      clientId: pairings.clientId,
      webhookUrl: pairings.webhookUrl,
      hasWebhookSecret: pairings.hasWebhookSecret,
      status: pairings.status,
      credentialsRefusedAt: pairings.credentialsRefusedAt,
      credentialsRefusedReason: pairings.credentialsRefusedReason,
      merchantId: pairings.merchantId,
      merchantName: pairingMerchant.name,
      createdAt: pairings.createdAt,
      createdBy: creator.email,
      endedAt: pairings.endedAt,
      endedBy: ender.email,
      replacedById: replacer.id,
      replacedByName: replacer.name,
      replacedByCreatedAt: replacer.createdAt,
      // The attempt's warning: a pairing that needs a second look (another terminal answered
      // a "pair again", or its register could not be routed) says so for as long as it is shown.
      warning: pairingAttempts.warning,
      // Pair again answered for this terminal, not the one meant: the name typed was the other's.
      meantAnotherTerminal: sql<boolean>`coalesce(${pairingAttempts.intendedTerminalRef} <> ${pairings.terminalRef}, false)`.mapWith(Boolean),
      // The name typed in the pair form: the pairing's name until it is renamed.
      pairedAs: pairingAttempts.name,
      secretsStored: sql<number>`(select count(*) from ${pairingSecrets} where ${pairingSecrets.pairingId} = ${pairings.id})`,
    })
    .from(pairings)
    .innerJoin(creator, eq(creator.id, pairings.createdById))
    .innerJoin(pairingMerchant, eq(pairingMerchant.id, pairings.merchantId))
    .leftJoin(ender, eq(ender.id, pairings.endedById))
    .leftJoin(replacer, and(eq(replacer.id, pairings.replacedById), scopeWhere(scope, replacer.merchantId)))
    .leftJoin(pairingAttempts, and(eq(pairingAttempts.id, pairings.attemptId), scopeWhere(scope, pairingAttempts.merchantId)))
    .where(and(eq(pairings.terminalRef, terminalRef), scopeWhere(scope, pairings.merchantId)))
    .orderBy(desc(pairings.createdAt), desc(pairings.id));
  const routedRegisterCount =
    (await firstRow(db
      .select({ n: count() })
      .from(registers)
      .where(and(eq(registers.terminalRef, terminalRef), scopeWhere(scope, registers.merchantId))).limit(1)))?.n ?? 0;
  return { terminal, pairings: rows, routedRegisterCount };
});

