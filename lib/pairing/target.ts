/**
 * Where a pairing goes, from the pairing form's hidden fields and the signed-in user: the
 * merchant (a merchant's people: their own; staff: the one chosen), and, when the form was opened
 * from a register's page or as "pair again" of a terminal, that register or terminal, looked up
 * in the user's scope (another merchant's answers "not found"). The register's or terminal's
 * merchant is the pairing's; "pair again" keeps the terminal's environment.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { authorityOf, scopeWhere, type ScopedUser } from "../auth/scope";
import type { DB } from "../db/client";
import { terminals, type Environment } from "../db/schema";
import { merchantToPairInto } from "../merchants/merchants";
import { findRegister, REGISTER_NOT_FOUND } from "../registers/registers";
import { firstRow } from "../db/query";

export type PairingTarget =
  | {
      ok: true;
      merchantId: number;
      environment: Environment;
      registerRef: number | null;
      intendedTerminalRef: number | null;
    }
  | { ok: false; field: "merchantId" | "registerId" | "terminalRef" | "environment"; message: string };

export async function pairingTarget(
  db: DB,
  user: ScopedUser,
  input: { merchantId?: number; registerId?: number; terminalRef?: number; environment: Environment },
): Promise<PairingTarget> {
  const scope = authorityOf(user);
  let chosen = input.merchantId;
  let registerRef: number | null = null;
  let intendedTerminalRef: number | null = null;
  let environment = input.environment;
  if (input.registerId !== undefined && input.terminalRef !== undefined) {
    return { ok: false, field: "registerId", message: "Pair from a register's page or a terminal's page, not both." };
  }
  if (input.registerId !== undefined) {
    const register = await findRegister(db, scope, input.registerId);
    if (!register) return { ok: false, field: "registerId", message: REGISTER_NOT_FOUND };
    if (register.archivedAt) return { ok: false, field: "registerId", message: "This register is archived: it cannot be routed." };
    chosen = register.merchantId;
    registerRef = register.id;
  }
  if (input.terminalRef !== undefined) {
    const terminal = await firstRow(db
      .select({ id: terminals.id, merchantId: terminals.merchantId, environment: terminals.environment })
      .from(terminals)
      .where(and(eq(terminals.id, input.terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1));
    if (!terminal) return { ok: false, field: "terminalRef", message: "That terminal does not exist, or it is not in your merchant." };
    if (terminal.environment !== input.environment) {
      return {
        ok: false,
        field: "environment",
        message: `This terminal is paired in ${terminal.environment}: pair it again in the same environment.`,
      };
    }
    chosen = terminal.merchantId;
    intendedTerminalRef = terminal.id;
    environment = terminal.environment;
  }
  const merchant = await merchantToPairInto(db, user, chosen);
  if (!merchant.ok) return { ok: false, field: "merchantId", message: merchant.message };
  return { ok: true, merchantId: merchant.merchantId, environment, registerRef, intendedTerminalRef };
}
