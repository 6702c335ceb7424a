import "server-only";
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { type DB } from "../db/client";
import {
  merchants,
  pairingAttempts,
  terminals,
  users,
  type AttemptStatus,
  type Environment,
} from "../db/schema";
import { clampPage } from "../lists/kit";
import { attemptList, type AttemptListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type Scope } from "../auth/scope";
import { firstRow, LIKE } from "../db/query";

/** Pairing attempts, newest first: what support reads when a merchant says "it didn't work". */

export type { AttemptListParams } from "../lists/lists";
export type AttemptListInput = Partial<AttemptListParams> & { pageSize?: number };

export type AttemptListRow = {
  id: number;
  createdAt: Date;
  finishedAt: Date | null;
  recoveredAt: Date | null;
  createdByEmail: string | null;
  /** The merchant the terminal was being paired into. */
  merchantId: number;
  merchantName: string;
  environment: Environment;
  name: string;
  status: AttemptStatus;
  /** Support-readable reason (never a secret). */
  reason: string | null;
  /** Machine-readable code from the provider adapter, e.g. otp_rejected. */
  errorCode: string | null;
  /** The provider's terminal id, once Pay-Connect answered. */
  terminalId: string | null;
  /** terminals.id when the terminal is known here: the key of /terminals/{id}. */
  terminalRef: number | null;
  /**
   * A succeeded attempt that needs a second look (the OTP came from another terminal than the one
   * meant to be paired again, or the register could not be routed): kept, and said here.
   */
  warning: string | null;
};

export type AttemptList = {
  rows: AttemptListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  params: AttemptListParams;
  /** When the list was read (ms): "pending for how long" is measured from it. */
  readAt: number;
};

function attemptListWhere(db: DB, scope: Scope, params: AttemptListParams): SQL | undefined {
  const conditions: SQL[] = [];
  const inScope = scopeWhere(scope, pairingAttempts.merchantId);
  if (inScope) conditions.push(inScope);
  if (params.status !== "all") conditions.push(eq(pairingAttempts.status, params.status));
  if (params.environment !== "all") {
    conditions.push(eq(pairingAttempts.environment, params.environment));
  }
  const q = params.q.trim();
  if (q) {
    const pattern = likeContains(q);
    const byEmail = db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.email} ${LIKE} ${pattern} escape '\\'`);
    conditions.push(
      or(
        sql`${pairingAttempts.name} ${LIKE} ${pattern} escape '\\'`,
        sql`${pairingAttempts.terminalId} ${LIKE} ${pattern} escape '\\'`,
        inArray(pairingAttempts.createdById, byEmail),
      )!,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

function attemptOrder(params: AttemptListParams): SQL[] {
  const { column, direction } = attemptList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  if (column === "status") {
    return [dir(pairingAttempts.status), desc(pairingAttempts.createdAt), desc(pairingAttempts.id)];
  }
  return [dir(pairingAttempts.createdAt), dir(pairingAttempts.id)];
}

/** Rows `offset…offset+limit` of the list: a page, or a batch of the CSV export. */
export const attemptRows = scopedQuery(
  async ({ db, scope }, params: AttemptListParams, window: { limit: number; offset: number }): Promise<AttemptListRow[]> =>
    await db
    .select({
      id: pairingAttempts.id,
      createdAt: pairingAttempts.createdAt,
      finishedAt: pairingAttempts.finishedAt,
      recoveredAt: pairingAttempts.recoveredAt,
      createdByEmail: users.email,
      merchantId: pairingAttempts.merchantId,
      merchantName: merchants.name,
      environment: pairingAttempts.environment,
      name: pairingAttempts.name,
      status: pairingAttempts.status,
      reason: pairingAttempts.reason,
      errorCode: pairingAttempts.errorCode,
      terminalId: pairingAttempts.terminalId,
      terminalRef: terminals.id,
      warning: pairingAttempts.warning,
    })
    .from(pairingAttempts)
    .innerJoin(merchants, eq(merchants.id, pairingAttempts.merchantId))
    .leftJoin(users, eq(users.id, pairingAttempts.createdById))
    .leftJoin(
      terminals,
      and(
        eq(terminals.environment, pairingAttempts.environment),
        eq(terminals.terminalId, pairingAttempts.terminalId),
        // No link to a terminal that has since moved to another merchant.
        scopeWhere(scope, terminals.merchantId),
      ),
    )
    .where(attemptListWhere(db, scope, params))
    .orderBy(...attemptOrder(params))
    .limit(window.limit)
    .offset(window.offset),
);

/** Pairing attempts, newest first, filtered by status, environment and `q`. */
export const queryAttempts = scopedQuery(async (ctx, input: AttemptListInput = {}): Promise<AttemptList> => {
  const params = attemptList.values(input);
  const pageSize = input.pageSize ?? attemptList.pageSize;
  const total =
    (await firstRow(ctx.db.select({ n: count() }).from(pairingAttempts).where(attemptListWhere(ctx.db, ctx.scope, params)).limit(1)))?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = total === 0 ? [] : await attemptRows(ctx, params, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
});
