import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { merchants, users, type Role } from "../db/schema";
import { scopedQuery, scopeWhere } from "../auth/scope";

/**
 * The Users page's table. Never selects the password hash or the session version. Staff admins
 * see every user (or one merchant's, through the switcher); a merchant admin their merchant's.
 */

export type UserListRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  merchantId: number | null;
  merchantName: string | null;
  disabledAt: Date | null;
  createdAt: Date;
};

export const queryUsers = scopedQuery(({ db, scope }): UserListRow[] =>
  db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      merchantId: users.merchantId,
      merchantName: merchants.name,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(merchants, eq(merchants.id, users.merchantId))
    .where(scopeWhere(scope, users.merchantId))
    // Staff first, then each merchant's people.
    .orderBy(sql`${users.merchantId} is not null`, asc(merchants.name), asc(users.email))
    .all(),
);
