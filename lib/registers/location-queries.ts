import "server-only";
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { locations, merchants, pairings, registers, terminals, type Environment, type RegisterKind } from "../db/schema";
import { clampPage } from "../lists/kit";
import { locationList, type LocationListParams } from "../lists/lists";
import { likeContains } from "../lists/search";
import { scopedQuery, scopeWhere, type QueryContext } from "../auth/scope";
import { firstRow, caseless, LIKE } from "../db/query";

/** Locations: the list with its register counts, and one location with its routing at a glance. */

export type { LocationListParams } from "../lists/lists";

export type LocationListRow = {
  id: number;
  name: string;
  address: string;
  timeZone: string;
  merchantId: number;
  merchantName: string;
  archivedAt: Date | null;
  createdAt: Date;
  /** Registers and virtual registers not archived; how many of them route nowhere. */
  registers: number;
  unrouted: number;
};

export type LocationList = {
  rows: LocationListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  params: LocationListParams;
  readAt: number;
};

function locationWhere(scope: QueryContext["scope"], params: LocationListParams) {
  const q = params.q.trim();
  return and(
    scopeWhere(scope, locations.merchantId),
    params.archived === "yes" ? isNotNull(locations.archivedAt) : isNull(locations.archivedAt),
    q ? sql`${locations.name} ${LIKE} ${likeContains(q)} escape '\\'` : undefined,
  );
}

async function locationRowsOf({ db, scope }: QueryContext, params: LocationListParams, offset: number, limit: number): Promise<LocationListRow[]> {
  const live = sql`r.location_id = ${locations.id} and r.archived_at is null`;
  return await db
    .select({
      id: locations.id,
      name: locations.name,
      address: locations.address,
      timeZone: locations.timeZone,
      merchantId: locations.merchantId,
      merchantName: merchants.name,
      archivedAt: locations.archivedAt,
      createdAt: locations.createdAt,
      registers: sql<number>`(select count(*) from ${registers} r where ${live})`,
      unrouted: sql<number>`(select count(*) from ${registers} r where ${live} and r.terminal_ref is null)`,
    })
    .from(locations)
    .innerJoin(merchants, eq(merchants.id, locations.merchantId))
    .where(locationWhere(scope, params))
    .orderBy(caseless(locations.name), asc(merchants.name), asc(locations.id))
    .limit(limit)
    .offset(offset);
}

export const queryLocations = scopedQuery(
  async (ctx: QueryContext, input: Partial<LocationListParams> & { pageSize?: number } = {}): Promise<LocationList> => {
    const params = locationList.values(input);
    const pageSize = input.pageSize ?? locationList.pageSize;
    const total = (await firstRow(ctx.db.select({ n: count() }).from(locations).where(locationWhere(ctx.scope, params)).limit(1)))?.n ?? 0;
    const { page, pageCount } = clampPage(params.page, total, pageSize);
    const rows = await locationRowsOf(ctx, params, (page - 1) * pageSize, pageSize);
    return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
  },
);

/** For the CSV export: `limit` locations from `offset`, in the list's order. */
export const locationRows = scopedQuery((ctx: QueryContext, params: LocationListParams, offset: number, limit: number) =>
  locationRowsOf(ctx, locationList.values(params), offset, limit),
);

export type LocationDetail = {
  id: number;
  name: string;
  address: string;
  timeZone: string;
  merchantId: number;
  merchantName: string;
  merchantStatus: "active" | "suspended";
  archivedAt: Date | null;
  createdAt: Date;
  /** Not archived, in tree order (each physical register followed by its virtual registers). */
  registers: {
    id: number;
    registerId: string;
    name: string;
    kind: RegisterKind;
    parentId: number | null;
    externalRef: string | null;
    terminalRef: number | null;
  }[];
  /** The terminals these registers route to, with their active pairing. */
  terminals: {
    ref: number;
    terminalId: string;
    environment: Environment;
    pairingName: string | null;
    active: boolean;
  }[];
};

/** One location, in the caller's scope (archived ones too). */
export const queryLocation = scopedQuery(async ({ db, scope }: QueryContext, id: number): Promise<LocationDetail | null> => {
  const location = await firstRow(db
    .select({
      id: locations.id,
      name: locations.name,
      address: locations.address,
      timeZone: locations.timeZone,
      merchantId: locations.merchantId,
      merchantName: merchants.name,
      merchantStatus: merchants.status,
      archivedAt: locations.archivedAt,
      createdAt: locations.createdAt,
    })
    .from(locations)
    .innerJoin(merchants, eq(merchants.id, locations.merchantId))
    .where(and(eq(locations.id, id), scopeWhere(scope, locations.merchantId))).limit(1));
  if (!location) return null;
  const rows = await db
    .select({
      id: registers.id,
      registerId: registers.registerId,
      name: registers.name,
      kind: registers.kind,
      parentId: registers.parentId,
      externalRef: registers.externalRef,
      terminalRef: registers.terminalRef,
    })
    .from(registers)
    .where(and(eq(registers.locationId, id), isNull(registers.archivedAt), scopeWhere(scope, registers.merchantId)))
    .orderBy(
      caseless(sql`coalesce((select p.name from ${registers} p where p.id = ${registers.parentId}), ${registers.name})`),
      sql`coalesce(${registers.parentId}, ${registers.id})`,
      sql`${registers.kind} = 'virtual'`,
      caseless(registers.name),
      asc(registers.id),
    );
  const refs = [...new Set(rows.map((r) => r.terminalRef).filter((r): r is number => r !== null))];
  const terminalRows = refs.length
    ? await db
        .select({
          ref: terminals.id,
          terminalId: terminals.terminalId,
          environment: terminals.environment,
          pairingName: pairings.name,
        })
        .from(terminals)
        .leftJoin(pairings, and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active")))
        .where(and(sql`${terminals.id} in ${refs}`, scopeWhere(scope, terminals.merchantId)))
        .orderBy(asc(terminals.terminalId))
    : [];
  return {
    ...location,
    registers: rows,
    terminals: terminalRows.map((t) => ({ ...t, active: t.pairingName !== null })),
  };
});
