/**
 * Routes: a register sends its payments to at most one terminal, one with an active pairing of
 * its own merchant (held by the database: rules.ts). Routing a register to another terminal
 * moves that register only: the terminal it leaves stays paired for its other registers, and
 * no provider is called.
 */
import { DomainError, notFound } from "../errors";
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import { scopeWhere, type QueryContext, type Scope, scopedCommands } from "../auth/scope";
import type { Tx } from "../db/open";
import { pairings, registers, terminals } from "../db/schema";
import { writableMerchant, type Actor } from "./locations";
import { findRegister, REGISTER_NOT_FOUND } from "./registers";
import { ruleViolation, underRules } from "./rules";
import { firstRow, NOW_MS } from "../db/query";

const TERMINAL_NOT_FOUND = "That terminal does not exist, or it is not in your merchant.";

/** Refused: the register's route is not the one the page showed. */
function routeChanged(): DomainError {
  return new DomainError("route_changed", "This register's route changed since you opened the page. Look at its route again, then choose.");
}

export type RouteOutcome = {
  changed: boolean;
  register: { id: number; name: string };
  from: { ref: number; terminalId: string; otherRegisters: number } | null;
  to: { ref: number; terminalId: string } | null;
};

type Terminal = { id: number; terminalId: string; merchantId: number };

async function terminalInScope(tx: Tx, scope: Scope, ref: number): Promise<Terminal | undefined> {
  return await firstRow(tx
    .select({ id: terminals.id, terminalId: terminals.terminalId, merchantId: terminals.merchantId })
    .from(terminals)
    .where(and(eq(terminals.id, ref), scopeWhere(scope, terminals.merchantId))).limit(1));
}

/** Registers (not archived) routed to a terminal, less one. */
async function othersOn(tx: Tx, terminalRef: number, except: number): Promise<number> {
  return (
    (await firstRow(tx
      .select({ n: count() })
      .from(registers)
      .where(and(eq(registers.terminalRef, terminalRef), ne(registers.id, except))).limit(1)))?.n ?? 0
  );
}

/**
 * Inside a transaction (also the pairing write's, for "pair a new terminal" from a register):
 * routes the register to the terminal, or (terminalRef null) unroutes it. `expected` is the
 * route the user saw (undefined: do not check): a route changed meanwhile is refused.
 */
export async function setRoute(
  tx: Tx,
  scope: Scope,
  registerId: number,
  terminalRef: number | null,
  actor: Actor,
  expected?: number | null,
): Promise<RouteOutcome> {
  const register = await findRegister(tx, scope, registerId);
  if (!register) throw notFound(REGISTER_NOT_FOUND);
  if (register.archivedAt) throw ruleViolation("register_archived");
  await writableMerchant(tx, scope, register.merchantId);
  if (expected !== undefined && register.terminalRef !== expected) throw routeChanged();
  const from = register.terminalRef === null ? null : await terminalInScope(tx, scope, register.terminalRef);
  const fromOut = from ? { ref: from.id, terminalId: from.terminalId, otherRegisters: await othersOn(tx, from.id, register.id) } : null;
  let to: Terminal | null = null;
  if (terminalRef !== null) {
    to = await terminalInScope(tx, scope, terminalRef) ?? null;
    if (!to) throw notFound(TERMINAL_NOT_FOUND);
    if (to.merchantId !== register.merchantId) throw ruleViolation("route_other_merchant");
  }
  const summary = { id: register.id, name: register.name };
  if (register.terminalRef === terminalRef) {
    return { changed: false, register: summary, from: fromOut, to: to && { ref: to.id, terminalId: to.terminalId } };
  }
  await underRules(async () =>
    await tx
      .update(registers)
      .set({
        terminalRef,
        routedAt: terminalRef === null ? null : new Date(),
        updatedAt: NOW_MS,
      })
      .where(and(eq(registers.id, register.id), isNull(registers.archivedAt))),
  );
  await writeAudit(tx, {
    actor,
    merchantId: register.merchantId,
    action: terminalRef === null ? "register.unroute" : "register.route",
    targetType: "register",
    targetId: register.id,
    details: {
      name: register.name,
      ...(fromOut ? { from: fromOut.terminalId, fromKeeps: fromOut.otherRegisters } : {}),
      ...(to ? { to: to.terminalId } : {}),
    },
  });
  return { changed: true, register: summary, from: fromOut, to: to && { ref: to.id, terminalId: to.terminalId } };
}

export async function routeRegister(
  ctx: QueryContext,
  registerId: number,
  terminalRef: number | null,
  actor: Actor,
  expected?: number | null,
): Promise<RouteOutcome> {
  return ctx.db.transaction((tx) => setRoute(tx, ctx.scope, registerId, terminalRef, actor, expected), { behavior: "immediate" });
}

/**
 * Inside the transaction that ends a terminal's pairing (unpair) or moves it to another merchant:
 * the registers routed to it (of one merchant, or of every merchant but `keepMerchant`) become
 * unrouted, with one audit entry per register in its merchant's log. Returns how many.
 */
export async function unrouteTerminal(
  tx: Tx,
  terminalRef: number,
  actor: Actor | null,
  reason: string,
  keepMerchant?: number,
): Promise<number> {
  const routed = await tx
    .select({ id: registers.id, name: registers.name, merchantId: registers.merchantId, terminalId: terminals.terminalId })
    .from(registers)
    .innerJoin(terminals, eq(terminals.id, registers.terminalRef))
    .where(
      and(eq(registers.terminalRef, terminalRef), keepMerchant === undefined ? undefined : ne(registers.merchantId, keepMerchant)),
    );
  for (const r of routed) {
    await tx.update(registers)
      .set({ terminalRef: null, routedAt: null, updatedAt: NOW_MS })
      .where(eq(registers.id, r.id));
    await writeAudit(tx, {
      actor,
      merchantId: r.merchantId,
      action: "register.unroute",
      targetType: "register",
      targetId: r.id,
      details: { name: r.name, from: r.terminalId, reason },
    });
  }
  return routed.length;
}

/** True when the terminal has an active pairing (the one registers route through). */
export async function hasActivePairing(tx: Tx, terminalRef: number): Promise<boolean> {
  return (
    await firstRow(tx
      .select({ id: pairings.id })
      .from(pairings)
      .where(and(eq(pairings.terminalRef, terminalRef), eq(pairings.status, "active"))).limit(1)) !== undefined
  );
}

scopedCommands(routeRegister);
