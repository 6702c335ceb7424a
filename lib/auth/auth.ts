/**
 * Sign-in (next-auth credentials, JWT sessions) and the session checks every page, action and
 * route handler makes. The JWT only names the user, the session version and the server-side
 * session (lib/auth/sessions.ts); the session row, role and disabled state are read from the
 * database on every request, so signing out ends that session for every copy of its cookie, a
 * role change applies at once, and a disabled user's sessions stop working.
 */
import { isDatabaseUnavailable } from "../db/errors";
import "server-only";
import { eq } from "drizzle-orm";
import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { writeAudit } from "../audit/audit";
import { getDb, type DB } from "../db/client";
import { merchants, users, type Role } from "../db/schema";
import { clientAddress } from "./client-address";
import { getEnv } from "../env";
import { DomainError } from "../errors";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S, issueDeviceToken, readDeviceToken, type KnownDevice } from "./known-device";
import { log } from "../log";
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from "./credential-limits";
import { dummyPasswordHash, verifyPassword } from "./password";
import { can, refusal, routePermission, type Permission } from "./permissions";
import { claimAttempt, describeWait, settleAttempt, type ThrottleRule } from "./rate-limit";
import { safeCallbackPath } from "./safe-callback";
import { createSession, endSession, isSessionActive } from "./sessions";
import { firstRow } from "../db/query";

export const WRONG_LOGIN = "Email or password is incorrect";
export const TOO_LONG_LOGIN = `Email or password is too long: an email has at most ${MAX_EMAIL_LENGTH} characters, a password at most ${MAX_PASSWORD_LENGTH}.`;
const SESSION_MAX_AGE_S = 8 * 60 * 60;

/**
 * How password checks are throttled (lib/auth/rate-limit.ts: `free` failures in 15 minutes, then a
 * wait that doubles from 1 s up to `capMs`; nothing ever locks for longer than its cap):
 * - from a known device (a browser that signed in as this user before): that device's key only;
 * - otherwise, per email and client address, plus a per-email ceiling over all addresses, plus
 *   per client address over all emails (when the address is trusted, see TRUSTED_PROXY_HOPS;
 *   else one shared key for every untrusted address, which a forged header cannot escape);
 * - the password re-entry before a reveal: per user, a key of its own that sign-in never reads.
 */
export const SIGN_IN_LIMITS = {
  device: { free: 5, capMs: 60_000 },
  emailAddress: { free: 5, capMs: 60_000 },
  email: { free: 10, capMs: 60_000 },
  address: { free: 30, capMs: 60_000 },
  reveal: { free: 3, capMs: 5 * 60_000 },
} as const;

export type SessionUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** A merchant role's merchant; null for staff. */
  merchantId: number | null;
  /** Its name, for the header; null for staff. */
  merchantName: string | null;
};

const MERCHANT_SUSPENDED_LOGIN =
  "Your merchant's access to Pairdesk is suspended. Ask the integrator's support to reactivate it.";

export type SignInContext = {
  /** The client's address when a trusted proxy gave it (lib/auth/client-address.ts), else null. */
  address: string | null;
  /** The known-device cookie's device, if the browser sent a valid one. */
  device: KnownDevice | null;
};

/** The throttle keys of one sign-in attempt. */
export function signInRules(email: string, userId: number | undefined, ctx: SignInContext): ThrottleRule[] {
  const L = SIGN_IN_LIMITS;
  if (ctx.device && userId !== undefined && ctx.device.userId === userId) {
    return [{ key: `device:${ctx.device.deviceId}`, ...L.device, clearOnSuccess: true }];
  }
  const rules: ThrottleRule[] = [
    { key: `email+address:${email}|${ctx.address ?? "unknown"}`, ...L.emailAddress, clearOnSuccess: true },
    { key: `email:${email}`, ...L.email, clearOnSuccess: false },
  ];
  // Per client address only when a trusted proxy says who the client is. Without one, clients
  // cannot be told apart, and one key shared by every unknown address would let anyone slow
  // down every new browser's sign-in (a red-team finding): the email keys, which a forged
  // header cannot escape, are then the limit.
  if (ctx.address) rules.push({ key: `address:${ctx.address}`, ...L.address, clearOnSuccess: false });
  return rules;
}

const SIGN_IN_UNAVAILABLE = "The database is not answering right now. Try again in a minute.";
const SIGN_IN_FAILED = "Sign-in failed on the server. Try again; if it keeps failing, tell an operator.";

class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInRefused";
  }
}

/** A user as sign-in and every request read them: role, merchant and whether they may be in. */
const USER_STATE = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  merchantId: users.merchantId,
  merchantName: merchants.name,
  merchantStatus: merchants.status,
  disabledAt: users.disabledAt,
  sessionVersion: users.sessionVersion,
};

