"use server";

/**
 * The Users page's actions ("users:manage", checked by validatedAction on every call). Staff
 * admins manage every user; a merchant admin manages their merchant's users, with merchant roles
 * only: another merchant's user, or a staff user, is not found for them. Each change and its audit
 * entry are written in one transaction, and the rules
 * (lib/users/users.ts: self, last active admin) are checked against the state inside that transaction.
 * Refusals are returned as failures, never thrown.
 */
import { eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import type { SessionUser } from "../auth/auth";
import { authorityOf, inScope } from "../auth/scope";
import { isMerchantRole, isStaffRole, roleLabel } from "../domain";
import { getDb, type Tx } from "../db/client";
import { users } from "../db/schema";
import { endAllSessions } from "../auth/sessions";
import {
  createUser,
  disableRefusal,
  newUserSchema,
  roleChangeRefusal,
  roleSchema,
  UserError,
  type UserRefusal,
  type UserState,
} from "./users";
import { fieldErrorsOf, validatedAction, type ActionResult } from "../auth/safe-action";

const MERCHANT_ADMIN_ADDS_MERCHANT_ROLES =
  "You can add merchant admins and merchant viewers only: staff roles are given by the integrator's admins.";

const userIdSchema = z.coerce
  .number({ error: "Choose a user." })
  .int("Choose a user.")
  .positive("Choose a user.");

/**
 * Adds a user. The form is checked here rather than by validatedAction's schema, because a
 * merchant admin's form has no merchant field (their own merchant is set first, whatever the
 * form says). newUserSchema gives the field errors: invalid email, weak password, unknown role,
 * a merchant role without a merchant, a staff role with one; createUser adds the duplicate-email
 * and unknown-merchant checks and writes the audit entry in its insert transaction.
 */
export const addUser = validatedAction(
  "users.add",
  "users:manage",
  z.record(z.string(), z.unknown()),
  async (raw, actor): Promise<ActionResult<{ id: number }>> => {
    const form: Record<string, unknown> = { ...raw };
    if (isMerchantRole(actor.role)) {
      // A merchant admin adds their merchant's people only, whatever the form says.
      if (typeof form.role === "string" && isStaffRole(form.role)) {
        return {
          ok: false,
          error: MERCHANT_ADMIN_ADDS_MERCHANT_ROLES,
          fieldErrors: { role: [MERCHANT_ADMIN_ADDS_MERCHANT_ROLES] },
          code: "invalid",
        };
      }
      form.merchantId = actor.merchantId ?? undefined;
    }
    const parsed = newUserSchema.safeParse(form);
    if (!parsed.success) {
      return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error), code: "invalid" };
    }
    const input = parsed.data;
    let id: number;
    try {
      ({ id } = await createUser(getDb(), input, {
        onCreated: (tx, user) =>
          writeAudit(tx, {
            actor: { id: actor.id, email: actor.email },
            merchantId: user.merchantId,
            action: "user.create",
            targetType: "user",
            targetId: user.id,
            details: { email: user.email, name: user.name, role: user.role },
          }),
      }));
    } catch (err) {
      if (err instanceof UserError) {
        // An email is unique across Pairdesk: a merchant admin is not told that it belongs to
        // someone (staff, another merchant's person), only that it cannot be used (red team).
        const message =
          isMerchantRole(actor.role) && err.field === "email" && err.message.includes("already exists")
            ? "This email cannot be used for a new user. Use another, or ask the integrator's support."
            : err.message;
        return { ok: false, error: message, fieldErrors: err.field ? { [err.field]: [message] } : undefined, code: "invalid" };
      }
      throw err;
    }
    revalidatePath("/users");
    return { ok: true, data: { id }, message: `Added ${input.email} as ${roleLabel(input.role)}.` };
  },
);

type UserChange = {
  set: SQLiteUpdateSetSource<typeof users>;
  action: "user.role_change" | "user.disable" | "user.enable";
  details: Record<string, string>;
  /** Also end every session the user has open (disabling). */
  endSessions?: boolean;
};

type ChangeOutcome =
  | { ok: true; target: UserState; changed: boolean }
  | { ok: false; error: string; code: string; fieldErrors?: Record<string, string[]> };

