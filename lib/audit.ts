import "server-only";
import { auditLog } from "./db/schema";
import type { DB, Tx } from "./db/client";

export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "user.create",
  "user.role_change",
  "user.disable",
  "user.enable",
  "pairing.create",
  "pairing.recover",
  "pairing.reveal",
  "pairing.reveal_denied",
  "pairing.unpair",
  "pairing.unpair_failed",
  "list.export",
  "vault.rewrap",
  "database.restore",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = {
  actor: { id: number; email: string } | null;
  /** The merchant the entry belongs to (merchants are coming: ignored until then). */
  merchantId?: number | null;
  action: AuditAction;
  targetType?: "user" | "terminal" | "pairing" | "pairing_attempt";
  targetId?: string | number | null;
  /** Never a secret: names, ids, environments, outcomes. */
  details?: Record<string, string | number | boolean | null>;
};

export function writeAudit(db: DB | Tx, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .run();
}