/** The signed-in user as pages and actions see it, from a USER_STATE row. */
function sessionUserOf(u: SessionUser): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, merchantId: u.merchantId, merchantName: u.merchantName };
}

export async function authorizeCredentials(
  db: DB,
  credentials: { email?: unknown; password?: unknown } | undefined,
  ctx: SignInContext,
): Promise<SessionUser & { sessionVersion: number; sessionId: string }> {
  const rawEmail = typeof credentials?.email === "string" ? credentials.email : "";
  const password = typeof credentials?.password === "string" ? credentials.password : "";
  // Refused before any work: a megabyte "password" is never hashed.
  if (rawEmail.length > MAX_EMAIL_LENGTH + 64 || password.length > MAX_PASSWORD_LENGTH) {
    throw new SignInRefused(TOO_LONG_LOGIN);
  }
  const email = rawEmail.trim().toLowerCase();
  if (!email || !password) throw new SignInRefused(WRONG_LOGIN);
  // No stored email holds a NUL byte (forms refuse it), and Postgres cannot compare one: wrong.
  if (email.includes("\u0000")) throw new SignInRefused(WRONG_LOGIN);

  const user = await firstRow(db
    .select({ ...USER_STATE, passwordHash: users.passwordHash })
    .from(users)
    .leftJoin(merchants, eq(merchants.id, users.merchantId))
    .where(eq(users.email, email)).limit(1));

  // Counted before the (slow) password check, atomically: parallel attempts cannot outrun it.
  const claim = await claimAttempt(db, signInRules(email, user?.id, ctx));
  if (!claim.ok) {
    log.info({ event: "sign_in_throttled", userId: user?.id ?? null }, "sign-in throttled");
    throw new SignInRefused(`Too many failed sign-in attempts. Try again in ${describeWait(claim.retryAfterMs)}.`);
  }

  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  const suspended = !!user && ok && !user.disabledAt && user.merchantStatus === "suspended";
  if (!user || !ok || user.disabledAt || suspended) {
    await writeAudit(db, {
      actor: user ? { id: user.id, email: user.email } : null,
      merchantId: user?.merchantId ?? null,
      action: "auth.sign_in_failed",
      targetType: "user",
      // Not the typed email for an unknown one: people type passwords into the email field, and
      // viewers read the audit log.
      targetId: user?.id ?? null,
      details: { reason: !user ? "unknown_email" : !ok ? "wrong_password" : suspended ? "merchant_suspended" : "disabled" },
    });
    log.info({ event: "sign_in_failed", userId: user?.id ?? null }, "sign-in failed");
    // Only after the right password: the suspension is no secret from the merchant's own people.
    if (suspended) {
      await settleAttempt(db, claim, true);
      throw new SignInRefused(MERCHANT_SUSPENDED_LOGIN);
    }
    throw new SignInRefused(WRONG_LOGIN);
  }
  await settleAttempt(db, claim, true);
  const sessionId = await db.transaction(async (tx) => {
    const id = await createSession(tx, user.id);
    await writeAudit(tx, {
      actor: { id: user.id, email: user.email },
      merchantId: user.merchantId,
      action: "auth.sign_in",
      targetType: "user",
      targetId: user.id,
    });
    return id;
  });
  log.info({ event: "sign_in", userId: user.id }, "signed in");
  return {
    ...sessionUserOf(user),
    sessionVersion: user.sessionVersion,
    sessionId,
  };
}

/** The sign-in context of the current request (inside the next-auth route handler). */
async function requestSignInContext(forwardedFor: string | null): Promise<SignInContext> {
  const env = getEnv();
  const jar = await cookies();
  return {
    address: clientAddress(forwardedFor, env.trustedProxyHops),
    device: readDeviceToken(env.authSecret, jar.get(DEVICE_COOKIE)?.value),
  };
}

