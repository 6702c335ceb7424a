import "server-only";
import { and, asc, count, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { merchants, users, type Role } from "../db/schema";
import { clampPage } from "../lists/kit";
import { userList, type UserListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type QueryContext } from "../auth/scope";
import { firstRow, caseless, LIKE } from "../db/query";

/**
 * The Users page's list. Never selects the password hash or the session version. Staff admins
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

type UserList = {
  rows: UserListRow[];
  total: number;
  page: number;
  pageSize: number;
  params: UserListParams;
};

function userWhere(scope: QueryContext["scope"], params: UserListParams) {
  const q = params.q.trim();
  return and(
    scopeWhere(scope, users.merchantId),
    q ? sql`(${users.email} ${LIKE} ${likeContains(q)} escape '\\' or ${users.name} ${LIKE} ${likeContains(q)} escape '\\')` : undefined,
    params.role === "all" ? undefined : eq(users.role, params.role),
    params.status === "all" ? undefined : params.status === "disabled" ? isNotNull(users.disabledAt) : isNull(users.disabledAt),
  );
}

function userOrder(params: UserListParams): SQL[] {
  const { column, direction } = userList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  switch (column) {
    // Staff first, then each merchant's people by merchant, by email within.
    case "merchant":
      return [dir(sql`${users.merchantId} is not null`), dir(caseless(merchants.name)), dir(users.email), dir(users.id)];
    case "email":
      return [dir(users.email), dir(users.id)];
    case "added":
      return [dir(users.createdAt), dir(users.id)];
  }
}

export const queryUsers = scopedQuery(async ({ db, scope }, input: Partial<UserListParams> & { pageSize?: number } = {}): Promise<UserList> => {
  const params = userList.values(input);
  const pageSize = input.pageSize ?? userList.pageSize;
  const where = userWhere(scope, params);
  const total = (await firstRow(db.select({ n: count() }).from(users).where(where).limit(1)))?.n ?? 0;
  const { page } = clampPage(params.page, total, pageSize);
  const rows = await db
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
    .where(where)
    .orderBy(...userOrder(params))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pageSize, params: { ...params, page } };
});
