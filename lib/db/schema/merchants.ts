// Merchants: the businesses served by the integrator (lib/merchants/).
import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { MERCHANT_STATUSES } from "../../domain";
import { now, quoted } from "./columns";

/**
 * A business served by the integrator. Terminals, pairings, attempts, merchant users and audit
 * entries belong to one; merchant users see only theirs (lib/auth/scope.ts).
 */
export const merchants = sqliteTable(
  "merchants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    status: text("status", { enum: MERCHANT_STATUSES }).notNull().default("active"),
    /** The POS's own id for this merchant, if it has one. */
    externalRef: text("external_ref"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("merchants_name_unique").on(sql`${t.name} collate nocase`),
    uniqueIndex("merchants_external_ref_unique").on(t.externalRef).where(sql`${t.externalRef} is not null`),
    check("merchants_status_check", sql.raw(`"status" in (${quoted(MERCHANT_STATUSES)})`)),
  ],
);
