/**
 * Sign-in (next-auth credentials, JWT sessions) and the session checks every page, action and
 * route handler makes. The JWT only names the user and the session version; role and disabled
 * state are read from the database on every request, so a role change applies at once and a
 * disabled user's sessions stop working.
 */
import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { writeAudit } from "./audit";
import { getDb, type DB } from "./db/client";
import { signInFailures, users, type Role } from "./db/schema";
import { getEnv } from "./env";
import { log } from "./log";
import { dummyPasswordHash, verifyPassword } from "./password";
import { can, refusal, type Permission } from "./permissions";

export const WRONG_LOGIN = "Email or password is incorrect";
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

/** Failed sign-ins allowed per window, by email and by client address. */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60 * 1000, perEmail: 5, perAddress: 30 };

export type SessionUser = { id: number; email: string; name: string; role: Role };

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const fwd = headers?.["x-forwarded-for"];
  const first = typeof fwd === "string" ? fwd.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "local";
}

function recentFailures(db: DB, key: string, since: number): { n: number; oldest: number | null } {
  const row = db
    .select({ n: sql<number>`count(*)`, oldest: sql<number | null>`min(${signInFailures.at})` })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, new Date(since))))
    .get();
  return { n: row?.n ?? 0, oldest: row?.oldest ?? null };
}

/** Null when sign-in may be tried; otherwise the message to show. */
export function signInLockout(db: DB, email: string, address: string, now = Date.now()): string | null {
  const since = now - SIGN_IN_LIMITS.windowMs;
  const byEmail = recentFailures(db, `email:${email}`, since);
  const byAddress = recentFailures(db, `address:${address}`, since);
  const blocked =
    byEmail.n >= SIGN_IN_LIMITS.perEmail
      ? byEmail
      : byAddress.n >= SIGN_IN_LIMITS.perAddress
        ? byAddress
        : null;
  if (!blocked) return null;
  const retryAt = (blocked.oldest ?? now) + SIGN_IN_LIMITS.windowMs;
  const minutes = Math.max(1, Math.ceil((retryAt - now) / 60_000));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

function recordFailure(db: DB, email: string, address: string) {
  db.insert(signInFailures)
    .values([{ key: `email:${email}` }, { key: `address:${address}` }])
    .run();
  // Keep the table small: forget failures older than a day.
  db.delete(signInFailures)
    .where(sql`${signInFailures.at} < ${Date.now() - 24 * 60 * 60 * 1000}`)
    .run();
}

export async function authorizeCredentials(
  db: DB,
  credentials: { email?: string; password?: string } | undefined,
  address: string,
): Promise<SessionUser & { sessionVersion: number }> {
  const email = (credentials?.email ?? "").trim().toLowerCase();
  const password = credentials?.password ?? "";
  if (!email || !password) throw new Error(WRONG_LOGIN);

  const locked = signInLockout(db, email, address);
  if (locked) throw new Error(locked);

  const user = db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      passwordHash: users.passwordHash,
      disabledAt: users.disabledAt,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.email, email))
    .get();

  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok || user.disabledAt) {
    recordFailure(db, email, address);
    writeAudit(db, {
      actor: user ? { id: user.id, email: user.email } : null,
      action: "auth.sign_in_failed",
      targetType: "user",
      // Not the typed email for an unknown one: people type passwords into the email field, and
      // viewers read the audit log.
      targetId: user?.id ?? null,
      details: { reason: !user ? "unknown_email" : !ok ? "wrong_password" : "disabled" },
    });
    log.info({ event: "sign_in_failed", userId: user?.id ?? null }, "sign-in failed");
    throw new Error(WRONG_LOGIN);
  }
  db.delete(signInFailures).where(eq(signInFailures.key, `email:${email}`)).run();
  writeAudit(db, {
    actor: { id: user.id, email: user.email },
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
  });
  log.info({ event: "sign_in", userId: user.id }, "signed in");
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (options) return options;
  const env = getEnv();
  options = {
    secret: env.authSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const user = await authorizeCredentials(
            getDb(),
            credentials,
            clientAddress(req?.headers as Record<string, unknown> | undefined),
          );
          return {
            id: String(user.id),
            email: user.email,
            name: user.name,
            sessionVersion: user.sessionVersion,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 1;
        }
        return token;
      },
      session({ session, token }) {
        // Only what the proxy needs; pages read the user through getCurrentUser().
        return { ...session, uid: token.uid, sv: token.sv };
      },
    },
    events: {
      signOut({ token }) {
        const uid = Number(token?.uid);
        if (!uid) return;
        const db = getDb();
        const user = db.select({ email: users.email }).from(users).where(eq(users.id, uid)).get();
        writeAudit(db, {
          actor: user ? { id: uid, email: user.email } : null,
          action: "auth.sign_out",
          targetType: "user",
          targetId: uid,
        });
      },
    },
  };
  return options;
}

/** The signed-in user, checked against the database, or null. Once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  await connection(); // per request, never at build time
  const session = (await getServerSession(authOptions())) as { uid?: number; sv?: number } | null;
  const uid = Number(session?.uid);
  if (!uid) return null;
  const user = getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.id, uid))
    .get();
  if (!user || user.disabledAt || user.sessionVersion !== session?.sv) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** For pages: the signed-in user with the permission, or a redirect / forbidden page. */
export async function requirePageUser(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (permission && !can(user.role, permission)) redirect(`/forbidden?need=${permission}`);
  return user;
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

/** For actions, route handlers and queries: the user with the permission, or AuthError. */
export async function requireUser(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AuthError("Your session has ended. Sign in again.", 401);
  if (permission && !can(user.role, permission)) {
    throw new AuthError(refusal(user.role, permission), 403);
  }
  return user;
}

/**
 * Re-entering one's password before a sensitive step (revealing credentials). Failures count
 * towards the same limits as sign-in. Null when confirmed, otherwise the message to show.
 */
export async function confirmPassword(db: DB, user: SessionUser, password: string): Promise<string | null> {
  const locked = signInLockout(db, user.email, `reauth:${user.id}`);
  if (locked) return locked;
  const row = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get();
  if (row && password && (await verifyPassword(password, row.hash))) return null;
  recordFailure(db, user.email, `reauth:${user.id}`);
  return "That password is incorrect.";
}
