import "server-only";
import { and, count, eq, exists, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { pairings, terminals, users, type Environment } from "../db/schema";

/**
 * The terminal list: one row per terminal with its newest active pairing.
 *
 * Built to stay fast with 10,000+ terminals: the filters are EXISTS probes on
 * `pairings_terminal_status_idx` (terminal_ref, status, created_at), the page of terminal ids is
 * cut first (ordered by `terminals_terminal_id_idx`, LIMIT/OFFSET), and only then are the
 * correlated subqueries (newest active pairing, active count) run, for the rows shown.
 */

export const TERMINAL_PAGE_SIZE = 50;
export const TERMINAL_ENVIRONMENT_FILTERS = ["all", "production", "sandbox"] as const;
export const TERMINAL_STATUS_FILTERS = ["all", "paired", "unpaired"] as const;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** URL parameters of the list. Bad or missing values fall back to the defaults. */
export const terminalListParamsSchema = z.object({
  q: z.preprocess(first, z.string().trim().transform((s) => s.slice(0, 100))).catch(""),
  environment: z.preprocess(first, z.enum(TERMINAL_ENVIRONMENT_FILTERS)).catch("all"),
  status: z.preprocess(first, z.enum(TERMINAL_STATUS_FILTERS)).catch("all"),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  pageSize: z.preprocess(first, z.coerce.number().int().min(1).max(200)).catch(TERMINAL_PAGE_SIZE),
});

export type TerminalListParams = z.output<typeof terminalListParamsSchema>;
/** What a caller may pass: raw search params are fine, they are parsed. */
export type TerminalListInput = Partial<Record<keyof TerminalListParams, unknown>>;

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
};

export function parseTerminalListParams(input: TerminalListInput = {}): TerminalListParams {
  return terminalListParamsSchema.parse(input);
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
  if (params.q) {
    const pattern = likeContains(params.q);
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

/** The two statements of one list page, unexecuted (the bench explains them). */
export function terminalListStatements(db: DB, params: TerminalListParams, page: number) {
  const where = terminalListWhere(db, params);
  const countQuery = db.select({ n: count() }).from(terminals).where(where);

  const pageIds = db.$with("page_ids").as(
    db
      .select({ id: terminals.id })
      .from(terminals)
      .where(where)
      .orderBy(terminals.terminalId, terminals.id)
      .limit(params.pageSize)
      .offset((page - 1) * params.pageSize),
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
    .orderBy(terminals.terminalId, terminals.id);
  return { countQuery, rowsQuery };
}

/** The list without a session check: for the bench, tests and `listTerminals`. */
export function queryTerminals(db: DB, input: TerminalListInput = {}): TerminalList {
  const params = parseTerminalListParams(input);
  const total = terminalListStatements(db, params, 1).countQuery.get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pageCount);
  const rows = total === 0 ? [] : terminalListStatements(db, params, page).rowsQuery.all();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      terminalId: r.terminalId,
      environment: r.environment,
      activePairingCount: r.activePairingCount,
      activePairing:
        r.pairingId !== null && r.pairingName !== null && r.pairedAt !== null
          ? { id: r.pairingId, name: r.pairingName, pairedAt: r.pairedAt, pairedByEmail: r.pairedByEmail }
          : null,
    })),
    total,
    page,
    pageSize: params.pageSize,
    pageCount,
    params: { ...params, page },
  };
}

/** The terminal list page: `q` (terminal id or pairing name), environment, status, page. */
export async function listTerminals(input: TerminalListInput = {}): Promise<TerminalList> {
  await requireUser("terminals:read");
  return queryTerminals(getDb(), input);
}
