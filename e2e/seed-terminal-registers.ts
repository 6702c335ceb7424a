/**
 * Locations and registers for the terminal-side specs, written straight into the E2E database
 * (raw SQL through appDb(); the database's triggers still hold every rule: a route only to a
 * terminal with an active pairing of the same merchant). Each call makes rows with its own tag,
 * so tests running side by side never share them.
 */
import { randomUUID } from "node:crypto";
import { appDb } from "./fixtures";
import { defaultMerchantId, uniqueTag } from "./seed";

export type SeededRegister = { id: number; registerId: string; name: string };

export async function seedLocation(name = `Location ${uniqueTag(4)}`, merchant?: number): Promise<{ id: number; name: string }> {
  const merchantId = merchant ?? (await defaultMerchantId());
  const id = Number(
    appDb()
      .prepare("insert into locations (merchant_id, name, address, time_zone) values (?, ?, '', 'Europe/Amsterdam')")
      .run(merchantId, name).lastInsertRowid,
  );
  return { id, name };
}

/** A physical register (or a virtual one, with `parentId`) in a location, routed to `terminalRef` if given. */
export async function seedRegister(input: {
  locationId: number;
  name: string;
  parentId?: number;
  terminalRef?: number;
  merchantId?: number;
}): Promise<SeededRegister> {
  const registerId = randomUUID();
  const id = Number(
    appDb()
      .prepare(
        `insert into registers (register_id, merchant_id, location_id, kind, parent_id, name, terminal_ref, routed_at)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        registerId,
        input.merchantId ?? await defaultMerchantId(),
        input.locationId,
        input.parentId === undefined ? "physical" : "virtual",
        input.parentId ?? null,
        input.name,
        input.terminalRef ?? null,
        input.terminalRef === undefined ? null : Date.now(),
      ).lastInsertRowid,
  );
  return { id, registerId, name: input.name };
}

/** Where a register routes now (terminals.id), or null. */
export function registerRoute(id: number): number | null {
  const row = appDb().prepare("select terminal_ref as terminalRef from registers where id = ?").get(id) as
    | { terminalRef: number | null }
    | undefined;
  if (!row) throw new Error(`register ${id} not found`);
  return row.terminalRef;
}
