/**
 * Seed helpers for the registers pages' tests: a merchant of the test's own with locations,
 * registers and virtual registers, and paired terminals to route them to, written straight into
 * the E2E database (the database's own triggers still judge every row: a route to an unpaired
 * terminal is refused here as in the app).
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { locations, registers, type Environment, type RegisterKind } from "../lib/db/schema";
import { e2eDb, seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";
import { firstRow, returnedRow } from "../lib/db/query";

export async function seedLocation(merchantId: number, name = `Shop ${uniqueTag()}`, timeZone = "Europe/Lisbon"): Promise<{ id: number; name: string; }> {
  const { id } = await returnedRow(e2eDb().transaction((tx) => tx.insert(locations).values({ merchantId, name, timeZone, address: "1 Main street" }).returning({ id: locations.id })));
  return { id, name };
}

export type SeededRegister = { id: number; registerId: string; name: string };

export async function seedRegister(input: {
  merchantId: number;
  locationId: number;
  name: string;
  kind?: RegisterKind;
  parentId?: number;
  externalRef?: string | null;
}): Promise<SeededRegister> {
  const registerId = randomUUID();
  const kind = input.kind ?? (input.parentId ? "virtual" : "physical");
  const { id } = await returnedRow(e2eDb().transaction((tx) => tx
    .insert(registers)
    .values({
      registerId,
      merchantId: input.merchantId,
      locationId: input.locationId,
      kind,
      parentId: input.parentId ?? null,
      name: input.name,
      externalRef: input.externalRef ?? null,
    })
    .returning({ id: registers.id })));
  return { id, registerId, name: input.name };
}

/** A terminal of `merchantId` with an active pairing (no credentials: the route is what is tested). */
export async function seedPairedTerminal(
  merchantId: number,
  createdById: number,
  input: { environment?: Environment; name?: string } = {},
): Promise<{ ref: number; terminalId: string; pairingId: number; pairingName: string; }> {
  const terminal = await seedTerminal({ merchantId, environment: input.environment ?? "sandbox" });
  const pairingName = input.name ?? `Pairing ${terminal.terminalId}`;
  const { id } = await seedPairing({ terminalRef: terminal.id, name: pairingName, createdById });
  return { ref: terminal.id, terminalId: terminal.terminalId, pairingId: id, pairingName };
}

export async function routeInDb(registerRef: number, terminalRef: number | null): Promise<void> {
  await e2eDb().transaction((tx) => tx
    .update(registers)
    .set({ terminalRef, routedAt: terminalRef === null ? null : new Date() })
    .where(eq(registers.id, registerRef)));
}

export async function registerRoute(registerRef: number): Promise<number | null> {
  return (await firstRow(e2eDb().select({ t: registers.terminalRef }).from(registers).where(eq(registers.id, registerRef)).limit(1)))?.t ?? null;
}

/**
 * A merchant of its own with one location: "Till 1" (physical, external ref) with virtual
 * registers "Lane A" and "Lane B", and "Till 2" physical.
 */
export async function seedRegisterTree(prefix = `Reg ${uniqueTag(4)}`) {
  const merchant = await seedMerchant(`${prefix} merchant`);
  const location = await seedLocation(merchant.id, `${prefix} shop`);
  const till1 = await seedRegister({ merchantId: merchant.id, locationId: location.id, name: "Till 1", externalRef: `${prefix}-T1` });
  const laneA = await seedRegister({ merchantId: merchant.id, locationId: location.id, name: "Lane A", parentId: till1.id });
  const laneB = await seedRegister({ merchantId: merchant.id, locationId: location.id, name: "Lane B", parentId: till1.id });
  const till2 = await seedRegister({ merchantId: merchant.id, locationId: location.id, name: "Till 2" });
  return { merchant, location, till1, laneA, laneB, till2 };
}
