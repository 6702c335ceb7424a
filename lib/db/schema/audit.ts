// The audit log: who did what, when (lib/audit/).
import { type Column, type Kit } from "./kit";
import type { Schema } from "./build";

export function auditTables(k: Kit, s: () => Schema) {
  const auditLog = k.table(
    "audit_log",
    {
      id: k.id(),
      at: k.time("at").notNull().default(k.now),
      actorId: k.int("actor_id").references((): Column => s().users.id),
      /** Kept as written, so the log still reads right after a user changes. */
      actorEmail: k.text("actor_email"),
      /** The merchant the entry is about (null: staff-only entries, e.g. a staff sign-in). */
      merchantId: k.int("merchant_id").references((): Column => s().merchants.id),
      action: k.text("action").notNull(),
      targetType: k.text("target_type"),
      targetId: k.text("target_id"),
      /** JSON of non-secret details. */
      details: k.text("details"),
    },
    (t) => [
      k.index("audit_log_at_idx").on(t.at),
      k.index("audit_log_action_idx").on(t.action, t.at),
      k.index("audit_log_actor_idx").on(t.actorId, t.at),
      k.index("audit_log_merchant_at_idx").on(t.merchantId, t.at),
    ],
  );
  return { auditLog };
}
