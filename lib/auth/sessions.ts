/**
 * Server-side sessions: every sign-in creates a row whose id goes into the session cookie, and
 * every request checks that row (lib/auth/auth.ts getCurrentUser). Ending the row ends the session,
 * whatever copies of the cookie exist. No `server-only`: the tests import it.
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { inTransaction, type DB, type Tx } from "../db/open";
import { sessions } from "../db/schema";
import { changedRows, firstRow } from "../db/query";

export type SessionEndReason = "sign_out" | "disabled" | "merchant_suspended" | "password_changed";

/** Ended and very old rows are forgotten after this long. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export async function createSession(db: DB | Tx, userId: number, now = Date.now()): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await inTransaction(db, async (tx) => {
    await tx.insert(sessions).values({ id, userId, createdAt: new Date(now) });
    await tx.delete(sessions).where(lt(sessions.createdAt, new Date(now - KEEP_MS)));
  });
  return id;
}

/** True when the session exists, belongs to `userId` and has not ended. */
export async function isSessionActive(db: DB | Tx, id: unknown, userId: number): Promise<boolean> {
  if (typeof id !== "string" || id.length === 0 || id.length > 100) return false;
  const row = await firstRow(db
    .select({ userId: sessions.userId, endedAt: sessions.endedAt })
    .from(sessions)
    .where(eq(sessions.id, id)).limit(1));
  return !!row && row.userId === userId && row.endedAt === null;
}

/** Ends one session (signing out). */
export async function endSession(db: DB | Tx, id: unknown, reason: SessionEndReason = "sign_out"): Promise<boolean> {
  if (typeof id !== "string" || id.length === 0) return false;
  return (
    changedRows(
      await inTransaction(db, (tx) =>
        tx
          .update(sessions)
          .set({ endedAt: new Date(), endReason: reason })
          .where(and(eq(sessions.id, id), isNull(sessions.endedAt))),
      ),
    ) > 0
  );
}

/** Ends every session of a user (disabling them). */
export async function endAllSessions(db: DB | Tx, userId: number, reason: SessionEndReason): Promise<number> {
  return changedRows(
    await inTransaction(db, (tx) =>
      tx
        .update(sessions)
        .set({ endedAt: new Date(), endReason: reason })
        .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt))),
    ),
  );
}

export async function activeSessionCount(db: DB | Tx, userId: number): Promise<number> {
  return (
    (await firstRow(db
      .select({ n: sql<number>`count(*)` })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt))).limit(1)))?.n ?? 0
  );
}
