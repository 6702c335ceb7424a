/**
 * The transactions list: keyset pages (a cursor of (sort value, id), so that a deep page costs
 * what the first one does, whatever the number of rows), its count, the CSV's batches and the
 * filters' choices. Every query keeps to the merchant scope.
 */
import "server-only";
import { and, asc, count as count_, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { locations, merchants, pairings, registers, terminals, transactions } from "../db/schema";
import { ENVIRONMENTS, OPEN_TRANSACTION_STATUSES } from "../domain";
import { LIST_COUNT_CAP, TRANSACTION_SCAN_WINDOW, transactionList, type TransactionListParams } from "../lists/lists";
import { likeContains, searchAmount } from "../lists/search";
import type { Cursor } from "../lists/cursor";
import { scopedQuery, scopeWhere } from "../auth/scope";
import { firstRow, LIKE } from "../db/query";

export type { Cursor } from "../lists/cursor";

export type { TransactionListParams } from "../lists/lists";

export type TransactionListRow = {
  id: number;
  providerTransactionId: string;
  clientTransactionId: string | null;
  status: (typeof transactions.$inferSelect)["status"];
  kind: (typeof transactions.$inferSelect)["kind"];
  amount: number;
  refundTotalAmount: number;
  currency: string | null;
  environment: (typeof transactions.$inferSelect)["environment"];
  terminalRef: number;
  terminalId: string;
  /** The name of the pairing it was made or first seen through. */
  pairingName: string | null;
  registerRef: number | null;
  registerName: string | null;
  /** A refund's charge (ours, and the provider's id), when Pairdesk knows it. */
  linkedTransactionRef: number | null;
  chargeProviderId: string | null;
  /** A charge's refunds, oldest first. */
  refunds: { id: number; providerTransactionId: string; amount: number; status: (typeof transactions.$inferSelect)["status"] }[];
  merchantId: number;
  merchantName: string;
  createdAt: Date;
  statusChangedAt: Date;
  statusSource: (typeof transactions.$inferSelect)["statusSource"];
  staleAt: Date | null;
};

type Scope = Parameters<typeof scopeWhere>[0];
type DB = Parameters<Parameters<typeof scopedQuery>[0]>[0]["db"];

/** A search names at most this many terminals and registers. */
const SEARCH_REFS = 25;

/**
 * The list's conditions in two parts: what an index serves (the scope, status, terminal,
 * register, dates, and a search by id, terminal or register), and what none does (environment,
 * kind, an amount in the search): those are looked for among at most TRANSACTION_SCAN_WINDOW
 * rows per page.
 */
async function conditionsOf(db: DB, scope: Scope, p: TransactionListParams): Promise<{ indexed: SQL[]; search: SQL[] | null; scanned: SQL[]; }> {
  let search: SQL[] | null = null;
  const indexed: (SQL | undefined)[] = [scopeWhere(scope, transactions.merchantId)];
  const scanned: (SQL | undefined)[] = [];
  if (p.status === "open") indexed.push(inArray(transactions.status, [...OPEN_TRANSACTION_STATUSES]));
  else if (p.status !== "all") indexed.push(eq(transactions.status, p.status));
  if (p.terminal) indexed.push(eq(transactions.terminalRef, p.terminal));
  if (p.register) indexed.push(eq(transactions.registerRef, p.register));
  if (p.from) indexed.push(gte(transactions.createdAt, new Date(`${p.from}T00:00:00Z`)));
  if (p.to) indexed.push(lt(transactions.createdAt, new Date(Date.parse(`${p.to}T00:00:00Z`) + 86_400_000)));
  if (p.environment !== "all") scanned.push(eq(transactions.environment, p.environment));
  if (p.kind === "refund") scanned.push(inArray(transactions.kind, ["refund", "independent_refund"]));
  else if (p.kind !== "all") scanned.push(eq(transactions.kind, p.kind));
  const q = p.q.trim();
  if (q) {
    const like = likeContains(q);
    // Terminals by their id (or its start: the index, as typed or in capitals), by their
    // pairings' names (anywhere in the name) or Pay-Connect ids; registers by name; all in the
    // scope. The pairings and registers are read whole (thousands of short rows, no index on a
    // name), never the transactions.
    const prefix = (text: string) => and(gte(terminals.terminalId, text), lt(terminals.terminalId, `${text}\uffff`));
    const terminalRefs = [
      ...new Set([
        ...(await db
          .select({ id: terminals.id })
          .from(terminals)
          .where(and(scopeWhere(scope, terminals.merchantId), or(prefix(q), prefix(q.toUpperCase()))))
          .limit(SEARCH_REFS))
          .map((r) => r.id),
        ...(await db
          .select({ id: pairings.terminalRef })
          .from(pairings)
          .where(and(scopeWhere(scope, pairings.merchantId), or(sql`${pairings.name} ${LIKE} ${like} escape '\\'`, eq(pairings.payConnectId, q))))
          .limit(SEARCH_REFS))
          .map((r) => r.id),
      ]),
    ].slice(0, SEARCH_REFS);
    const registerRefs = (await db
      .select({ id: registers.id })
      .from(registers)
      .where(and(scopeWhere(scope, registers.merchantId), sql`${registers.name} ${LIKE} ${like} escape '\\'`))
      .limit(SEARCH_REFS))
      .map((r) => r.id);
    const terms: SQL[] = [
      // The provider's id whole or by its start (an index range); our client transaction id
      // (its unique index leads with the environment).
      and(gte(transactions.providerTransactionId, q), lt(transactions.providerTransactionId, `${q}\uffff`))!,
      and(inArray(transactions.environment, [...ENVIRONMENTS]), eq(transactions.clientTransactionId, q))!,
    ];
    // One term per terminal and register: each walks its own index in the list's order.
    for (const ref of terminalRefs) terms.push(eq(transactions.terminalRef, ref));
    for (const ref of registerRefs) terms.push(eq(transactions.registerRef, ref));
    const amount = searchAmount(q);
    if (amount === null) search = terms;
    else scanned.push(or(...terms, eq(transactions.amount, amount)));
  }
  const defined = (list: (SQL | undefined)[]) => list.filter((w): w is SQL => w !== undefined);
  return { indexed: defined(indexed), search, scanned: defined(scanned) };
}

/**
 * What the page says about the rows' number. `exact` / `more` (past LIST_COUNT_CAP): the whole
 * list's, with where this page starts (null when that is past the cap too). `window`: the list
 * looks through at most `scanned` rows a page, and the first found `matches` there, back to
 * `through` (null: it reached the end, so `matches` is the whole list's number).
 */
export type TransactionCount =
  | { kind: "exact"; total: number; start: number | null }
  | { kind: "more"; start: number | null }
  | { kind: "window"; scanned: number; matches: number; through: Date | null };

export type TransactionListPage = {
  rows: TransactionListRow[];
  next: Cursor | null;
  prev: Cursor | null;
  params: TransactionListParams;
  /** When the rows were read: what "5 minutes ago" counts from. */
  readAt: number;
  /** Null on a later page of a list that looks through windows (its count is the first page's). */
  count: TransactionCount | null;
  /**
   * A page of a windowed list that stopped at the window's end: how far back (or forward) it
   * looked; Next (or Previous) goes on from there.
   */
  lookedThrough: Date | null;
};

/**
 * One keyset page: `after` the cursor in the sort's direction (the next page), or `before` it
 * (the previous page). Returns the rows in the sort's order, and the cursors of the pages
 * around them (null when there is none). `count: false` (the CSV export) skips the count.
 */
export const queryTransactions = scopedQuery(
  async (
    { db, scope },
    params: TransactionListParams,
    page: { after?: Cursor | null; before?: Cursor | null; limit?: number; count?: boolean } = {},
  ): Promise<TransactionListPage> => {
    const limit = page.limit ?? transactionList.pageSize;
    const { column, direction } = transactionList.sortOf(params);
    const col = column === "updated" ? transactions.statusChangedAt : transactions.createdAt;
    const backwards = !page.after && !!page.before;
    const cursor = page.after ?? page.before ?? null;
    const wantCount = page.count !== false;
    // Walking forward in a descending sort means smaller keys; backwards, larger.
    const smaller = (direction === "desc") !== backwards;
    // Past the cursor in the walk's direction; and up to (and with) the window's last row.
    const beyond = (c: Cursor) =>
      smaller ? sql`(${col}, ${transactions.id}) < (${c.at}, ${c.id})` : sql`(${col}, ${transactions.id}) > (${c.at}, ${c.id})`;
    const upTo = (c: Cursor) =>
      smaller ? sql`(${col}, ${transactions.id}) >= (${c.at}, ${c.id})` : sql`(${col}, ${transactions.id}) <= (${c.at}, ${c.id})`;
    const { indexed: filters, search, scanned } = await conditionsOf(db, scope, params);
    // For the counts: the search as one condition.
    const indexed = search ? [...filters, or(...search)!] : filters;
    const where = [...filters];
    if (cursor) where.push(beyond(cursor));
    const order = smaller ? [desc(col), desc(transactions.id)] : [asc(col), asc(transactions.id)];
    const keyCols = { id: transactions.id, at: sql<number>`${col}` };

    let keys: Cursor[];
    let more: boolean;
    let boundary: Cursor | null = null;
    if (scanned.length === 0) {
      // A search: each of its terms walks its own index, and the pages merge (one OR would
      // gather every row of a busy terminal and sort them).
      const found = new Map<number, Cursor>();
      for (const term of search ?? [undefined]) {
        for (const k of await db.select(keyCols).from(transactions).where(and(...where, term)).orderBy(...order).limit(limit + 1)) found.set(k.id, k);
      }
      keys = [...found.values()].sort((a, b) => (smaller ? b.at - a.at || b.id - a.id : a.at - b.at || a.id - b.id)).slice(0, limit + 1);
      more = keys.length > limit;
    } else {
      // The window: the TRANSACTION_SCAN_WINDOW rows that the indexed conditions give from the
      // cursor on (the last one found on the index alone), then the other conditions in it.
      // (A search here is inside `scanned`: it holds an amount.)
      boundary = await firstRow(db.select(keyCols).from(transactions).where(and(...where)).orderBy(...order).limit(1).offset(TRANSACTION_SCAN_WINDOW - 1)) ?? null;
      const inWindow = [...where, ...scanned];
      if (boundary) inWindow.push(upTo(boundary));
      // The first page counts what the window holds; the others stop at one page.
      keys = await db
        .select(keyCols)
        .from(transactions)
        .where(and(...inWindow))
        .orderBy(...order)
        .limit(wantCount && !cursor ? TRANSACTION_SCAN_WINDOW : limit + 1);
      more = keys.length > limit;
    }
    const windowCount = scanned.length > 0 && wantCount && !cursor ? keys.length : null;
    const shownKeys = keys.slice(0, limit);
    // Stopped at the window's end with room left: Next (Previous) goes on from there.
    const stoppedAt = !more && boundary ? boundary : null;
    const rows = await rowsOf(db, scope, shownKeys.map((k) => k.id));
    if (backwards) rows.reverse();
    const key = (r: TransactionListRow): Cursor => transactionList.cursorOf(params, r);
    const first = rows[0];
    const last = rows[rows.length - 1];
    // The far end of this page from where it was reached: where to go on (more rows, or the
    // window's end); the near end: back where it came from.
    const onward = more && (backwards ? first : last) ? key((backwards ? first : last)!) : stoppedAt;
    const homeward = cursor ? (backwards ? (last ? key(last) : cursor) : first ? key(first) : cursor) : null;
    const next = backwards ? homeward : onward;
    const prev = backwards ? onward : homeward;

    let count: TransactionCount | null = null;
    if (windowCount !== null) {
      count = { kind: "window", scanned: TRANSACTION_SCAN_WINDOW, matches: windowCount, through: boundary ? new Date(boundary.at) : null };
    } else if (wantCount && scanned.length === 0) {
      const capped = async (conditions: SQL[]) =>
        (await firstRow(db
          .select({ n: count_() })
          .from(db.select({ one: sql`1` }).from(transactions).where(and(...conditions)).limit(LIST_COUNT_CAP + 1).as("capped")).limit(1)))?.n ?? 0;
      const total = await capped(indexed);
      // Where the page starts: the rows before its first one, in the list's order.
      let start: number | null = 1;
      if (first && cursor) {
        const k = key(first);
        const ahead = await capped([...indexed, direction === "desc" ? sql`(${col}, ${transactions.id}) > (${k.at}, ${k.id})` : sql`(${col}, ${transactions.id}) < (${k.at}, ${k.id})`]);
        start = ahead > LIST_COUNT_CAP ? null : ahead + 1;
      }
      count = total > LIST_COUNT_CAP ? { kind: "more", start } : { kind: "exact", total, start };
    }
    return {
      rows,
      next,
      prev,
      params,
      readAt: Date.now(),
      count,
      lookedThrough: stoppedAt ? new Date(stoppedAt.at) : null,
    };
  },
);

/** The rows of these ids, in this order, with the names the list shows. */
async function rowsOf(db: DB, scope: Scope, ids: number[]): Promise<TransactionListRow[]> {
  if (ids.length === 0) return [];
  const base = await db
    .select({
      id: transactions.id,
      providerTransactionId: transactions.providerTransactionId,
      clientTransactionId: transactions.clientTransactionId,
      status: transactions.status,
      kind: transactions.kind,
      amount: transactions.amount,
      refundTotalAmount: transactions.refundTotalAmount,
      currency: transactions.currency,
      environment: transactions.environment,
      terminalRef: transactions.terminalRef,
      pairingId: transactions.pairingId,
      registerRef: transactions.registerRef,
      merchantId: transactions.merchantId,
      linkedTransactionRef: transactions.linkedTransactionRef,
      createdAt: transactions.createdAt,
      statusChangedAt: transactions.statusChangedAt,
      statusSource: transactions.statusSource,
      staleAt: transactions.staleAt,
    })
    .from(transactions)
    .where(and(inArray(transactions.id, ids), scopeWhere(scope, transactions.merchantId)));
  const byId = new Map(base.map((r) => [r.id, r]));
  const ordered = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  const distinct = <T,>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
  const names = async <T extends { id: number; v: string }>(list: number[], read: (ids: number[]) => Promise<T[]>) =>
    new Map(list.length ? (await read(list)).map((r) => [r.id, r.v]) : []);
  const terminalNames = await names(distinct(ordered.map((r) => r.terminalRef)), async (l) =>
    await db.select({ id: terminals.id, v: terminals.terminalId }).from(terminals).where(inArray(terminals.id, l)),
  );
  const pairingNames = await names(distinct(ordered.map((r) => r.pairingId)), async (l) =>
    await db.select({ id: pairings.id, v: pairings.name }).from(pairings).where(inArray(pairings.id, l)),
  );
  const registerNames = await names(distinct(ordered.map((r) => r.registerRef)), async (l) =>
    await db.select({ id: registers.id, v: registers.name }).from(registers).where(inArray(registers.id, l)),
  );
  const merchantNames = await names(distinct(ordered.map((r) => r.merchantId)), async (l) =>
    await db.select({ id: merchants.id, v: merchants.name }).from(merchants).where(inArray(merchants.id, l)),
  );
  // A refund's charge, and the refunds of the charges shown (the linked index), in the scope.
  const charges = await names(distinct(ordered.map((r) => r.linkedTransactionRef)), async (l) =>
    await db
      .select({ id: transactions.id, v: transactions.providerTransactionId })
      .from(transactions)
      .where(and(inArray(transactions.id, l), scopeWhere(scope, transactions.merchantId))),
  );
  const refunded = ordered.filter((r) => r.refundTotalAmount > 0 || r.kind === "charge" || r.kind === "preauth").map((r) => r.id);
  const refunds = new Map<number, TransactionListRow["refunds"]>();
  if (refunded.length) {
    const list = await db
      .select({
        id: transactions.id,
        chargeRef: transactions.linkedTransactionRef,
        providerTransactionId: transactions.providerTransactionId,
        amount: transactions.amount,
        status: transactions.status,
      })
      .from(transactions)
      .where(and(inArray(transactions.linkedTransactionRef, refunded), scopeWhere(scope, transactions.merchantId)))
      .orderBy(asc(transactions.id));
    for (const { chargeRef, ...r } of list) {
      if (chargeRef === null) continue;
      const of = refunds.get(chargeRef) ?? [];
      of.push(r);
      refunds.set(chargeRef, of);
    }
  }
  return ordered.map(({ pairingId, ...r }) => ({
    ...r,
    terminalId: terminalNames.get(r.terminalRef) ?? "",
    pairingName: pairingNames.get(pairingId) ?? null,
    registerName: r.registerRef === null ? null : (registerNames.get(r.registerRef) ?? null),
    merchantName: merchantNames.get(r.merchantId) ?? "",
    chargeProviderId: r.linkedTransactionRef === null ? null : (charges.get(r.linkedTransactionRef) ?? null),
    refunds: refunds.get(r.id) ?? [],
  }));
}

/**
 * For the CSV export: the rows after `cursor`, in the list's order, `limit` of them unless the
 * list ends first (a windowed list goes on through as many windows as that takes).
 */
export const transactionRows = scopedQuery(async (ctx, params: TransactionListParams, after: Cursor | null, limit: number) => {
  const rows: TransactionListRow[] = [];
  let from = after;
  for (;;) {
    const page = await queryTransactions(ctx, params, { after: from, limit: limit - rows.length, count: false });
    rows.push(...page.rows);
    if (rows.length >= limit || !page.next) return rows;
    from = page.next;
  }
});

/** How many terminals (or registers) a filter offers as a list; past that, the search finds them. */
const FILTER_OPTIONS = 200;

export type TransactionFilterOptions = {
  /** Null: more than FILTER_OPTIONS (the search box finds a terminal by its id or name). */
  terminals: { id: number; terminalId: string; pairingName: string | null }[] | null;
  registers: { id: number; name: string; locationName: string }[] | null;
};

/** The terminal and register filters' choices, in the scope: each active pairing's name beside its terminal. */
export const queryTransactionFilterOptions = scopedQuery(async ({ db, scope }): Promise<TransactionFilterOptions> => {
  const terminalRows = await db
    .select({ id: terminals.id, terminalId: terminals.terminalId, pairingName: pairings.name })
    .from(terminals)
    .leftJoin(pairings, and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active"), scopeWhere(scope, pairings.merchantId)))
    .where(scopeWhere(scope, terminals.merchantId))
    .orderBy(asc(terminals.terminalId), asc(terminals.id))
    .limit(FILTER_OPTIONS + 1);
  const registerRows = await db
    .select({ id: registers.id, name: registers.name, locationName: locations.name })
    .from(registers)
    .innerJoin(locations, eq(locations.id, registers.locationId))
    .where(and(scopeWhere(scope, registers.merchantId), isNull(registers.archivedAt)))
    .orderBy(asc(locations.name), asc(registers.name), asc(registers.id))
    .limit(FILTER_OPTIONS + 1);
  return {
    terminals: terminalRows.length > FILTER_OPTIONS ? null : terminalRows,
    registers: registerRows.length > FILTER_OPTIONS ? null : registerRows,
  };
});
