import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { merchants, terminals, users, type MerchantStatus } from "../db/schema";
import { scopedQuery, scopeWhere } from "../auth/scope";

export type MerchantListRow = {
  id: number;
  name: string;
  status: MerchantStatus;
  externalRef: string | null;
  terminals: number;
  users: number;
  createdAt: Date;
};

/** The merchants in the scope, by name, with their counts: the Merchants page. */
export const queryMerchants = scopedQuery(({ db, scope }): MerchantListRow[] =>
  db
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
    .where(scopeWhere(scope, merchants.id))
    .orderBy(sql`${merchants.name} collate nocase`, asc(merchants.id))
    .all(),
);

export type MerchantOption = { id: number; name: string; status: MerchantStatus };

/**
 * The merchants in the scope, names and status only, by name: the switcher (on every page for
 * staff), the pairing form and the Users page's choice. Cheaper than queryMerchants' counts.
 */
export const queryMerchantOptions = scopedQuery(({ db, scope }): MerchantOption[] =>
  db
    .select({ id: merchants.id, name: merchants.name, status: merchants.status })
    .from(merchants)
    .where(scopeWhere(scope, merchants.id))
    .orderBy(sql`${merchants.name} collate nocase`, asc(merchants.id))
    .all(),
);

/** One merchant in the scope, or null: what the switcher shows as chosen. */
export const queryMerchant = scopedQuery(({ db, scope }, merchantId: number): MerchantOption | null =>
  db
    .select({ id: merchants.id, name: merchants.name, status: merchants.status })
    .from(merchants)
    .where(and(eq(merchants.id, merchantId), scopeWhere(scope, merchants.id)))
    .get() ?? null,
);
