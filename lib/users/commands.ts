/**
 * The Users page's commands: change a role, disable, enable. Staff admins manage every user; a
 * merchant admin manages their merchant's users only (through `ctx`: another merchant's user, or
 * a staff user, is "not found" for them). Each change and its audit entry are one immediate
 * transaction, and the rules (users.ts: self, last active admin) are checked against the state
 * inside it. Refusals are DomainErrors.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { writeAudit } from "../audit/audit";
import { scopeWhere, type QueryContext, scopedCommands } from "../auth/scope";
import { endAllSessions } from "../auth/sessions";
import type { Tx } from "../db/open";
import { users, type Role } from "../db/schema";
import { DomainError, notFound } from "../errors";
import { disableRefusal, roleChangeRefusal, type UserRefusal, type UserState } from "./users";
import { firstRow } from "../db/query";

type Actor = { id: number; email: string };

type UserChange = {
  set: SQLiteUpdateSetSource<typeof users>;
  action: "user.role_change" | "user.disable" | "user.enable";
  details: Record<string, string>;
  /** Also end every session the user has open disabling. */
  endSessions?: boolean;
};

export type ChangeOutcome = { target: UserState; changed: boolean };

const USER_NOT_FOUND = "That user no longer exists. Reload the page.";

function refusal(r: UserRefusal): DomainError {
  const field = r.fieldErrors ? Object.keys(r.fieldErrors)[0] : undefined;
  return new DomainError(r.code, r.message, { field });
}

/**
 * One change to one user: read the target in the caller's scope, let `plan` check the rules
 * against the current state — a refusal, null when there is nothing to change, or the change —,
 * then write the change and its audit entry together.
 */
async function changeUser(
  { db, scope }: QueryContext,
  userId: number,
  actor: Actor,
  plan: (target: UserState, tx: Tx) => Promise<UserChange | UserRefusal | null>,
): Promise<ChangeOutcome> {
  return db.transaction(
    async (tx): Promise<ChangeOutcome> => {
      const target = await firstRow(tx
        .select({ id: users.id, email: users.email, role: users.role, merchantId: users.merchantId, disabledAt: users.disabledAt })
        .from(users)
        .where(and(eq(users.id, userId), scopeWhere(scope, users.merchantId))).limit(1));
      if (!target) throw notFound(USER_NOT_FOUND);
      const change = await plan(target, tx);
      if (!change) return { target, changed: false };
      if ("code" in change) throw refusal(change);
      await tx.update(users)
        .set({ ...change.set, updatedAt: new Date() })
        .where(eq(users.id, target.id));
      if (change.endSessions) await endAllSessions(tx, target.id, "disabled");
      await writeAudit(tx, {
        actor,
        merchantId: target.merchantId,
        action: change.action,
        targetType: "user",
        targetId: target.id,
        details: { email: target.email, ...change.details },
      });
      return { target, changed: true };
    },
    { behavior: "immediate" },
  );
}

/**
 * Changes a user's role. Not the actor's own (no self-demotion), never the last active admin's.
 * Sessions stay valid: the role is read from the database on every request.
 */
export async function changeUserRole(ctx: QueryContext, userId: number, role: Role, actor: Actor): Promise<ChangeOutcome> {
  return changeUser(ctx, userId, actor, async (t, tx) => {
    if (t.role === role) return null;
    return (await roleChangeRefusal(tx, actor.id, t, role)) ?? { set: { role }, action: "user.role_change", details: { from: t.role, to: role } };
  });
}

/**
 * Disables a user: they cannot sign in, and every session they have open ends (their session
 * rows are ended and session_version is bumped). Not the actor's own account, never the last
 * active admin.
 */
export async function disableUserAccount(ctx: QueryContext, userId: number, actor: Actor): Promise<ChangeOutcome> {
  return changeUser(ctx, userId, actor, async (t, tx) => {
    if (t.disabledAt) return null;
    return (
      (await disableRefusal(tx, actor.id, t)) ?? {
        set: { disabledAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` },
        action: "user.disable",
        details: { role: t.role },
        endSessions: true,
      }
    );
  });
}

/** Enables a disabled user: they can sign in again (their old sessions stay ended). */
export async function enableUserAccount(ctx: QueryContext, userId: number, actor: Actor): Promise<ChangeOutcome> {
  return changeUser(ctx, userId, actor, async (t) =>
    t.disabledAt ? { set: { disabledAt: null }, action: "user.enable", details: { role: t.role } } : null,
  );
}

scopedCommands(changeUserRole, disableUserAccount, enableUserAccount);
