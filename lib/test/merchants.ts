/** For unit tests: merchants and query contexts on an in-memory database. */
import type { DB } from "../db/open";
import { merchants } from "../db/schema";
import { EVERY_MERCHANT, merchantScope, queryContext, type QueryContext } from "../auth/scope";
import { returnedRow } from "../db/query";

/** A merchant (the first one made on a fresh database has id 1). */
export async function testMerchant(db: DB, name = "Test merchant", status: "active" | "suspended" = "active"): Promise<number> {
  return (await returnedRow(db.transaction((tx) => tx.insert(merchants).values({ name, status }).returning({ id: merchants.id })))).id;
}

/** Staff looking at every merchant. */
export function staff(db: DB): QueryContext {
  return queryContext(db, EVERY_MERCHANT);
}

/** One merchant's people. */
export function merchantCtx(db: DB, merchantId: number): QueryContext {
  return queryContext(db, merchantScope(merchantId));
}
