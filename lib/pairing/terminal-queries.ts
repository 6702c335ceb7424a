import "server-only";
import { and, asc, count, desc, eq, exists, isNotNull, notExists, or, sql, type SQL } from "drizzle-orm";
import { explainPlan } from "../db/open";
import { alias } from "drizzle-orm/sqlite-core";
import { type DB } from "../db/client";
import { merchants, pairings, registers, terminals, users, type Environment } from "../db/schema";
import { clampPage } from "../lists/kit";
import { terminalList, type TerminalListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type QueryContext, type Scope } from "../auth/scope";
import { firstRow, LIKE } from "../db/query";

/**
 * The terminal list: one row per terminal with its active pairing (Pay-Connect keeps one per
 * terminal and environment; the database holds it) and how many registers route to it.
 *
 * Built to stay fast with 10,000+ terminals: the filters are EXISTS probes on
 * `pairings_terminal_status_idx` (terminal_ref, status, created_at), the page of terminal ids is
 * cut first (ordered by `terminals_terminal_id_idx`, or by environment on
 * `terminals_environment_terminal_id_unique`, LIMIT/OFFSET), and only then are the correlated
 * subqueries (the active pairing, the count of registers routed to the terminal on
 * `registers_terminal_idx`) run, for the rows shown. Sorting by "paired at" probes the same
 * pairings index once per terminal (max created_at of its active pairings).
 *
 * Scope: a terminal is in a merchant's list when it belongs to the merchant now; its pairings
 * (shown, searched by name) and registers (counted) are the merchant's own, so a terminal that changed merchant
 * never shows the other merchant's pairing names.
 */

export type { TerminalListParams } from "../lists/lists";
/** What a caller may pass: any of the URL's values (the rest are the defaults), and a page size. */
export type TerminalListInput = Partial<TerminalListParams> & { pageSize?: number };

export type TerminalListRow = {
  /** terminals.id: the key of /terminals/{id}. */
  id: number;
  /** The provider's terminal id. */
  terminalId: string;
  environment: Environment;
  /** The merchant it belongs to (staff see the name in a column). */
  merchantId: number;
  merchantName: string;
  /** How many registers (physical and virtual, not archived) route to this terminal. */
  registerCount: number;
  /** The active pairing, or null when the terminal is unpaired. */
  activePairing: {
    id: number;
    name: string;
    payConnectId: string;
    pairedAt: Date;
    pairedByEmail: string | null;
    /** Set when Pay-Connect refused its credentials (lib/pairing/credentials-state.ts). */
    credentialsRefusedAt: Date | null;
  } | null;
};

export type TerminalList = {
  rows: TerminalListRow[];
  total: number;
  /** The page shown: the requested one, or the last one if it asked past the end. */
  page: number;
  pageSize: number;
  pageCount: number;
  params: TerminalListParams;
  /** When the list was read (ms): relative times are measured from it. */
  readAt: number;
};

/** `and p.merchant_id = …` for the raw pairing subqueries (`p`), or nothing for every merchant. */
function pairingScopeSql(scope: Scope): SQL {
  return scope.kind === "all" ? sql`` : sql` and p.merchant_id = ${scope.merchantId}`;
}

function hasActivePairing(db: DB, scope: Scope) {
  return db
    .select({ one: sql`1` })
    .from(pairings)
    .where(
      and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active"), scopeWhere(scope, pairings.merchantId)),
    );
}

