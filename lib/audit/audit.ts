/**
 * The audit log's writer. No `server-only`: the operator commands (`npm run merchant`) write
 * entries too (actor null: an operator at the server).
 */
import { auditLog } from "../db/schema";
import { inTransaction, type DB, type Tx } from "../db/open";

export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "user.create",
  "user.role_change",
  "user.disable",
  "user.enable",
  "user.password_reset",
  "pairing.create",
  "pairing.recover",
  "pairing.reveal",
  "pairing.reveal_denied",
  "pairing.unpair",
  "pairing.unpair_failed",
  "pairing.replace",
  "pairing.rename",
  "pairing.credentials_refused",
  "pairing.credentials_accepted",
  "location.create",
  "location.update",
  "location.archive",
  "register.create",
  "register.update",
  "register.archive",
  "register.route",
  "register.unroute",
  "register.import",
  "list.export",
  "merchant.create",
  "merchant.rename",
  "merchant.suspend",
  "merchant.reactivate",
  "terminal.merchant_change",
  "vault.rewrap",
  "transaction.charge",
  "transaction.preauth",
  "transaction.cancel",
  "transaction.refund",
  "transaction.revert",
  "transaction.independent_refund",
  "transaction.preauth_complete",
  "transaction.preauth_increment",
  "transaction.operation_failed",
  "terminal.configuration_refresh",
  "webhook.reprocess",
  "database.restore",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = {
  actor: { id: number; email: string } | null;
  /**
   * The merchant the entry is about: its people read it in their audit log. Null only for
   * staff-only entries (a staff member's sign-in, a staff user's change, an export of every
   * merchant). Required, so that no entry forgets to say.
   */
  merchantId: number | null;
  action: AuditAction;
  targetType?: "user" | "terminal" | "pairing" | "pairing_attempt" | "merchant" | "location" | "register" | "transaction" | "operation" | "webhook_delivery";
  targetId?: string | number | null;
  /** Never a secret: names, ids, environments, outcomes. */
  details?: Record<string, string | number | boolean | null>;
};

export async function writeAudit(db: DB | Tx, entry: AuditEntry): Promise<void> {
  await inTransaction(db, (tx) => tx.insert(auditLog)
    .values({
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      merchantId: entry.merchantId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      details: entry.details ? JSON.stringify(entry.details) : null,
    }));
}
