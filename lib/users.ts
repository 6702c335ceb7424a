/**
 * Creating and changing users: one place for the rules, used by the Users page and by the
 * operator command (`npm run user`). No `server-only`, so the command can import it.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ROLES, users, type Role } from "./db/schema";
import type { DB, Tx } from "./db/open";
import { hashPassword, passwordWeakness } from "./password";

export const emailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address.")
  .max(254, "Email must be at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const roleSchema = z.enum(ROLES, {
  error: `Role must be one of: ${ROLES.join(", ")}.`,
});

export const newUserSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(100, "Name must be at most 100 characters.").default(""),
    password: z.string({ error: "Enter a password." }),
    role: roleSchema,
  })
  .superRefine((v, ctx) => {
    const weak = passwordWeakness(v.password, v.email);
    if (weak) ctx.addIssue({ code: "custom", path: ["password"], message: weak });
  });

export type NewUser = z.input<typeof newUserSchema>;

export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: "email" | "password" | "role" | "name",
  ) {
    super(message);
    this.name = "UserError";
  }
}

export type UserSummary = { id: number; email: string; name: string; role: Role };

/**
 * Validates, hashes the password, then inserts in one immediate transaction in which
 * `onCreated` runs too (the Users page writes its audit entry there).
 */
export async function createUser(
  db: DB,
  input: NewUser,
  options: { onCreated?: (tx: Tx, user: UserSummary) => void } = {},
): Promise<UserSummary> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(issue.message, issue.path[0] as UserError["field"]);
  }
  const { email, name, password, role } = parsed.data;
  const duplicate = () => new UserError(`A user with the email ${email} already exists.`, "email");
  if (findUserIdByEmail(db, email) !== undefined) throw duplicate();
  const passwordHash = await hashPassword(password);
  try {
    return db.transaction(
      (tx) => {
        const row = tx.insert(users).values({ email, name, passwordHash, role }).returning({ id: users.id }).get();
        const user = { id: row.id, email, name, role };
        options.onCreated?.(tx, user);
        return user;
      },
      { behavior: "immediate" },
    );
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw duplicate();
    throw err;
  }
}

export function findUserIdByEmail(db: DB, email: string): number | undefined {
  return db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .get()?.id;
}

export function countAdmins(db: DB): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null`)
      .get()?.n ?? 0
  );
}
