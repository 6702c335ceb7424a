// Users: staff and merchant people (lib/users/).
import { sql } from "drizzle-orm";
import { MERCHANT_ROLES, ROLES, STAFF_ROLES } from "../../domain";
import { type Column, type Kit, quoted } from "./kit";
import type { Schema } from "./build";

export function userTables(k: Kit, s: () => Schema) {
  const ROLE_MERCHANT_RULE =
    `("role" in (${quoted(MERCHANT_ROLES)}) and "merchant_id" is not null) or ` +
    `("role" in (${quoted(STAFF_ROLES)}) and "merchant_id" is null)`;

  const users = k.table(
    "users",
    {
      id: k.id(),
      email: k.text("email").notNull(),
      name: k.text("name").notNull().default(""),
      passwordHash: k.text("password_hash").notNull(),
      role: k.text("role", { enum: ROLES }).notNull(),
      /** The merchant of a merchant role; null for staff (who see every merchant). */
      merchantId: k.int("merchant_id").references((): Column => s().merchants.id),
      /** Bumped when the user is disabled: their existing sessions stop working. (Roles are read per request.) */
      sessionVersion: k.int("session_version").notNull().default(1),
      disabledAt: k.time("disabled_at"),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("users_email_unique").on(t.email),
      k.index("users_merchant_idx").on(t.merchantId),
      // A merchant role has a merchant, a staff role none: held by the database, not only the forms.
      k.check("users_role_merchant_check", sql.raw(ROLE_MERCHANT_RULE)),
    ],
  );
  return { users };
}
