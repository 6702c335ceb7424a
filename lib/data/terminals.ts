import "server-only";
import { and, asc, count, desc, eq, exists, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { pairings, terminals, users, type Environment } from "../db/schema";
import { clampPage } from "../lists/kit";
import { terminalList, type TerminalListParams } from "../lists/lists";

/**
 * The terminal list: one row per terminal with its newest active pairing.
 *
 * Built to stay fast with 10,000+ terminals: the filters are EXISTS probes on
 * `pairings_terminal_status_idx` (terminal_ref, status, created_at), the page of terminal ids is
 * cut first (ordered by `terminals_terminal_id_idx`, or by environment on
 * `terminals_environment_terminal_id_unique`, LIMIT/OFFSET), and only then are the correlated
 * subqueries (newest active pairing, active count) run, for the rows shown. Sorting by "paired
 * at" probes the same pairings index once per terminal (max created_at of its active pairings).
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
  /** How many pairings of this terminal are active (one per register it serves). */
  activePairingCount: number;
  /** The newest active pairing, or null when the terminal is unpaired. */
  activePairing: {
    id: number;
    name: string;
    pairedAt: Date;
    pairedByEmail: string | null;
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

export function terminalParams(input: TerminalListInput = {}): TerminalListParams {
  return terminalList.values(input);
}

/** `%`, `_` and `\` match themselves in the search box. Use with `escape '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function hasActivePairing(db: DB) {
  return db
    .select({ one: sql`1` })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active")));
}

/** The WHERE of the list (on the unaliased `terminals` table). */
export function terminalListWhere(db: DB, params: TerminalListParams): SQL | undefined {
  const conditions: SQL[] = [];
  if (params.environment !== "all") conditions.push(eq(terminals.environment, params.environment));
  if (params.status === "paired") conditions.push(exists(hasActivePairing(db)));
  if (params.status === "unpaired") conditions.push(notExists(hasActivePairing(db)));
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
          sql`${pairings.name} like ${pattern} escape '\\'`,
        ),
      );
    conditions.push(
      or(sql`${terminals.terminalId} like ${pattern} escape '\\'`, exists(nameMatches))!,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** ORDER BY of the list, on the unaliased `terminals` table; ties broken by terminal id, then id. */
function terminalOrder(params: TerminalListParams): SQL[] {
  const { column, direction } = terminalList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  switch (column) {
    case "environment":
      return [dir(terminals.environment), asc(terminals.terminalId), asc(terminals.id)];
    case "paired_at": {
      const pairedAt = sql`(
        select max(p.created_at) from ${pairings} p
        where p.terminal_ref = ${terminals.id} and p.status = 'active'
      )`;
      // Unpaired terminals last, whichever the direction.
      return [sql`${pairedAt} is null`, dir(pairedAt), asc(terminals.terminalId), asc(terminals.id)];
    }
    default:
      return [dir(terminals.terminalId), dir(terminals.id)];
  }
}

/** The two statements of one list page (or CSV batch), unexecuted (the bench explains them). */
export function terminalListStatements(
  db: DB,
  params: TerminalListParams,
  window: { limit: number; offset: number },
) {
  const where = terminalListWhere(db, params);
  const order = terminalOrder(params);
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
    where p.terminal_ref = ${terminals.id} and p.status = 'active'
    order by p.created_at desc, p.id desc
    limit 1
  )`;
  const activeCount = sql<number>`(
    select count(*) from ${pairings} p
    where p.terminal_ref = ${terminals.id} and p.status = 'active'
  )`;
  const rowsQuery = db
    .with(pageIds)
    .select({
      id: terminals.id,
      terminalId: terminals.terminalId,
      environment: terminals.environment,
      activePairingCount: activeCount,
      pairingId: newest.id,
      pairingName: newest.name,
      pairedAt: newest.createdAt,
      pairedByEmail: creator.email,
    })
    .from(pageIds)
    // CROSS JOIN makes SQLite keep page_ids as the outer loop: 50 primary-key lookups, not a
    // walk of the whole terminal_id index to avoid sorting 50 rows.
    .crossJoin(terminals)
    .leftJoin(newest, eq(newest.id, newestActiveId))
    .leftJoin(creator, eq(creator.id, newest.createdById))
    .where(eq(terminals.id, pageIds.id))
    .orderBy(...order);
  return { countQuery, rowsQuery };
}

/** Rows `offset…offset+limit` of the list: a page, or a batch of the CSV export. */
export function terminalRows(db: DB, params: TerminalListParams, window: { limit: number; offset: number }): TerminalListRow[] {
  return terminalListStatements(db, params, window)
    .rowsQuery.all()
    .map((r) => ({
      id: r.id,
      terminalId: r.terminalId,
      environment: r.environment,
      activePairingCount: r.activePairingCount,
      activePairing:
        r.pairingId !== null && r.pairingName !== null && r.pairedAt !== null
          ? { id: r.pairingId, name: r.pairingName, pairedAt: r.pairedAt, pairedByEmail: r.pairedByEmail }
          : null,
    }));
}

/** The list without a session check: for the bench, tests and `listTerminals`. */
export function queryTerminals(db: DB, input: TerminalListInput = {}): TerminalList {
  const params = terminalParams(input);
  const pageSize = input.pageSize ?? terminalList.pageSize;
  const total = terminalListStatements(db, params, { limit: 1, offset: 0 }).countQuery.get()?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = total === 0 ? [] : terminalRows(db, params, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
}

/** The terminal list page: `q` (terminal id or pairing name), environment, status, sort, page. */
export async function listTerminals(input: TerminalListInput = {}): Promise<TerminalList> {
  await requireUser("terminals:read");
  return queryTerminals(getDb(), input);
}
