/**
 * The demo's two merchants, each with a few terminals paired through the real path: terminals
 * made on the built-in simulator over HTTP, their OTPs read there, then `pairTerminal` with the
 * Pay-Connect client pointed at the simulator (credentials sealed in the vault, as in the app).
 * Made once (skipped when the merchants exist); their merchant admin's password is new each run.
 * Import after ../server-only-stub (lib/pairing imports `server-only`).
 */
import { and, eq } from "drizzle-orm";
import { EVERY_MERCHANT, queryContext } from "../../lib/auth/scope";
import type { DB } from "../../lib/db/open";
import { locations, merchants } from "../../lib/db/schema";
import { createMerchant } from "../../lib/merchants/merchants";
import { createPayConnectClient } from "../../lib/pay-connect/index";
import { pairTerminal } from "../../lib/pairing/pair-terminal";
import { webhookForAttempt } from "../../lib/pairing/webhook-url";
import { createLocation } from "../../lib/registers/locations";
import { createRegister } from "../../lib/registers/registers";
import { demoLogin, type DemoLogin } from "./demo-login";
import { firstRow } from "../../lib/db/query";

/**
 * Each merchant's simulated terminals, paired on the simulator (the pairing's name says which
 * device it is). Northwind also gets a location with registers and nothing routed
 * (ensureDemoRegisters): a newcomer routes them to these terminals in a minute.
 */
export const DEMO_MERCHANTS = [
  { name: "Northwind Coffee", externalRef: "NW-001", terminals: ["Counter terminal", "Bar terminal", "Terrace terminal"] },
  { name: "Harbour Books", externalRef: "HB-002", terminals: ["Desk terminal", "Café terminal"] },
] as const;

/** Northwind's location: two physical registers, the first with two virtual registers. */
export const DEMO_LOCATION = {
  name: "Main Street",
  address: "12 Main Street, Lisbon",
  timeZone: "Europe/Lisbon",
  registers: [
    { name: "Front till", virtual: ["Front till – lane A", "Front till – lane B"] },
    { name: "Bar till", virtual: [] },
  ],
} as const;

export const MERCHANT_ADMIN_EMAIL = "manager@northwind.example";

async function simulator<T>(simulatorApi: string, path: string, body: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${simulatorApi}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`The simulator answered ${res.status} to ${path}.`);
  return (await res.json()) as T;
}

/** Creates the demo merchants and their paired terminals if they are not there yet. */
export async function ensureDemoMerchants(
  db: DB,
  opts: { simulatorApi: string; integratorId: string; admin: { id: number; email: string } },
): Promise<{ created: boolean; terminals: number }> {
  const exists = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).limit(1));
  if (exists) return { created: false, terminals: 0 };
  const client = createPayConnectClient({
    environment: "sandbox",
    baseUrl: opts.simulatorApi,
    integratorId: opts.integratorId,
    timeoutMs: 10_000,
  });
  let terminals = 0;
  for (const m of DEMO_MERCHANTS) {
    const merchant = await createMerchant(db, { name: m.name, externalRef: m.externalRef }, opts.admin);
    for (const till of m.terminals) {
      const { terminal_id: terminalId } = await simulator<{ terminal_id: string }>(opts.simulatorApi, "/terminals", {
        label: `${m.name} – ${till}`,
      });
      const { otp } = await simulator<{ otp: string }>(opts.simulatorApi, `/terminals/${terminalId}/otp`);
      const out = await pairTerminal(
        db,
        client,
        {
          requestKey: crypto.randomUUID(),
          merchantId: merchant.id,
          environment: "sandbox",
          name: till,
          otp,
          // Pairdesk's own webhook URL (PUBLIC_URL), so the simulator's webhooks reach it.
          ...webhookForAttempt(null),
        },
        opts.admin,
      );
      if (out.kind !== "paired") throw new Error(`Pairing the demo terminal ${terminalId} failed: ${out.kind}.`);
      terminals++;
    }
  }
  return { created: true, terminals };
}

/**
 * Northwind's location and registers, nothing routed, if the location is not there yet (so a
 * second run neither duplicates them nor undoes what the newcomer routed).
 */
export async function ensureDemoRegisters(db: DB, admin: { id: number; email: string }): Promise<{ created: boolean; registers: number; }> {
  const merchant = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).limit(1));
  if (!merchant) return { created: false, registers: 0 };
  const ctx = queryContext(db, EVERY_MERCHANT);
  const exists = await firstRow(db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.merchantId, merchant.id), eq(locations.name, DEMO_LOCATION.name))).limit(1));
  if (exists) return { created: false, registers: 0 };
  const location = await createLocation(
      ctx,
      merchant.id,
      { name: DEMO_LOCATION.name, address: DEMO_LOCATION.address, timeZone: DEMO_LOCATION.timeZone },
      admin
  );
  let registers = 0;
  for (const r of DEMO_LOCATION.registers) {
    const physical = await createRegister(ctx, { locationId: location.id, kind: "physical", parentId: null, name: r.name, externalRef: null }, admin);
    registers++;
    for (const v of r.virtual) {
      await createRegister(ctx, { locationId: location.id, kind: "virtual", parentId: physical.id, name: v, externalRef: null }, admin);
      registers++;
    }
  }
  return { created: true, registers };
}

/** The Northwind Coffee merchant admin, with a fresh password printed by the demo. */
export async function demoMerchantAdmin(db: DB): Promise<DemoLogin | null> {
  const merchant = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).limit(1));
  if (!merchant) return null;
  return demoLogin(db, { email: MERCHANT_ADMIN_EMAIL, name: "Northwind manager", role: "merchant-admin", merchantId: merchant.id });
}
