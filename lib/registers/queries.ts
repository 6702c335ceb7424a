import "server-only";
import { and, asc, count, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { DB } from "../db/client";
import { locations, merchants, pairingAttempts, pairings, registers, terminals, type Environment, type RegisterKind } from "../db/schema";
import { clampPage } from "../lists/kit";
import { registerList, type RegisterListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type QueryContext, type Scope } from "../auth/scope";
import { firstRow, caseless, LIKE } from "../db/query";
import type { RegisterCursor } from "./cursor";

/**
 * Registers: the tree list (location → register → virtual registers, one flat page in tree
 * order), one register's page, the terminals a register may route to, the registers routed to a
 * terminal, and what the CSV import compares a file with. Archived registers are not listed.
 */

export type { RegisterListParams } from "../lists/lists";
export type RegisterListInput = Partial<RegisterListParams> & { pageSize?: number };

export type RouteSummary = {
  terminalRef: number;
  terminalId: string;
  environment: Environment;
  /** The terminal's active pairing (a routed register's terminal always has one: the database holds it). */
  pairing: { id: number; name: string; payConnectId: string } | null;
};

export type RegisterListRow = {
  id: number;
  registerId: string;
  name: string;
  kind: RegisterKind;
  parentId: number | null;
  parentName: string | null;
  externalRef: string | null;
  locationId: number;
  locationName: string;
  merchantId: number;
  merchantName: string;
  route: RouteSummary | null;
  /** When its current route was set (null: unrouted). */
  routedAt: Date | null;
};

export type RegisterList = {
  rows: RegisterListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  params: RegisterListParams;
  /** The merchant's locations (not archived), for the location filter. */
  locations: { id: number; name: string; merchantName: string }[];
  readAt: number;
};

const parent = alias(registers, "parent");
const activePairing = alias(pairings, "active_pairing");

function registerListWhere(scope: Scope, params: RegisterListParams): SQL | undefined {
  const conditions: (SQL | undefined)[] = [isNull(registers.archivedAt), scopeWhere(scope, registers.merchantId)];
  if (params.location) conditions.push(eq(registers.locationId, params.location));
  if (params.environment !== "all") conditions.push(eq(terminals.environment, params.environment));
  if (params.route === "routed") conditions.push(isNotNull(registers.terminalRef));
  if (params.route === "unrouted") conditions.push(isNull(registers.terminalRef));
  const q = params.q.trim();
  if (q) {
    const pattern = likeContains(q);
    const like = (column: SQL.Aliased | typeof registers.name | typeof registers.registerId | typeof registers.externalRef | typeof terminals.terminalId) =>
      sql`${column} ${LIKE} ${pattern} escape '\\'`;
    conditions.push(or(like(registers.name), like(registers.registerId), like(registers.externalRef), like(terminals.terminalId)));
  }
  return and(...conditions);
}

/**
 * Tree order: location, then each physical register followed by its virtual registers. Each key
 * ascending; the CSV export's keyset (registerRowsAfter) compares the same keys as one row value.
 */
const treeOrder = [
  caseless(locations.name),
  sql`${locations.id}`,
  caseless(sql`coalesce(${parent.name}, ${registers.name})`),
  sql`coalesce(${registers.parentId}, ${registers.id})`,
  sql`${registers.kind} = 'virtual'`,
  caseless(registers.name),
  sql`${registers.id}`,
];

function registerSelect(db: DB) {
  return db
    .select({
      id: registers.id,
      registerId: registers.registerId,
      name: registers.name,
      kind: registers.kind,
      parentId: registers.parentId,
      parentName: parent.name,
      externalRef: registers.externalRef,
      locationId: registers.locationId,
      locationName: locations.name,
      merchantId: registers.merchantId,
      merchantName: merchants.name,
      routedAt: registers.routedAt,
      terminalRef: terminals.id,
      terminalId: terminals.terminalId,
      environment: terminals.environment,
      pairingId: activePairing.id,
      pairingName: activePairing.name,
      payConnectId: activePairing.payConnectId,
    })
    .from(registers)
    .innerJoin(locations, eq(locations.id, registers.locationId))
    .innerJoin(merchants, eq(merchants.id, registers.merchantId))
    .leftJoin(parent, eq(parent.id, registers.parentId))
    .leftJoin(terminals, eq(terminals.id, registers.terminalRef))
    .leftJoin(activePairing, and(eq(activePairing.terminalRef, terminals.id), eq(activePairing.status, "active")));
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof registerSelect>["all"]>>[number];

function toRow(r: SelectedRow): RegisterListRow {
  return {
    id: r.id,
    registerId: r.registerId,
    name: r.name,
    kind: r.kind,
    parentId: r.parentId,
    parentName: r.parentName,
    externalRef: r.externalRef,
    locationId: r.locationId,
    locationName: r.locationName,
    merchantId: r.merchantId,
    merchantName: r.merchantName,
    routedAt: r.terminalRef !== null ? r.routedAt : null,
    route:
      r.terminalRef !== null && r.terminalId !== null && r.environment !== null
        ? {
            terminalRef: r.terminalRef,
            terminalId: r.terminalId,
            environment: r.environment,
            pairing:
              r.pairingId !== null && r.pairingName !== null && r.payConnectId !== null
                ? { id: r.pairingId, name: r.pairingName, payConnectId: r.payConnectId }
                : null,
          }
        : null,
  };
}

/** Rows `offset…offset+limit` of the tree: a page. */
export const registerRows = scopedQuery(
  async ({ db, scope }: QueryContext, params: RegisterListParams, window: { limit: number; offset: number }): Promise<RegisterListRow[]> => {
    // Two steps: the page's ids, sorting only the tree order's keys of every matching register
    // (the order is computed across tables, so no index serves it), then the page's rows with
    // their routes and pairings, joined for those ids only.
    const ids = (
      await db
        .select({ id: registers.id })
        .from(registers)
        .innerJoin(locations, eq(locations.id, registers.locationId))
        .leftJoin(parent, eq(parent.id, registers.parentId))
        .leftJoin(terminals, eq(terminals.id, registers.terminalRef))
        .where(registerListWhere(scope, params))
        .orderBy(...treeOrder)
        .limit(window.limit)
        .offset(window.offset)
    ).map((r) => r.id);
    if (ids.length === 0) return [];
    const byId = new Map((await registerSelect(db).where(inArray(registers.id, ids))).map((r) => [r.id, toRow(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  },
);

/**
 * The `limit` rows of the tree after `after` (from the start when null): the CSV export's
 * batches. A keyset on the tree order's keys compared as one row value, each with its collation,
 * so that a batch deep in the tree costs what the first does (OFFSET would read every row before it).
 */
export const registerRowsAfter = scopedQuery(
  async ({ db, scope }: QueryContext, params: RegisterListParams, after: RegisterCursor | null, limit: number): Promise<RegisterListRow[]> => {
    const keyset = after
      ? // The cursor's values go through the same expressions as the keys (names without regard to
        // case, the virtual flag as a comparison): each engine then compares like with like.
        sql`(${sql.join(treeOrder, sql`, `)}) > (${caseless(sql`${after[0]}`)}, ${after[1]}, ${caseless(sql`${after[2]}`)}, ${after[3]}, (${after[4]} = 1), ${caseless(sql`${after[5]}`)}, ${after[6]})`
      : undefined;
    return (await registerSelect(db)
      .where(and(registerListWhere(scope, params), keyset))
      .orderBy(...treeOrder)
      .limit(limit))
      .map(toRow);
  },
);

export const queryRegisters = scopedQuery(async (ctx: QueryContext, input: RegisterListInput = {}): Promise<RegisterList> => {
  const { db, scope } = ctx;
  const params = registerList.values(input);
  const pageSize = input.pageSize ?? registerList.pageSize;
  const total =
    (await firstRow(db
      .select({ n: count() })
      .from(registers)
      .leftJoin(terminals, eq(terminals.id, registers.terminalRef))
      .where(registerListWhere(scope, params)).limit(1)))?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = await registerRows(ctx, params, { limit: pageSize, offset: (page - 1) * pageSize });
  const locationOptions = await db
    .select({ id: locations.id, name: locations.name, merchantName: merchants.name })
    .from(locations)
    .innerJoin(merchants, eq(merchants.id, locations.merchantId))
    .where(and(isNull(locations.archivedAt), scopeWhere(scope, locations.merchantId)))
    .orderBy(caseless(locations.name), asc(locations.id));
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, locations: locationOptions, readAt: Date.now() };
});

export type RegisterDetail = RegisterListRow & {
  /** The routed terminal's configuration (its currency), null when unrouted. */
  terminalConfig: { currency: string | null; paymentMethods: string | null } | null;
  archivedAt: Date | null;
  createdAt: Date;
  routedAt: Date | null;
  locationTimeZone: string;
  locationArchived: boolean;
  merchantStatus: "active" | "suspended";
  /** The physical register's virtual registers (not archived), with their routes. */
  children: RegisterListRow[];
  /** Other registers (not archived) routed to the same terminal. */
  othersOnTerminal: number;
  /**
   * The pairing just made from this register's page (`?paired=`), while it is still active, with
   * its attempt's warning: null otherwise.
   */
  justPaired: { id: number; name: string; hasWebhookSecret: boolean; warning: string | null } | null;
};

/**
 * One register, in the caller's scope (archived ones too: their page says so). `pairedId`: the
 * pairing the register page's pairing form just made (its notice), looked up only among the
 * attempts made for this register.
 */
export const queryRegister = scopedQuery(async ({ db, scope }: QueryContext, id: number, pairedId?: number): Promise<RegisterDetail | null> => {
  const row = await firstRow(registerSelect(db)
    .where(and(eq(registers.id, id), scopeWhere(scope, registers.merchantId))).limit(1));
  if (!row) return null;
  const extra = (await firstRow(db
    .select({
      archivedAt: registers.archivedAt,
      createdAt: registers.createdAt,
      routedAt: registers.routedAt,
      timeZone: locations.timeZone,
      locationArchivedAt: locations.archivedAt,
      merchantStatus: merchants.status,
    })
    .from(registers)
    .innerJoin(locations, eq(locations.id, registers.locationId))
    .innerJoin(merchants, eq(merchants.id, registers.merchantId))
    .where(eq(registers.id, id)).limit(1)))!;
  const children =
    row.kind === "physical"
      ? (await registerSelect(db)
          .where(and(eq(registers.parentId, id), isNull(registers.archivedAt), scopeWhere(scope, registers.merchantId)))
          .orderBy(caseless(registers.name), asc(registers.id)))
          .map(toRow)
      : [];
  const othersOnTerminal =
    row.terminalRef === null
      ? 0
      : ((await firstRow(db
          .select({ n: count() })
          .from(registers)
          .where(and(eq(registers.terminalRef, row.terminalRef), ne(registers.id, id))).limit(1)))?.n ?? 0);
  const justPaired =
    pairedId === undefined
      ? null
      : (await firstRow(db
          .select({
            id: pairings.id,
            name: pairings.name,
            hasWebhookSecret: pairings.hasWebhookSecret,
            warning: pairingAttempts.warning,
          })
          .from(pairingAttempts)
          .innerJoin(pairings, eq(pairings.id, pairingAttempts.pairingId))
          .where(
            and(
              eq(pairingAttempts.pairingId, pairedId),
              eq(pairingAttempts.registerRef, id),
              eq(pairings.status, "active"),
              scopeWhere(scope, pairings.merchantId),
            ),
          ).limit(1)) ?? null);
  // The routed terminal's configuration: the currency a charge from this register is typed in.
  const terminalConfig =
    row.terminalRef === null
      ? null
      : (await firstRow(db
          .select({ currency: terminals.currency, paymentMethods: terminals.paymentMethods })
          .from(terminals)
          .where(and(eq(terminals.id, row.terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1)) ?? null);
  return {
    ...toRow(row),
    terminalConfig,
    archivedAt: extra.archivedAt,
    createdAt: extra.createdAt,
    routedAt: extra.routedAt,
    locationTimeZone: extra.timeZone,
    locationArchived: extra.locationArchivedAt !== null,
    merchantStatus: extra.merchantStatus,
    children,
    othersOnTerminal,
    justPaired,
  };
});

export type RoutableTerminal = {
  terminalRef: number;
  terminalId: string;
  environment: Environment;
  pairingName: string;
  payConnectId: string;
  /** Registers (not archived) routed to it now. */
  registers: number;
};

/**
 * The terminals a register of `merchantId` may route to: its merchant's, with an active pairing,
 * in one environment, searched by terminal id or pairing name. At most `limit`.
 */
export const queryRoutableTerminals = scopedQuery(
  async (
    { db, scope }: QueryContext,
    input: { merchantId: number; environment: Environment; q?: string; limit?: number },
  ): Promise<RoutableTerminal[]> => {
    const q = (input.q ?? "").trim().slice(0, 100);
    const pattern = likeContains(q);
    const routed = sql<number>`(select count(*) from ${registers} r where r.terminal_ref = ${terminals.id})`;
    return await db
      .select({
        terminalRef: terminals.id,
        terminalId: terminals.terminalId,
        environment: terminals.environment,
        pairingName: pairings.name,
        payConnectId: pairings.payConnectId,
        registers: routed,
      })
      .from(terminals)
      .innerJoin(pairings, and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active")))
      .where(
        and(
          eq(terminals.merchantId, input.merchantId),
          scopeWhere(scope, terminals.merchantId),
          eq(terminals.environment, input.environment),
          q ? or(sql`${terminals.terminalId} ${LIKE} ${pattern} escape '\\'`, sql`${pairings.name} ${LIKE} ${pattern} escape '\\'`) : undefined,
        ),
      )
      .orderBy(asc(terminals.terminalId), asc(terminals.id))
      .limit(Math.min(Math.max(input.limit ?? 50, 1), 200));
  },
);

/** The registers (not archived) that send their payments to a terminal, in tree order. */
export const queryTerminalRegisters = scopedQuery(async ({ db, scope }: QueryContext, terminalRef: number): Promise<RegisterListRow[]> =>
  (await registerSelect(db)
    .where(and(eq(registers.terminalRef, terminalRef), isNull(registers.archivedAt), scopeWhere(scope, registers.merchantId)))
    .orderBy(...treeOrder))
    .map(toRow),
);

export type ImportExisting = {
  locations: { id: number; name: string }[];
  registers: { id: number; locationId: number; name: string; kind: RegisterKind; parentId: number | null; externalRef: string | null }[];
};

/** A merchant's locations and registers (not archived): what a CSV import is compared with. */
export const queryImportExisting = scopedQuery(async ({ db, scope }: QueryContext, merchantId: number): Promise<ImportExisting> => {
  const merchantWhere = (column: typeof locations.merchantId | typeof registers.merchantId) =>
    and(eq(column, merchantId), scopeWhere(scope, column));
  return {
    locations: await db
      .select({ id: locations.id, name: locations.name })
      .from(locations)
      .where(and(merchantWhere(locations.merchantId), isNull(locations.archivedAt))),
    registers: await db
      .select({
        id: registers.id,
        locationId: registers.locationId,
        name: registers.name,
        kind: registers.kind,
        parentId: registers.parentId,
        externalRef: registers.externalRef,
      })
      .from(registers)
      .where(and(merchantWhere(registers.merchantId), isNull(registers.archivedAt))),
  };
});
