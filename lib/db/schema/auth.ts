// Sign-in: sessions and failed sign-ins (lib/auth/).
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";
import { users } from "./users";

/** Failed sign-ins, for rate limiting by email and by client address. */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("sign_in_failures_key_at_idx").on(t.key, t.at)],
);

/**
 * Signed-in sessions. The session cookie (a next-auth JWT) names one row; signing out ends that
 * row only, disabling a user ends all of theirs, and a cookie whose row is ended no longer opens
 * anything, even if it was copied before.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    /** Random, 32 bytes base64url; carried in the (encrypted, signed) session cookie. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** sign_out, disabled. */
    endReason: text("end_reason"),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.endedAt)],
);
