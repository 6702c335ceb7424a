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
