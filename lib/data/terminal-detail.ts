import "server-only";
import { alias } from "drizzle-orm/sqlite-core";
import { desc, eq, sql } from "drizzle-orm";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { pairings, pairingSecrets, terminals, users } from "../db/schema";

export function queryTerminalDetail(db: DB, terminalRef: number) {
  const terminal = db
    .select({
      id: terminals.id,
      environment: terminals.environment,
      terminalId: terminals.terminalId,
      createdAt: terminals.createdAt,
    })
    .from(terminals)
    .where(eq(terminals.id, terminalRef))
    .get();
  if (!terminal) return null;
  const creator = alias(users, "creator");
  const ender = alias(users, "ender");
  const rows = db
    .select({
      id: pairings.id,
      payConnectId: pairings.payConnectId,
      name: pairings.name,
      clientId: pairings.clientId,
      webhookUrl: pairings.webhookUrl,
      hasWebhookSecret: pairings.hasWebhookSecret,
      status: pairings.status,
      createdAt: pairings.createdAt,
      createdBy: creator.email,
      endedAt: pairings.endedAt,
      endedBy: ender.email,
      secretsStored: sql<number>`(select count(*) from ${pairingSecrets} where ${pairingSecrets.pairingId} = ${pairings.id})`,
    })
    .from(pairings)
    .innerJoin(creator, eq(creator.id, pairings.createdById))
    .leftJoin(ender, eq(ender.id, pairings.endedById))
    .where(eq(pairings.terminalRef, terminalRef))
    .orderBy(desc(pairings.createdAt), desc(pairings.id))
    .all();
  return { terminal, pairings: rows };
}

export type TerminalDetail = NonNullable<ReturnType<typeof queryTerminalDetail>>;

export async function getTerminalDetail(terminalRef: number) {
  await requireUser("terminals:read");
  return queryTerminalDetail(getDb(), terminalRef);
}