/**
 * One change to one user, in an immediate transaction: read the target, let `plan` check the
 * rules (lib/users/users.ts) against the current state — it returns a refusal, null when there is
 * nothing to change, or the change —, then write the change and its audit entry together.
 */
function changeUser(
  userId: number,
  actor: SessionUser,
  plan: (target: UserState, tx: Tx) => UserChange | UserRefusal | null,
): ChangeOutcome {
  const db = getDb();
  const result = db.transaction(
    (tx): ChangeOutcome => {
      const target = tx
        .select({
          id: users.id,
          email: users.email,
          role: users.role,
          merchantId: users.merchantId,
          disabledAt: users.disabledAt,
        })
        .from(users)
        .where(eq(users.id, userId))
        .get();
      // Outside the actor's merchant (or staff, for a merchant admin): as if it did not exist.
      const scope = authorityOf(actor);
      if (!target || (scope.kind === "merchant" && !inScope(scope, target.merchantId))) {
        return { ok: false, error: "That user no longer exists. Reload the page.", code: "not_found" };
      }
      const change = plan(target, tx);
      if (!change) return { ok: true, target, changed: false };
      if ("code" in change) {
        return { ok: false, error: change.message, code: change.code, fieldErrors: change.fieldErrors };
      }
      tx.update(users)
        .set({ ...change.set, updatedAt: new Date() })
        .where(eq(users.id, target.id))
        .run();
      if (change.endSessions) endAllSessions(tx, target.id, "disabled");
      writeAudit(tx, {
        actor: { id: actor.id, email: actor.email },
        merchantId: target.merchantId,
        action: change.action,
        targetType: "user",
        targetId: target.id,
        details: { email: target.email, ...change.details },
      });
      return { ok: true, target, changed: true };
    },
    { behavior: "immediate" },
  );
  if (result.ok && result.changed) revalidatePath("/users");
  return result;
}

/**
 * Changes a user's role. Not the admin's own (no self-demotion), never the last active admin's.
 * Sessions stay valid: the role is read from the database on every request.
 */
export const changeUserRole = validatedAction(
  "users.change_role",
  "users:manage",
  z.object({ userId: userIdSchema, role: roleSchema }),
  async (input, actor) => {
    const outcome = changeUser(input.userId, actor, (t, tx) => {
      if (t.role === input.role) return null;
      return (
        roleChangeRefusal(tx, actor.id, t, input.role) ?? {
          set: { role: input.role },
          action: "user.role_change",
          details: { from: t.role, to: input.role },
        }
      );
    });
    if (!outcome.ok) return outcome;
    const { target, changed } = outcome;
    return {
      ok: true,
      data: undefined,
      message: changed
        ? `${target.email} is now ${roleLabel(input.role)}.`
        : `${target.email} is already ${roleLabel(input.role)}.`,
    };
  },
);

/**
 * Disables a user: they cannot sign in, and every session they have open ends (their session
 * rows are ended and session_version is bumped). Not the admin's own account, never the last
 * active admin.
 */
export const disableUser = validatedAction(
  "users.disable",
  "users:manage",
  z.object({ userId: userIdSchema }),
  async (input, actor) => {
    const outcome = changeUser(input.userId, actor, (t, tx) => {
      if (t.disabledAt) return null;
      return (
        disableRefusal(tx, actor.id, t) ?? {
          set: { disabledAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` },
          action: "user.disable",
          details: { role: t.role },
          endSessions: true,
        }
      );
    });
    if (!outcome.ok) return outcome;
    const { target, changed } = outcome;
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is disabled and signed out everywhere.` : `${target.email} was already disabled.`,
    };
  },
);

/** Enables a disabled user: they can sign in again (their old sessions stay ended). */
export const enableUser = validatedAction(
  "users.enable",
  "users:manage",
  z.object({ userId: userIdSchema }),
  async (input, actor) => {
    const outcome = changeUser(input.userId, actor, (t) =>
      t.disabledAt ? { set: { disabledAt: null }, action: "user.enable", details: { role: t.role } } : null,
    );
    if (!outcome.ok) return outcome;
    const { target, changed } = outcome;
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is enabled and can sign in again.` : `${target.email} was already enabled.`,
    };
  },
);
