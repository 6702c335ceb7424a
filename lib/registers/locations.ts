/**
 * Locations of a merchant: create, edit, archive. Each change and its audit entry are one
 * transaction; the database refuses what breaks a rule (rules.ts), and the caller's scope
 * decides whose locations are found at all (another merchant's is "not found").
 */
import { and, eq, isNull } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { QueryContext } from "../auth/scope";
import { inScope, scopeWhere, type Scope, scopedCommands } from "../auth/scope";
import type { DB, Tx } from "../db/open";
import { locations, merchants } from "../db/schema";
import { DomainError, notFound } from "../errors";
import { ruleViolation, underRules } from "./rules";
import type { LocationForm } from "./schemas";
import { firstRow, returnedRow, NOW_MS } from "../db/query";

export type Actor = { id: number; email: string };

export const LOCATION_NOT_FOUND = "That location does not exist, or it is not in your merchant.";

/** A merchant that can take changes: in the scope, existing and active. */
export async function writableMerchant(db: DB | Tx, scope: Scope, merchantId: number): Promise<{ id: number; name: string; }> {
  if (!inScope(scope, merchantId)) throw notFound("That merchant does not exist.");
  const merchant = await firstRow(db
    .select({ id: merchants.id, name: merchants.name, status: merchants.status })
    .from(merchants)
    .where(eq(merchants.id, merchantId)).limit(1));
  if (!merchant) throw notFound("That merchant does not exist.");
  if (merchant.status !== "active") throw merchantSuspendedChange(scope.kind === "merchant" ? null : merchant.name);
  return merchant;
}

/** Refused: the merchant is suspended ("Your merchant…" for its own people, by name for staff). */
function merchantSuspendedChange(name: string | null): DomainError {
  return new DomainError(
    "merchant_suspended",
    name
      ? `${name} is suspended: its locations, registers and routes cannot change. Reactivate it on the Merchants page first.`
      : "Your merchant is suspended: its locations, registers and routes cannot change.",
  );
}

export type LocationRow = typeof locations.$inferSelect;

/** The location, if it is in the caller's scope (archived or not). */
export async function findLocation(db: DB | Tx, scope: Scope, locationId: number): Promise<LocationRow | undefined> {
  return await firstRow(db
    .select()
    .from(locations)
    .where(and(eq(locations.id, locationId), scopeWhere(scope, locations.merchantId))).limit(1));
}

export async function createLocation(ctx: QueryContext, merchantId: number, input: LocationForm, actor: Actor): Promise<LocationRow> {
  return ctx.db.transaction(
    async (tx) => {
      await writableMerchant(tx, ctx.scope, merchantId);
      const row = await underRules(async () =>
        await returnedRow(tx
          .insert(locations)
          .values({ merchantId, name: input.name, address: input.address, timeZone: input.timeZone })
          .returning()),
      );
      await writeAudit(tx, {
        actor,
        merchantId,
        action: "location.create",
        targetType: "location",
        targetId: row.id,
        details: { name: row.name, timeZone: row.timeZone },
      });
      return row;
    },
    { behavior: "immediate" },
  );
}

export async function updateLocation(
  ctx: QueryContext,
  locationId: number,
  input: LocationForm,
  actor: Actor,
): Promise<{ location: LocationRow; changed: boolean }> {
  return ctx.db.transaction(
    async (tx) => {
      const before = await findLocation(tx, ctx.scope, locationId);
      if (!before) throw notFound(LOCATION_NOT_FOUND);
      if (before.archivedAt) throw ruleViolation("register_location", "This location is archived: it cannot be edited.");
      await writableMerchant(tx, ctx.scope, before.merchantId);
      const changes: Record<string, string> = {};
      if (before.name !== input.name) changes.name = input.name;
      if (before.address !== input.address) changes.address = input.address;
      if (before.timeZone !== input.timeZone) changes.timeZone = input.timeZone;
      if (Object.keys(changes).length === 0) return { location: before, changed: false };
      const location = await underRules(async () =>
        await returnedRow(tx
          .update(locations)
          .set({ ...changes, updatedAt: NOW_MS })
          .where(eq(locations.id, locationId))
          .returning()),
      );
      await writeAudit(tx, {
        actor,
        merchantId: before.merchantId,
        action: "location.update",
        targetType: "location",
        targetId: locationId,
        details: {
          name: location.name,
          ...(changes.name ? { from: before.name } : {}),
          ...(changes.address !== undefined ? { address: "changed" } : {}),
          ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
        },
      });
      return { location, changed: true };
    },
    { behavior: "immediate" },
  );
}

/** Archives a location with no registers left (the database refuses one that has some). */
export async function archiveLocation(ctx: QueryContext, locationId: number, actor: Actor): Promise<LocationRow> {
  return ctx.db.transaction(
    async (tx) => {
      const before = await findLocation(tx, ctx.scope, locationId);
      if (!before) throw notFound(LOCATION_NOT_FOUND);
      if (before.archivedAt) return before;
      await writableMerchant(tx, ctx.scope, before.merchantId);
      const location = await underRules(async () =>
        await returnedRow(tx
          .update(locations)
          .set({ archivedAt: new Date(), updatedAt: NOW_MS })
          .where(and(eq(locations.id, locationId), isNull(locations.archivedAt)))
          .returning()),
      );
      await writeAudit(tx, {
        actor,
        merchantId: before.merchantId,
        action: "location.archive",
        targetType: "location",
        targetId: locationId,
        details: { name: before.name },
      });
      return location;
    },
    { behavior: "immediate" },
  );
}

scopedCommands(createLocation, updateLocation, archiveLocation);
