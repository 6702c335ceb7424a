/**
 * Creating and changing users: one place for the rules, used by the Users page and by the
 * operator command (`npm run user`). No `server-only`, so the command can import it.
 */
import { DomainError } from "../errors";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { merchants, ROLES, users, type Role } from "../db/schema";
import { isMerchantRole } from "../domain";
import type { DB, Tx } from "../db/open";
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from "../auth/credential-limits";
import { hashPassword, passwordWeakness } from "../auth/password";
import { writeAudit } from "../audit/audit";
import { endAllSessions } from "../auth/sessions";

import { firstRow, returnedRow } from "../db/query";
import { isUniqueViolation } from "../db/errors";

export const emailSchema = z
  .string({ error: "Enter an email address." })
  // Before trimming and lower-casing: nothing is done to an oversized value.
  .max(MAX_EMAIL_LENGTH + 64, `Email must be at most ${MAX_EMAIL_LENGTH} characters.`)
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address.")
  .max(MAX_EMAIL_LENGTH, `Email must be at most ${MAX_EMAIL_LENGTH} characters.`)
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const roleSchema = z.enum(ROLES, {
  error: `Role must be one of: ${ROLES.join(", ")}.`,
});

export const newUserSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(100, "Name must be at most 100 characters.").default(""),
    // The length cap first: a huge password is refused before any other check (and never hashed).
    password: z.string({ error: "Enter a password." }).max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`),
    role: roleSchema,
    /** A merchant role's merchant; staff roles take none. */
    merchantId: z.preprocess(
      (v) => (v === "" || v === undefined || v === null ? undefined : v),
      z.coerce.number({ error: "Choose a merchant." }).int("Choose a merchant.").positive("Choose a merchant.").optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (isMerchantRole(v.role) && v.merchantId === undefined) {
      ctx.addIssue({ code: "custom", path: ["merchantId"], message: MERCHANT_ROLE_NEEDS_MERCHANT });
    }
    if (!isMerchantRole(v.role) && v.merchantId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["merchantId"], message: STAFF_ROLE_TAKES_NO_MERCHANT });
    }
    const weak = passwordWeakness(v.password, v.email);
    if (weak) ctx.addIssue({ code: "custom", path: ["password"], message: weak });
  });

export type NewUser = z.input<typeof newUserSchema>;

const MERCHANT_ROLE_NEEDS_MERCHANT = "A merchant role (merchant admin or merchant viewer) needs a merchant: choose one.";
const STAFF_ROLE_TAKES_NO_MERCHANT =
  "Staff roles (admin, support, viewer) see every merchant and take no merchant: leave it empty, or choose a merchant role.";

/** A refusal about one field of a user ("invalid"), or a user that does not exist ("not_found"). */
const userError = (message: string, field: string, code = "invalid") => new DomainError(code, message, { field });

export type UserSummary = { id: number; email: string; name: string; role: Role; merchantId: number | null };

/**
 * Validates, hashes the password, then inserts in one immediate transaction in which
 * `onCreated` runs too (the Users page writes its audit entry there).
 */
export async function createUser(
  db: DB,
  input: NewUser,
  options: { onCreated?: (tx: Tx, user: UserSummary) => Promise<void> } = {},
): Promise<UserSummary> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw userError(issue.message, String(issue.path[0]));
  }
  const { email, name, password, role } = parsed.data;
  const merchantId = parsed.data.merchantId ?? null;
  if (merchantId !== null) {
    const merchant = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).limit(1));
    if (!merchant) throw userError("That merchant does not exist.", "merchantId", "not_found");
  }
  const duplicate = () => userError(`A user with the email ${email} already exists.`, "email", "conflict");
  if (await findUserIdByEmail(db, email) !== undefined) throw duplicate();
  const passwordHash = await hashPassword(password);
  try {
    return await db.transaction(
      async (tx) => {
        const row = await returnedRow(tx
          .insert(users)
          .values({ email, name, passwordHash, role, merchantId })
          .returning({ id: users.id }));
        const user = { id: row.id, email, name, role, merchantId };
        await options.onCreated?.(tx, user);
        return user;
      },
      { behavior: "immediate" },
    );
  } catch (err) {
    if (isUniqueViolation(err, "users")) throw duplicate();
    throw err;
  }
}

async function findUserIdByEmail(db: DB, email: string): Promise<number | undefined> {
  return (await firstRow(db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase())).limit(1)))?.id;
}

export async function countAdmins(db: DB | Tx): Promise<number> {
  return (
    (await firstRow(db
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null`).limit(1)))?.n ?? 0
  );
}

