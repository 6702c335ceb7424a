import "server-only";
import { asc } from "drizzle-orm";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { users, type Role } from "../db/schema";

/** The Users page's table. Never selects the password hash or the session version. */

export type UserListRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
};

/** All users, by email, without a session check (tests, scripts, `listUsers`). */
export function queryUsers(db: DB): UserListRow[] {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.email))
    .all();
}

/** All users, for admins ("users:manage"). */
export async function listUsers(): Promise<UserListRow[]> {
  await requireUser("users:manage");
  return queryUsers(getDb());
}
