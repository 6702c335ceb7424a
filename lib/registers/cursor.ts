import type { RegisterListRow } from "./queries";

/**
 * Where a batch of the registers tree ends (the CSV export's keyset): its last row's values of
 * the tree order's keys (`treeOrder` in ./queries.ts), in the same order.
 */
export type RegisterCursor = readonly [string, number, string, number, number, string, number];

export function registerCursorOf(row: RegisterListRow): RegisterCursor {
  return [row.locationName, row.locationId, row.parentName ?? row.name, row.parentId ?? row.id, row.kind === "virtual" ? 1 : 0, row.name, row.id];
}
