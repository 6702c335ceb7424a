// Merchants: the businesses served by the integrator (lib/merchants/).
import { sql } from "drizzle-orm";
import { MERCHANT_STATUSES } from "../../domain";
import { type Kit, quoted } from "./kit";

export function merchantTables(k: Kit) {
  /**
   * A business served by the integrator. Terminals, pairings, attempts, merchant users and audit
   * entries belong to one; merchant users see only theirs (lib/auth/scope.ts).
   */
  const merchants = k.table(
    "merchants",
    {
      id: k.id(),
      name: k.text("name").notNull(),
      status: k.text("status", { enum: MERCHANT_STATUSES }).notNull().default("active"),
      /** The POS's own id for this merchant, if it has one. */
      externalRef: k.text("external_ref"),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("merchants_name_unique").on(k.caseless(t.name)),
      k.uniqueIndex("merchants_external_ref_unique").on(t.externalRef).where(sql`${t.externalRef} is not null`),
      k.check("merchants_status_check", sql.raw(`"status" in (${quoted(MERCHANT_STATUSES)})`)),
    ],
  );
  return { merchants };
}
