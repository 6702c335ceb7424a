// The audit log: who did what, when (lib/audit/).
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";
import { merchants } from "./merchants";
import { users } from "./users";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
    actorId: integer("actor_id").references(() => users.id),
    /** Kept as written, so the log still reads right after a user changes. */
    actorEmail: text("actor_email"),
    /** The merchant the entry is about (null: staff-only entries, e.g. a staff sign-in). */
    merchantId: integer("merchant_id").references(() => merchants.id),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** JSON of non-secret details. */
    details: text("details"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_action_idx").on(t.action, t.at),
    index("audit_log_actor_idx").on(t.actorId, t.at),
    index("audit_log_merchant_at_idx").on(t.merchantId, t.at),
  ],
);
