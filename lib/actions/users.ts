"use server";

/**
 * The Users page's actions (admin only: "users:manage", checked by validatedAction on every
 * call). Each change and its audit entry are written in one transaction, and the rules that
 * need the current state (self, last active admin) are checked inside that transaction.
 */
import { eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { writeAudit } from "../audit";
import { getDb, type DB, type Tx } from "../db/client";
import { users, type Role } from "../db/schema";
import { countAdmins, createUser, newUserSchema, roleSchema, UserError } from "../users";
import { ActionError, validatedAction } from "./safe-action";

const userIdSchema = z.coerce
  .number({ error: "Choose a user." })
  .int("Choose a user.")
  .positive("Choose a user.");

/**
 * Adds a user. newUserSchema (via validatedAction) gives the field errors: invalid email, weak
 * password, unknown role; createUser adds the duplicate-email check and writes the audit entry
 * in its insert transaction.
 */
export const addUser = validatedAction(
  "users.add",
  "users:manage",
  newUserSchema,
  async (input, actor) => {
    let id: number;
    try {
      ({ id } = await createUser(getDb(), input, {
        onCreated: (tx, user) =>
          writeAudit(tx, {
            actor: { id: actor.id, email: actor.email },
            action: "user.create",
            targetType: "user",
            targetId: user.id,
            details: { email: user.email, name: user.name, role: user.role },
          }),
      }));
    } catch (err) {
      if (err instanceof UserError) {
        throw new ActionError(err.message, err.field ? { [err.field]: [err.message] } : undefined, "invalid");
      }
      throw err;
    }
    revalidatePath("/users");
    return { ok: true, data: { id }, message: `Added ${input.email} as ${input.role}.` };
  },
);

type TargetUser = { id: number; email: string; role: Role; disabledAt: Date | null };

function findTarget(tx: DB | Tx, id: number): TargetUser {
  const target = tx
    .select({ id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id))
    .get();
  if (!target) throw new ActionError("That user no longer exists. Reload the page.", undefined, "not_found");
  return target;
}

/**
 * True when `target` is the only admin who can still sign in. Called inside the transaction:
 * better-sqlite3 runs it on the same connection, so the count is the transaction's.
 */
function isLastActiveAdmin(db: DB, target: TargetUser): boolean {
  return target.role === "admin" && target.disabledAt === null && countAdmins(db) <= 1;
}

type UserChange = {
  set: SQLiteUpdateSetSource<typeof users>;
  action: "user.role_change" | "user.disable" | "user.enable";
  details: Record<string, string>;
};

/**
 * One change to one user, in an immediate transaction: read the target, let `plan` check the
 * rules against the current state (it throws ActionError to refuse, or returns null when there
 * is nothing to change), then write the change and its audit entry together.
 */
function changeUser(
  userId: number,
  actor: { id: number; email: string },
  plan: (target: TargetUser, db: DB) => UserChange | null,
): { target: TargetUser; changed: boolean } {
  const db = getDb();
  const result = db.transaction(
    (tx) => {
      const target = findTarget(tx, userId);
      const change = plan(target, db);
      if (!change) return { target, changed: false };
      tx.update(users)
        .set({ ...change.set, updatedAt: new Date() })
        .where(eq(users.id, target.id))
        .run();
      writeAudit(tx, {
        actor: { id: actor.id, email: actor.email },
        action: change.action,
        targetType: "user",
        targetId: target.id,
        details: { email: target.email, ...change.details },
      });
      return { target, changed: true };
    },
    { behavior: "immediate" },
  );
  revalidatePath("/users");
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
    const { target, changed } = changeUser(input.userId, actor, (t, db) => {
      if (t.role === input.role) return null;
      if (t.id === actor.id) {
        throw new ActionError(
          "You cannot change your own role. Ask another admin to do it.",
          { role: ["You cannot change your own role."] },
          "self_demotion",
        );
      }
      if (isLastActiveAdmin(db, t)) {
        throw new ActionError(
          `${t.email} is the last active admin and must stay an admin. Make another user an admin first.`,
          { role: ["The last active admin must stay an admin."] },
          "last_admin",
        );
      }
      return { set: { role: input.role }, action: "user.role_change", details: { from: t.role, to: input.role } };
    });
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is now ${input.role}.` : `${target.email} is already ${input.role}.`,
    };
  },
);

/**
 * Disables a user: they cannot sign in, and bumping session_version ends the sessions they
 * have open. Not the admin's own account, never the last active admin.
 */
export const disableUser = validatedAction(
  "users.disable",
  "users:manage",
  z.object({ userId: userIdSchema }),
  async (input, actor) => {
    const { target, changed } = changeUser(input.userId, actor, (t, db) => {
      if (t.disabledAt) return null;
      if (t.id === actor.id) {
        throw new ActionError("You cannot disable your own account.", undefined, "self_disable");
      }
      if (isLastActiveAdmin(db, t)) {
        throw new ActionError(
          `${t.email} is the last active admin and cannot be disabled. Make another user an admin first.`,
          undefined,
          "last_admin",
        );
      }
      return {
        set: { disabledAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` },
        action: "user.disable",
        details: { role: t.role },
      };
    });
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
    const { target, changed } = changeUser(input.userId, actor, (t) =>
      t.disabledAt ? { set: { disabledAt: null }, action: "user.enable", details: { role: t.role } } : null,
    );
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is enabled and can sign in again.` : `${target.email} was already enabled.`,
    };
  },
);