/** Remembers this browser as a known device of the user (see lib/auth/known-device.ts). */
async function rememberDevice(userId: number, current: KnownDevice | null) {
  const env = getEnv();
  const jar = await cookies();
  const deviceId = current && current.userId === userId ? current.deviceId : undefined;
  jar.set(DEVICE_COOKIE, issueDeviceToken(env.authSecret, userId, deviceId), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.publicUrl.startsWith("https://"),
    path: "/api/auth",
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
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
          const fwd = (req?.headers as Record<string, unknown> | undefined)?.["x-forwarded-for"];
          const ctx = await requestSignInContext(typeof fwd === "string" ? fwd : null);
          let user;
          try {
            user = await authorizeCredentials(getDb(), credentials, ctx);
          } catch (err) {
            // next-auth puts an error's message in the URL it redirects to: only our own
            // sentences go there, never a database's (a red-team finding on Postgres).
            if (err instanceof SignInRefused) throw err;
            log.error({ event: "sign_in_failed", err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "sign-in failed on the server");
            throw new SignInRefused(isDatabaseUnavailable(err) ? SIGN_IN_UNAVAILABLE : SIGN_IN_FAILED);
          }
          await rememberDevice(user.id, ctx.device);
          return {
            id: String(user.id),
            email: user.email,
            name: user.name,
            sessionVersion: user.sessionVersion,
            sessionId: user.sessionId,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as { sessionVersion?: number; sessionId?: string };
          token.uid = Number(user.id);
          token.sv = u.sessionVersion ?? 1;
          token.sid = u.sessionId;
        }
        return token;
      },
      session({ session, token }) {
        // Only what the checks need; pages read the user through getCurrentUser().
        return { ...session, uid: token.uid, sv: token.sv, sid: token.sid };
      },
      // Where next-auth sends the browser after signing in or out: only a path of this site.
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
      },
    },
    events: {
      async signOut({ token }) {
        const uid = Number(token?.uid);
        if (!uid) return;
        const db = getDb();
        // This session only: the user's other sessions stay.
        await endSession(db, token?.sid, "sign_out");
        const user = await firstRow(db
          .select({ email: users.email, merchantId: users.merchantId })
          .from(users)
          .where(eq(users.id, uid)).limit(1));
        await writeAudit(db, {
          actor: user ? { id: uid, email: user.email } : null,
          merchantId: user?.merchantId ?? null,
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
  const session = (await getServerSession(authOptions())) as { uid?: number; sv?: number; sid?: string } | null;
  const uid = Number(session?.uid);
  if (!uid) return null;
  const db = getDb();
  if (!await isSessionActive(db, session?.sid, uid)) return null;
  const user = await firstRow(db
    .select(USER_STATE)
    .from(users)
    .leftJoin(merchants, eq(merchants.id, users.merchantId))
    .where(eq(users.id, uid)).limit(1));
  if (!user || user.disabledAt || user.sessionVersion !== session?.sv) return null;
  // A suspended merchant's people are signed out at their next request.
  if (user.merchantStatus === "suspended") return null;
  return sessionUserOf(user);
});

/** The header in which the proxy passes the requested path (and query) to the pages. */
const PATH_HEADER = "x-pairdesk-path";

/** The path (and query) of the current page request, as the proxy saw it. */
export async function requestPath(): Promise<string> {
  const value = (await headers()).get(PATH_HEADER) ?? "/";
  return value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

/**
 * For pages: the signed-in user with the permission, else the sign-in page (signed out) or
 * the 403 "Not allowed" page (app/forbidden.tsx).
 */
export async function requirePageUser(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(await requestPath())}`);
  if (permission && !can(user.role, permission)) forbidden();
  return user;
}

/**
 * For the admin layout: requirePageUser with the permission the requested path needs
 * (lib/auth/permissions.ts routePermission), checked before the page's loading boundary streams,
 * so that the refusal is a real 403 and the redirect a real one.
 */
export async function requireRouteUser(): Promise<SessionUser> {
  const path = new URL(await requestPath(), "http://x").pathname;
  return requirePageUser(routePermission(path));
}

/**
 * For actions, route handlers and queries: the user with the permission, or a DomainError
 * "unauthenticated" (401) or "forbidden" 403.
 */
export async function requireUser(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new DomainError("unauthenticated", "Your session has ended. Sign in again.");
  if (permission && !can(user.role, permission)) {
    throw new DomainError("forbidden", refusal(user.role, permission));
  }
  return user;
}

/**
 * Re-entering one's password before a sensitive step (revealing credentials). Throttled per user
 * under a key of its own: failures here never slow down or lock the user's sign-in. Null when
 * confirmed, otherwise the message to show.
 */
export async function confirmPassword(db: DB, user: SessionUser, password: string): Promise<string | null> {
  if (password.length > MAX_PASSWORD_LENGTH) return "That password is incorrect.";
  const claim = await claimAttempt(db, [{ key: `reveal:${user.id}`, ...SIGN_IN_LIMITS.reveal, clearOnSuccess: true }]);
  if (!claim.ok) return `Too many wrong passwords. Try again in ${describeWait(claim.retryAfterMs)}.`;
  const row = await firstRow(db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id)).limit(1));
  const ok = !!row && password.length > 0 && (await verifyPassword(password, row.hash));
  await settleAttempt(db, claim, ok);
  return ok ? null : "That password is incorrect.";
}
