import "server-only";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { merchants, terminals, users, type MerchantStatus } from "../db/schema";
import { clampPage } from "../lists/kit";
import { merchantList, type MerchantListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type QueryContext } from "../auth/scope";
import { firstRow, caseless, LIKE } from "../db/query";

export type MerchantListRow = {
  id: number;
  name: string;
  status: MerchantStatus;
  externalRef: string | null;
  terminals: number;
  users: number;
  createdAt: Date;
};

type MerchantList = {
  rows: MerchantListRow[];
  total: number;
  page: number;
  pageSize: number;
  params: MerchantListParams;
};

function merchantWhere(scope: QueryContext["scope"], params: MerchantListParams) {
  const q = params.q.trim();
  return and(
    scopeWhere(scope, merchants.id),
    q ? sql`(${merchants.name} ${LIKE} ${likeContains(q)} escape '\\' or ${merchants.externalRef} ${LIKE} ${likeContains(q)} escape '\\')` : undefined,
    params.status === "all" ? undefined : eq(merchants.status, params.status),
  );
}

/** The merchants in the scope, with their counts: the Merchants page, by name unless sorted otherwise. */
export const queryMerchants = scopedQuery(async ({ db, scope }, input: Partial<MerchantListParams> & { pageSize?: number } = {}): Promise<MerchantList> => {
  const params = merchantList.values(input);
  const pageSize = input.pageSize ?? merchantList.pageSize;
  const where = merchantWhere(scope, params);
  const total = (await firstRow(db.select({ n: count() }).from(merchants).where(where).limit(1)))?.n ?? 0;
  const { page } = clampPage(params.page, total, pageSize);
  const { column, direction } = merchantList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  const rows = await db
    .select({
      id: merchants.id,
      name: merchants.name,
      status: merchants.status,
      externalRef: merchants.externalRef,
      // Qualified by hand: inside a select drizzle writes a column without its table, and the
      // subquery's "merchant_id" = "id" would then compare two columns of the same row.
      terminals: sql<number>`(select count(*) from ${terminals} where ${terminals}.${sql.identifier(terminals.merchantId.name)} = ${merchants}.${sql.identifier(merchants.id.name)})`,
      users: sql<number>`(select count(*) from ${users} where ${users}.${sql.identifier(users.merchantId.name)} = ${merchants}.${sql.identifier(merchants.id.name)})`,
      createdAt: merchants.createdAt,
    })
    .from(merchants)
    .where(where)
    .orderBy(...(column === "added" ? [dir(merchants.createdAt), dir(merchants.id)] : [dir(caseless(merchants.name)), dir(merchants.id)]))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pageSize, params: { ...params, page } };
});

export type MerchantOption = { id: number; name: string; status: MerchantStatus };

/**
 * The merchants in the scope, names and status only, by name: the switcher (on every page for
 * staff), the pairing form and the Users page's choice. Cheaper than queryMerchants' counts.
 */
export const queryMerchantOptions = scopedQuery(async ({ db, scope }): Promise<MerchantOption[]> =>
  await db
    .select({ id: merchants.id, name: merchants.name, status: merchants.status })
    .from(merchants)
    .where(scopeWhere(scope, merchants.id))
    .orderBy(caseless(merchants.name), asc(merchants.id)),
);

/** One merchant in the scope, or null: what the switcher shows as chosen. */
export const queryMerchant = scopedQuery(async ({ db, scope }, merchantId: number): Promise<MerchantOption | null> =>
  await firstRow(db
    .select({ id: merchants.id, name: merchants.name, status: merchants.status })
    .from(merchants)
    .where(and(eq(merchants.id, merchantId), scopeWhere(scope, merchants.id))).limit(1)) ?? null,
);
