/**
 * Registers and virtual registers: create, edit (name, external reference), archive. A register
 * belongs to the merchant of its location; its register ID (a UUID, what the POS sends), kind,
 * location and parent never change (the database refuses it: rules.ts).
 */
import { DomainError, notFound } from "../errors";
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import { scopeWhere, type QueryContext, type Scope, scopedCommands } from "../auth/scope";
import type { DB, Tx } from "../db/open";
import { registers, terminals, type RegisterKind } from "../db/schema";
import { findLocation, LOCATION_NOT_FOUND, writableMerchant, type Actor } from "./locations";
import { ruleViolation, underRules } from "./rules";
import type { RegisterForm } from "./schemas";
import { firstRow, returnedRow, NOW_MS } from "../db/query";

export const REGISTER_NOT_FOUND = "That register does not exist, or it is not in your merchant.";

export type RegisterRow = typeof registers.$inferSelect;

export async function findRegister(db: DB | Tx, scope: Scope, id: number): Promise<RegisterRow | undefined> {
  return await firstRow(db
    .select()
    .from(registers)
    .where(and(eq(registers.id, id), scopeWhere(scope, registers.merchantId))).limit(1));
}

export type NewRegister = RegisterForm & { locationId: number; kind: RegisterKind; parentId: number | null };

/** Inside a transaction: used by createRegister and the CSV import (one transaction for the file). */
export async function insertRegister(tx: Tx, scope: Scope, input: NewRegister, actor: Actor): Promise<RegisterRow> {
  const location = await findLocation(tx, scope, input.locationId);
  if (!location) throw notFound(LOCATION_NOT_FOUND);
  if (location.archivedAt) throw ruleViolation("register_location", "This location is archived: add registers to another location.");
  await writableMerchant(tx, scope, location.merchantId);
  if (input.kind === "virtual") {
    if (input.parentId === null) throw ruleViolation("register_parent", "Choose the physical register this virtual register belongs to.");
    if (!await findRegister(tx, scope, input.parentId)) throw new DomainError("not_found", REGISTER_NOT_FOUND, { field: "parentId" });
  }
  const row = await underRules(async () =>
    await returnedRow(tx
      .insert(registers)
      .values({
        registerId: randomUUID(),
        merchantId: location.merchantId,
        locationId: location.id,
        kind: input.kind,
        parentId: input.kind === "virtual" ? input.parentId : null,
        name: input.name,
        externalRef: input.externalRef,
      })
      .returning()),
  );
  await writeAudit(tx, {
    actor,
    merchantId: row.merchantId,
    action: "register.create",
    targetType: "register",
    targetId: row.id,
    details: { name: row.name, kind: row.kind, location: location.name, registerId: row.registerId },
  });
  return row;
}

export async function createRegister(ctx: QueryContext, input: NewRegister, actor: Actor): Promise<RegisterRow> {
  return ctx.db.transaction((tx) => insertRegister(tx, ctx.scope, input, actor), { behavior: "immediate" });
}

export async function updateRegister(
  ctx: QueryContext,
  id: number,
  input: RegisterForm,
  actor: Actor,
): Promise<{ register: RegisterRow; changed: boolean }> {
  return ctx.db.transaction(
    async (tx) => {
      const before = await findRegister(tx, ctx.scope, id);
      if (!before) throw notFound(REGISTER_NOT_FOUND);
      if (before.archivedAt) throw ruleViolation("register_archived", "This register is archived: it cannot be edited.");
      await writableMerchant(tx, ctx.scope, before.merchantId);
      const changes: { name?: string; externalRef?: string | null } = {};
      if (before.name !== input.name) changes.name = input.name;
      if (before.externalRef !== input.externalRef) changes.externalRef = input.externalRef;
      if (Object.keys(changes).length === 0) return { register: before, changed: false };
      const register = await underRules(async () =>
        await returnedRow(tx
          .update(registers)
          .set({ ...changes, updatedAt: NOW_MS })
          .where(eq(registers.id, id))
          .returning()),
      );
      await writeAudit(tx, {
        actor,
        merchantId: before.merchantId,
        action: "register.update",
        targetType: "register",
        targetId: id,
        details: {
          name: register.name,
          ...(changes.name !== undefined ? { from: before.name } : {}),
          ...(changes.externalRef !== undefined ? { externalRef: changes.externalRef } : {}),
        },
      });
      return { register, changed: true };
    },
    { behavior: "immediate" },
  );
}

/**
 * Archives a register (refused while it has virtual registers). A routed register is unrouted in
 * the same write: an archived register sends nothing anywhere.
 */
export async function archiveRegister(ctx: QueryContext, id: number, actor: Actor): Promise<{ register: RegisterRow; unroutedFrom: string | null }> {
  return ctx.db.transaction(
    async (tx) => {
      const before = await findRegister(tx, ctx.scope, id);
      if (!before) throw notFound(REGISTER_NOT_FOUND);
      if (before.archivedAt) return { register: before, unroutedFrom: null };
      await writableMerchant(tx, ctx.scope, before.merchantId);
      const from =
        before.terminalRef === null
          ? null
          : ((await firstRow(tx.select({ terminalId: terminals.terminalId }).from(terminals).where(eq(terminals.id, before.terminalRef)).limit(1)))
              ?.terminalId ?? null);
      const register = await underRules(async () =>
        await returnedRow(tx
          .update(registers)
          .set({ archivedAt: new Date(), terminalRef: null, routedAt: null, updatedAt: NOW_MS })
          .where(and(eq(registers.id, id), isNull(registers.archivedAt)))
          .returning()),
      );
      await writeAudit(tx, {
        actor,
        merchantId: before.merchantId,
        action: "register.archive",
        targetType: "register",
        targetId: id,
        details: { name: before.name, kind: before.kind, ...(from ? { unroutedFrom: from } : {}) },
      });
      return { register, unroutedFrom: from };
    },
    { behavior: "immediate" },
  );
}

scopedCommands(createRegister, updateRegister, archiveRegister);
