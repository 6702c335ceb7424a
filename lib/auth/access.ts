import "server-only";
import { requirePageUser, requireUser, type SessionUser } from "./auth";
import { getDb } from "../db/client";
import type { Permission } from "./permissions";
import { authorityOf, queryContext, viewOf, type QueryContext } from "./scope";

/**
 * The one way from a request to the queries: the signed-in user with the permission, and the query
 * context their merchant scope allows.
 * - `view` (lists, dashboard, exports): the switcher's `?merchant=` narrows staff; a merchant's
 *   people always get their own merchant, whatever they ask for.
 * - no `view` (one object by its id, actions): everything the user may see; another merchant's
 *   object is then simply not found (404), so its existence does not leak.
 */
export type Access = { user: SessionUser; ctx: QueryContext };

function contextFor(user: SessionUser, view: { merchant: number | null } | undefined): QueryContext {
  return queryContext(getDb(), view ? viewOf(user, view.merchant) : authorityOf(user));
}

/** For route handlers and actions: a DomainError (unauthenticated 401, forbidden 403) when refused. */
export async function access(permission: Permission, view?: { merchant: number | null }): Promise<Access> {
  const user = await requireUser(permission);
  return { user, ctx: contextFor(user, view) };
}

/** For pages: the sign-in page or the 403 page when refused. */
export async function pageAccess(permission: Permission, view?: { merchant: number | null }): Promise<Access> {
  const user = await requirePageUser(permission);
  return { user, ctx: contextFor(user, view) };
}

/** For actions, which already hold the user (lib/auth/safe-action.ts checked the permission). */
export function actionContext(user: SessionUser): QueryContext {
  return contextFor(user, undefined);
}
