// Registers: locations, and the physical and virtual registers that route to terminals (lib/registers/).
import { sql } from "drizzle-orm";
import { REGISTER_KINDS } from "../../domain";
import { type Column, type Kit, quoted } from "./kit";
import type { Schema } from "./build";

export function registerTables(k: Kit, s: () => Schema) {
  /** A merchant's place of business: its registers live here. */
  const locations = k.table(
    "locations",
    {
      id: k.id(),
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      name: k.text("name").notNull(),
      address: k.text("address").notNull().default(""),
      /** IANA time zone, e.g. Europe/Lisbon. */
      timeZone: k.text("time_zone").notNull(),
      archivedAt: k.time("archived_at"),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("locations_merchant_name_unique")
        .on(t.merchantId, k.caseless(t.name))
        .where(sql`${t.archivedAt} is null`),
    ],
  );

  /**
   * The POS side: a physical register, or a virtual register (child of a physical register of the
   * same location). Each routes to at most one terminal (terminal_ref), one with an active pairing
   * of the register's merchant; the rules the columns cannot say are held by triggers (0003).
   */
  const registers = k.table(
    "registers",
    {
      id: k.id(),
      /** The stable UUID the POS sends. */
      registerId: k.text("register_id").notNull(),
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      locationId: k.int("location_id")
        .notNull()
        .references((): Column => s().locations.id),
      kind: k.text("kind", { enum: REGISTER_KINDS }).notNull(),
      parentId: k.int("parent_id").references((): Column => s().registers.id),
      name: k.text("name").notNull(),
      externalRef: k.text("external_ref"),
      /** The terminal the register sends its payments to (its route); null: unrouted. */
      terminalRef: k.int("terminal_ref").references((): Column => s().terminals.id),
      routedAt: k.time("routed_at"),
      archivedAt: k.time("archived_at"),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("registers_register_id_unique").on(t.registerId),
      k.uniqueIndex("registers_location_name_unique")
        .on(t.locationId, k.caseless(t.name))
        .where(sql`${t.archivedAt} is null`),
      k.uniqueIndex("registers_merchant_external_ref_unique")
        .on(t.merchantId, t.externalRef)
        .where(sql`${t.externalRef} is not null and ${t.archivedAt} is null`),
      k.index("registers_terminal_idx").on(t.terminalRef),
      k.index("registers_parent_idx").on(t.parentId),
      k.index("registers_merchant_location_idx").on(t.merchantId, t.locationId, t.name),
      k.check("registers_kind_check", sql.raw(`"kind" in (${quoted(REGISTER_KINDS)})`)),
      k.check(
        "registers_parent_check",
        sql.raw(`("kind" = 'physical' and "parent_id" is null) or ("kind" = 'virtual' and "parent_id" is not null)`),
      ),
      k.check("registers_archived_unrouted_check", sql.raw(`"archived_at" is null or "terminal_ref" is null`)),
    ],
  );
  return { locations, registers };
}
