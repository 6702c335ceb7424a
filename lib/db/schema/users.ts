// Users: staff and merchant people (lib/users/).
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { MERCHANT_ROLES, ROLES, STAFF_ROLES } from "../../domain";
import { now, quoted } from "./columns";
import { merchants } from "./merchants";

const ROLE_MERCHANT_RULE =
  `("role" in (${quoted(MERCHANT_ROLES)}) and "merchant_id" is not null) or ` +
  `("role" in (${quoted(STAFF_ROLES)}) and "merchant_id" is null)`;

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** The merchant of a merchant role; null for staff (who see every merchant). */
    merchantId: integer("merchant_id").references(() => merchants.id),
    /** Bumped when the user is disabled: their existing sessions stop working. (Roles are read per request.) */
    sessionVersion: integer("session_version").notNull().default(1),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_merchant_idx").on(t.merchantId),
    // A merchant role has a merchant, a staff role none: held by the database, not only the forms.
    check("users_role_merchant_check", sql.raw(ROLE_MERCHANT_RULE)),
  ],
);
