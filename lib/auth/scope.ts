/**
 * Merchant scope: whose data a query may read or change.
 *
 * Every query (lib/<domain>/queries.ts and *-queries.ts) takes a QueryContext ({ db, scope }) as its first argument and narrows
 * its rows with `scopeWhere`; pages, route handlers and actions get their context from
 * lib/auth/access.ts, which derives the scope from the signed-in user (never from the URL alone).
 * lib/auth/scope-walk.test.ts walks every exported query (lib/<domain>/queries.ts, *-queries.ts) with two merchants' data
 * and fails when one leaks the other's rows, or when an export is not a scoped query.
 *
 * No `server-only`: the operator commands and the tests build contexts too (ESLint keeps app/
 * and components/ from importing `queryContext`).
 */
import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DB } from "../db/open";
import { isMerchantRole, type Role } from "../domain";
import { DomainError } from "../errors";

export type Scope =
  /** Staff with no merchant chosen: every merchant. */
  | { readonly kind: "all" }
  /** A merchant's people (always), or staff who chose one merchant in the switcher. */
  | { readonly kind: "merchant"; readonly merchantId: number };

export const EVERY_MERCHANT: Scope = Object.freeze({ kind: "all" });

export function merchantScope(merchantId: number): Scope {
  return Object.freeze({ kind: "merchant", merchantId });
}

export type ScopedUser = { role: Role; merchantId: number | null };

/**
 * What `user` may ever see: staff every merchant, a merchant's people their own merchant.
 * A merchant role without a merchant (which the database refuses) sees nothing.
 */
export function authorityOf(user: ScopedUser): Scope {
  if (isMerchantRole(user.role)) return merchantScope(user.merchantId ?? -1);
  return EVERY_MERCHANT;
}

/**
 * The one rule for the merchant a new thing (a location, a register import, a user, a pairing)
 * belongs to: a merchant's people's own merchant, whatever the form says; staff's choice, which
 * they must make (`ask` is the field's sentence, e.g. "Choose the merchant this location
 * belongs to."). Whether that merchant exists and takes changes is the command's check.
 */
export function owningMerchant(user: ScopedUser, chosen: number | null | undefined, ask: string): number {
  if (isMerchantRole(user.role)) {
    if (user.merchantId === null) throw new DomainError("forbidden", "Your user has no merchant.");
    return user.merchantId;
  }
  if (chosen === null || chosen === undefined) throw new DomainError("invalid", ask, { field: "merchantId" });
  return chosen;
}

/**
 * What a list shows `user`: staff narrowed to the merchant chosen in the switcher (`?merchant=`),
 * a merchant's people their own merchant whatever the URL says.
 */
export function viewOf(user: ScopedUser, chosen: number | null | undefined): Scope {
  const authority = authorityOf(user);
  if (authority.kind === "merchant") return authority;
  return chosen ? merchantScope(chosen) : EVERY_MERCHANT;
}

/** The condition that keeps a query to the scope (on a `merchant_id` column); undefined for all. */
export function scopeWhere(scope: Scope, merchantColumn: SQLiteColumn): SQL | undefined {
  return scope.kind === "all" ? undefined : eq(merchantColumn, scope.merchantId);
}

/** True when a row of `merchantId` is inside the scope. */
export function inScope(scope: Scope, merchantId: number | null | undefined): boolean {
  if (scope.kind === "all") return true;
  return merchantId !== null && merchantId !== undefined && merchantId === scope.merchantId;
}

/** The first argument of every query. */
export type QueryContext = { readonly db: DB; readonly scope: Scope };

export function queryContext(db: DB, scope: Scope): QueryContext {
  return Object.freeze({ db, scope });
}

const SCOPED_QUERY = Symbol.for("pairdesk.scopedQuery");

/**
 * Declares a query: a function whose first argument is the QueryContext. The marker
 * lets the scope walk find every query (and refuse any other exported function).
 */
export function scopedQuery<A extends unknown[], R>(fn: (ctx: QueryContext, ...args: A) => R) {
  return Object.assign(fn, { [SCOPED_QUERY]: true as const });
}

export function isScopedQuery(value: unknown): boolean {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[SCOPED_QUERY] === true;
}

const SCOPED_COMMAND = Symbol.for("pairdesk.scopedCommand");

/**
 * Declares the commands (writes) of a module, each taking the QueryContext first: run in one
 * merchant's scope against another merchant's ids, a command changes nothing and refuses with
 * "not found" (lib/auth/command-walk.test.ts runs every one of them so; an action's call of a
 * function with its `ctx` that is neither a command nor a query fails that walk).
 */
export function scopedCommands(...fns: ((ctx: QueryContext, ...args: never[]) => unknown)[]): void {
  for (const fn of fns) Object.assign(fn, { [SCOPED_COMMAND]: true as const });
}

export function isScopedCommand(value: unknown): boolean {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[SCOPED_COMMAND] === true;
}
