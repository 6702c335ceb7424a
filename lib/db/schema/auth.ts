// Sign-in: sessions and failed sign-ins (lib/auth/).
import { type Column, type Kit } from "./kit";
import type { Schema } from "./build";

export function authTables(k: Kit, s: () => Schema) {
  /** Failed sign-ins, for rate limiting by email and by client address. */
  const signInFailures = k.table(
    "sign_in_failures",
    {
      id: k.id(),
      key: k.text("key").notNull(),
      at: k.time("at").notNull().default(k.now),
    },
    (t) => [k.index("sign_in_failures_key_at_idx").on(t.key, t.at)],
  );

  /**
   * Signed-in sessions. The session cookie (a next-auth JWT) names one row; signing out ends that
   * row only, disabling a user ends all of theirs, and a cookie whose row is ended no longer opens
   * anything, even if it was copied before.
   */
  const sessions = k.table(
    "sessions",
    {
      /** Random, 32 bytes base64url; carried in the (encrypted, signed) session cookie. */
      id: k.text("id").primaryKey(),
      userId: k.int("user_id")
        .notNull()
        .references((): Column => s().users.id),
      createdAt: k.time("created_at").notNull().default(k.now),
      endedAt: k.time("ended_at"),
      /** sign_out, disabled. */
      endReason: k.text("end_reason"),
    },
    (t) => [k.index("sessions_user_idx").on(t.userId, t.endedAt)],
  );
  return { signInFailures, sessions };
}
