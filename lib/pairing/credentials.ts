/** Reading a pairing's credentials out of the vault: for one call, never for a page. */
import "server-only";
import { and, eq } from "drizzle-orm";
import type { DB } from "../db/client";
import { scopeWhere, type Scope } from "../auth/scope";
import { pairings, pairingSecrets, terminals, type Environment, type PairingStatus } from "../db/schema";
import { open, secretContext } from "./vault";
import { firstRow } from "../db/query";

export type PairingCredentials = {
  clientId: string;
  clientSecret: string;
  webhookSecretKey: string | null;
};

export type PairingForCall = {
  id: number;
  status: PairingStatus;
  environment: Environment;
  terminalRef: number;
  terminalId: string;
  /** The merchant the pairing was made for. */
  merchantId: number;
  name: string;
  clientId: string;
};

/** A pairing inside `scope`, by id; another merchant's is not found. */
export async function pairingForCall(db: DB, scope: Scope, pairingId: number): Promise<PairingForCall | undefined> {
  return await firstRow(db
    .select({
      id: pairings.id,
      status: pairings.status,
      environment: terminals.environment,
      terminalRef: pairings.terminalRef,
      terminalId: terminals.terminalId,
      merchantId: pairings.merchantId,
      name: pairings.name,
      clientId: pairings.clientId,
    })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(and(eq(pairings.id, pairingId), scopeWhere(scope, pairings.merchantId))).limit(1));
}

export async function readCredentials(db: DB, pairing: { id: number; clientId: string }): Promise<PairingCredentials> {
  const rows = await db
    .select({
      field: pairingSecrets.field,
      keyId: pairingSecrets.keyId,
      nonce: pairingSecrets.nonce,
      ciphertext: pairingSecrets.ciphertext,
    })
    .from(pairingSecrets)
    .where(eq(pairingSecrets.pairingId, pairing.id));
  const value = (field: "client_secret" | "webhook_secret_key") => {
    const row = rows.find((r) => r.field === field);
    return row ? open(row, secretContext("pairings", pairing.id, field)) : null;
  };
  const clientSecret = value("client_secret");
  if (clientSecret === null) {
    throw new Error(`Pairing ${pairing.id} has no client secret in the vault.`);
  }
  return { clientId: pairing.clientId, clientSecret, webhookSecretKey: value("webhook_secret_key") };
}

