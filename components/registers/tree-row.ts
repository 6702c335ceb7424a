import type { RegisterListRow } from "@/lib/registers/queries";

/**
 * What the registers tree draws of a row, and nothing more: the tree is a client component, so
 * its rows travel as this data in the page's payload (a few hundred bytes a row) rather than as
 * a server-rendered element tree (every element and class of every row, again).
 */
export type TreeRow = Pick<RegisterListRow, "id" | "registerId" | "name" | "kind" | "parentId" | "parentName" | "externalRef" | "locationId" | "locationName" | "merchantName"> & {
  route: { terminalRef: number; terminalId: string; environment: NonNullable<RegisterListRow["route"]>["environment"]; pairingName: string | null } | null;
};

export function treeRow(r: RegisterListRow): TreeRow {
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
    merchantName: r.merchantName,
    route: r.route ? { terminalRef: r.route.terminalRef, terminalId: r.route.terminalId, environment: r.route.environment, pairingName: r.route.pairing?.name ?? null } : null,
  };
}
