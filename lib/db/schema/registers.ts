// Registers: locations, and the physical and virtual registers that route to terminals (lib/registers/).
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { REGISTER_KINDS } from "../../domain";
import { now, quoted } from "./columns";
import { merchants } from "./merchants";
import { terminals } from "./pairing";

/** A merchant's place of business: its registers live here. */
export const locations = sqliteTable(
  "locations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    /** IANA time zone, e.g. Europe/Lisbon. */
    timeZone: text("time_zone").notNull(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("locations_merchant_name_unique")
      .on(t.merchantId, sql`${t.name} collate nocase`)
      .where(sql`${t.archivedAt} is null`),
  ],
);

/**
 * The POS side: a physical register, or a virtual register (child of a physical register of the
 * same location). Each routes to at most one terminal (terminal_ref), one with an active pairing
 * of the register's merchant; the rules the columns cannot say are held by triggers (0003).
 */
export const registers = sqliteTable(
  "registers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The stable UUID the POS sends. */
    registerId: text("register_id").notNull(),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    locationId: integer("location_id")
      .notNull()
      .references(() => locations.id),
    kind: text("kind", { enum: REGISTER_KINDS }).notNull(),
    parentId: integer("parent_id").references((): AnySQLiteColumn => registers.id),
    name: text("name").notNull(),
    externalRef: text("external_ref"),
    /** The terminal the register sends its payments to (its route); null: unrouted. */
    terminalRef: integer("terminal_ref").references(() => terminals.id),
    routedAt: integer("routed_at", { mode: "timestamp_ms" }),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("registers_register_id_unique").on(t.registerId),
    uniqueIndex("registers_location_name_unique")
      .on(t.locationId, sql`${t.name} collate nocase`)
      .where(sql`${t.archivedAt} is null`),
    uniqueIndex("registers_merchant_external_ref_unique")
      .on(t.merchantId, t.externalRef)
      .where(sql`${t.externalRef} is not null and ${t.archivedAt} is null`),
    index("registers_terminal_idx").on(t.terminalRef),
    index("registers_parent_idx").on(t.parentId),
    index("registers_merchant_location_idx").on(t.merchantId, t.locationId, t.name),
    check("registers_kind_check", sql.raw(`"kind" in (${quoted(REGISTER_KINDS)})`)),
    check(
      "registers_parent_check",
      sql.raw(`("kind" = 'physical' and "parent_id" is null) or ("kind" = 'virtual' and "parent_id" is not null)`),
    ),
    check("registers_archived_unrouted_check", sql.raw(`"archived_at" is null or "terminal_ref" is null`)),
  ],
);
