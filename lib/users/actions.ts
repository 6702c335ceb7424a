"use server";

/**
 * The Users page's actions ("users:manage", checked by validatedAction on every call). Staff
 * admins manage every user; a merchant admin manages their merchant's users, with merchant roles
 * only: another merchant's user, or a staff user, is not found for them. Each change and its audit
 * entry are written in one transaction (lib/users/commands.ts), and the rules (lib/users/users.ts:
 * self, last active admin) are checked against the state inside that transaction. Refusals are
 * DomainErrors, mapped by the wrapper.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import { fieldErrorsOf, validatedAction, type ActionResult } from "../auth/safe-action";
import { getDb } from "../db/client";
import { isMerchantRole, isStaffRole, roleLabel } from "../domain";
import { DomainError, invalid } from "../errors";
import { changeUserRole as changeRole, disableUserAccount, enableUserAccount } from "./commands";
import { createUser, newUserSchema, roleSchema } from "./users";

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
  async (raw, { user: actor }): Promise<ActionResult<{ id: number }>> => {
    const form: Record<string, unknown> = { ...raw };
    if (isMerchantRole(actor.role)) {
      // A merchant admin adds their merchant's people only, whatever the form says.
      if (typeof form.role === "string" && isStaffRole(form.role)) throw invalid("role", MERCHANT_ADMIN_ADDS_MERCHANT_ROLES);
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
      // An email is unique across Pairdesk: a merchant admin is not told that it belongs to
      // someone (staff, another merchant's person), only that it cannot be used (red team).
      if (err instanceof DomainError && err.code === "conflict" && err.field === "email" && isMerchantRole(actor.role)) {
        throw invalid("email", "This email cannot be used for a new user. Use another, or ask the integrator's support.");
      }
      throw err;
    }
    revalidatePath("/users");
    return { ok: true, data: { id }, message: `Added ${input.email} as ${roleLabel(input.role)}.` };
  },
);

/**
 * Changes a user's role. Not the admin's own (no self-demotion), never the last active admin's.
 * Sessions stay valid: the role is read from the database on every request.
 */
export const changeUserRole = validatedAction(
  "users.change_role",
  "users:manage",
  z.object({ userId: userIdSchema, role: roleSchema }),
  async (input, { ctx, actor }): Promise<ActionResult> => {
    const { target, changed } = await changeRole(ctx, input.userId, input.role, actor);
    if (changed) revalidatePath("/users");
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is now ${roleLabel(input.role)}.` : `${target.email} is already ${roleLabel(input.role)}.`,
    };
  },
);

/** Disables a user, who is signed out everywhere. Not the admin's own account, never the last active admin. */
export const disableUser = validatedAction(
  "users.disable",
  "users:manage",
  z.object({ userId: userIdSchema }),
  async (input, { ctx, actor }): Promise<ActionResult> => {
    const { target, changed } = await disableUserAccount(ctx, input.userId, actor);
    if (changed) revalidatePath("/users");
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
  async (input, { ctx, actor }): Promise<ActionResult> => {
    const { target, changed } = await enableUserAccount(ctx, input.userId, actor);
    if (changed) revalidatePath("/users");
    return {
      ok: true,
      data: undefined,
      message: changed ? `${target.email} is enabled and can sign in again.` : `${target.email} was already enabled.`,
    };
  },
);