/** A user as the rules below see them. */
export type UserState = { id: number; email: string; role: Role; merchantId: number | null; disabledAt: Date | null };

/** Why a change to a user is refused; `field` names the form field the message belongs to. */
export type UserRefusal = {
  code: "self_demotion" | "self_disable" | "last_admin" | "role_kind";
  message: string;
  fieldErrors?: Record<string, string[]>;
};

/**
 * True when `target` is the only admin who can still sign in. Call it inside the transaction that
 * makes the change: better-sqlite3 runs it on the same connection, so the count is the
 * transaction's.
 */
export async function isLastActiveAdmin(db: DB | Tx, target: UserState): Promise<boolean> {
  return target.role === "admin" && target.disabledAt === null && await countAdmins(db) <= 1;
}

/** Null when `actorId` may give `target` the role `role`; otherwise why not. */
export async function roleChangeRefusal(db: DB | Tx, actorId: number, target: UserState, role: Role): Promise<UserRefusal | null> {
  if (target.role === role) return null;
  if (target.id === actorId) {
    return {
      code: "self_demotion",
      message: "You cannot change your own role. Ask another admin to do it.",
      fieldErrors: { role: ["You cannot change your own role."] },
    };
  }
  if (isMerchantRole(role) !== isMerchantRole(target.role)) {
    return {
      code: "role_kind",
      message: isMerchantRole(role)
        ? `${target.email} is staff: a staff account cannot become a merchant's. Add a new user for the merchant instead.`
        : `${target.email} belongs to a merchant: a merchant's account cannot become staff. Add a new staff user instead.`,
      fieldErrors: { role: ["Staff and merchant roles cannot be swapped: add a new user instead."] },
    };
  }
  if (role !== "admin" && await isLastActiveAdmin(db, target)) {
    return {
      code: "last_admin",
      message: `${target.email} is the last active admin and must stay an admin. Make another user an admin first.`,
      fieldErrors: { role: ["The last active admin must stay an admin."] },
    };
  }
  return null;
}

/** Null when `actorId` may disable `target`; otherwise why not. */
export async function disableRefusal(db: DB | Tx, actorId: number, target: UserState): Promise<UserRefusal | null> {
  if (target.disabledAt) return null;
  if (target.id === actorId) return { code: "self_disable", message: "You cannot disable your own account." };
  if (await isLastActiveAdmin(db, target)) {
    return {
      code: "last_admin",
      message: `${target.email} is the last active admin and cannot be disabled. Make another user an admin first.`,
    };
  }
  return null;
}

/**
 * Gives a user a new password (the operator's `npm run user -- password`, the demo's fresh
 * logins): checked by the same rule as a new user's, and every session the user has is ended in
 * the same write, so that whoever knew the old password is signed out. Audited (without the
 * password). Returns how many sessions were ended.
 */
export async function setUserPassword(db: DB, userId: number, password: string, actor: { id: number; email: string } | null = null): Promise<number> {
  const user = await firstRow(db.select({ id: users.id, email: users.email, role: users.role, merchantId: users.merchantId }).from(users).where(eq(users.id, userId)).limit(1));
  if (!user) throw userError("No such user.", "email", "not_found");
  if (password.length > MAX_PASSWORD_LENGTH) throw userError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters.`, "password");
  const weak = passwordWeakness(password, user.email);
  if (weak) throw userError(weak, "password");
  const passwordHash = await hashPassword(password);
  return db.transaction(
    async (tx) => {
      await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
      const ended = await endAllSessions(tx, userId, "password_changed");
      await writeAudit(tx, {
        actor,
        merchantId: user.merchantId,
        action: "user.password_reset",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, sessionsEnded: ended },
      });
      return ended;
    },
    { behavior: "immediate" },
  );
}