/** The WHERE of the list (on the unaliased `terminals` table). */
function terminalListWhere(db: DB, scope: Scope, params: TerminalListParams): SQL | undefined {
  const conditions: SQL[] = [];
  const inScope = scopeWhere(scope, terminals.merchantId);
  if (inScope) conditions.push(inScope);
  if (params.environment !== "all") conditions.push(eq(terminals.environment, params.environment));
  if (params.status === "paired") conditions.push(exists(hasActivePairing(db, scope)));
  if (params.status === "unpaired") conditions.push(notExists(hasActivePairing(db, scope)));
  if (params.status === "credentials_refused") {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(pairings)
          .where(and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active"), isNotNull(pairings.credentialsRefusedAt), scopeWhere(scope, pairings.merchantId))),
      ),
    );
  }
  const q = params.q.trim();
  if (q) {
    const pattern = likeContains(q);
    // Any pairing's name matches, past ones too: a register that moved still finds the
    // terminal that served it.
    const nameMatches = db
      .select({ one: sql`1` })
      .from(pairings)
      .where(
        and(
          eq(pairings.terminalRef, terminals.id),
          scopeWhere(scope, pairings.merchantId),
          sql`${pairings.name} ${LIKE} ${pattern} escape '\\'`,
        ),
      );
    conditions.push(
      or(sql`${terminals.terminalId} ${LIKE} ${pattern} escape '\\'`, exists(nameMatches))!,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** ORDER BY of the list, on the unaliased `terminals` table; ties broken by terminal id, then id. */
function terminalOrder(scope: Scope, params: TerminalListParams): SQL[] {
  const { column, direction } = terminalList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  switch (column) {
    case "environment":
      return [dir(terminals.environment), asc(terminals.terminalId), asc(terminals.id)];
    case "paired_at": {
      const pairedAt = sql`(
        select max(p.created_at) from ${pairings} p
        where p.terminal_ref = ${terminals.id} and p.status = 'active'${pairingScopeSql(scope)}
      )`;
      // Unpaired terminals last, whichever the direction.
      return [sql`${pairedAt} is null`, dir(pairedAt), asc(terminals.terminalId), asc(terminals.id)];
    }
    default:
      return [dir(terminals.terminalId), dir(terminals.id)];
  }
}

/** The two statements of one list page (or CSV batch), unexecuted. */
function terminalListStatements(
  { db, scope }: QueryContext,
  params: TerminalListParams,
  window: { limit: number; offset: number },
) {
  const where = terminalListWhere(db, scope, params);
  const order = terminalOrder(scope, params);
  const countQuery = db.select({ n: count() }).from(terminals).where(where);

  const pageIds = db.$with("page_ids").as(
    db
      .select({ id: terminals.id })
      .from(terminals)
      .where(where)
      .orderBy(...order)
      .limit(window.limit)
      .offset(window.offset),
  );
  const newest = alias(pairings, "newest");
  const creator = alias(users, "creator");
  const newestActiveId = sql`(
    select p.id from ${pairings} p
    where p.terminal_ref = ${terminals.id} and p.status = 'active'${pairingScopeSql(scope)}
    order by p.created_at desc, p.id desc
    limit 1
  )`;
  // Archived registers are unrouted (archiving unroutes), so every routed register counts.
  const registerCount = sql<number>`(
    select count(*) from ${registers} r
    where r.terminal_ref = ${terminals.id}${scope.kind === "all" ? sql`` : sql` and r.merchant_id = ${scope.merchantId}`}
  )`;
  const rowsQuery = db
    .with(pageIds)
    .select({
      id: terminals.id,
      terminalId: terminals.terminalId,
      environment: terminals.environment,
      merchantId: terminals.merchantId,
      merchantName: merchants.name,
      registerCount,
      pairingId: newest.id,
      pairingName: newest.name,
      payConnectId: newest.payConnectId,
      pairedAt: newest.createdAt,
      pairedByEmail: creator.email,
      credentialsRefusedAt: newest.credentialsRefusedAt,
    })
    .from(pageIds)
    // CROSS JOIN makes SQLite keep page_ids as the outer loop: 50 primary-key lookups, not a
    // walk of the whole terminal_id index to avoid sorting 50 rows.
    .crossJoin(terminals)
    .innerJoin(merchants, eq(merchants.id, terminals.merchantId))
    .leftJoin(newest, eq(newest.id, newestActiveId))
    .leftJoin(creator, eq(creator.id, newest.createdById))
    .where(eq(terminals.id, pageIds.id))
    .orderBy(...order);
  return { countQuery, rowsQuery };
}

/** Rows `offset…offset+limit` of the list: a page, or a batch of the CSV export. */
export const terminalRows = scopedQuery(
  async (ctx, params: TerminalListParams, window: { limit: number; offset: number }): Promise<TerminalListRow[]> =>
    (await terminalListStatements(ctx, params, window)
    .rowsQuery)
    .map((r) => ({
      id: r.id,
      terminalId: r.terminalId,
      environment: r.environment,
      merchantId: r.merchantId,
      merchantName: r.merchantName,
      registerCount: r.registerCount,
      activePairing:
        r.pairingId !== null && r.pairingName !== null && r.pairedAt !== null && r.payConnectId !== null
          ? { id: r.pairingId, name: r.pairingName, payConnectId: r.payConnectId, pairedAt: r.pairedAt, pairedByEmail: r.pairedByEmail, credentialsRefusedAt: r.credentialsRefusedAt }
          : null,
    })),
);

/** The terminal list page: `q` (terminal id or pairing name), environment, status, sort, page. */
export const queryTerminals = scopedQuery(async (ctx, input: TerminalListInput = {}): Promise<TerminalList> => {
  const params = terminalList.values(input);
  const pageSize = input.pageSize ?? terminalList.pageSize;
  const total = (await firstRow(terminalListStatements(ctx, params, { limit: 1, offset: 0 }).countQuery.limit(1)))?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = total === 0 ? [] : await terminalRows(ctx, params, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
});

/** The query plans of one list page (`npm run bench -- --explain`). */
export const explainTerminalList = scopedQuery(
  async (ctx, input: TerminalListInput, window: { limit: number; offset: number }): Promise<{ count: string[]; rows: string[] }> => {
    const statements = terminalListStatements(ctx, terminalList.values(input), window);
    return { count: await explainPlan(ctx.db, statements.countQuery.toSQL()), rows: await explainPlan(ctx.db, statements.rowsQuery.toSQL()) };
  },
);
