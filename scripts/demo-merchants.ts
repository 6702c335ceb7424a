/**
 * The demo's two merchants, each with a few terminals paired through the real path: terminals
 * made on the built-in simulator over HTTP, their OTPs read there, then `pairTerminal` with the
 * Pay-Connect client pointed at the simulator (credentials sealed in the vault, as in the app).
 * Made once (skipped when the merchants exist); their merchant admin's password is new each run.
 * Import after ./server-only-stub (lib/pairing imports `server-only`).
 */
import { eq } from "drizzle-orm";
import type { DB } from "../lib/db/open";
import { merchants } from "../lib/db/schema";
import { createMerchant } from "../lib/merchants/merchants";
import { createPayConnectClient } from "../lib/pay-connect";
import { pairTerminal } from "../lib/pairing/pair-terminal";
import { demoLogin, type DemoLogin } from "./demo-login";

const DEMO_MERCHANTS = [
  { name: "Northwind Coffee", externalRef: "NW-001", tills: ["Front till", "Bar", "Terrace"] },
  { name: "Harbour Books", externalRef: "HB-002", tills: ["Counter", "Café corner"] },
] as const;

export const MERCHANT_ADMIN_EMAIL = "manager@northwind.example";

async function simulator<T>(simulatorApi: string, path: string): Promise<T> {
  const res = await fetch(`${simulatorApi}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
  });
  if (!res.ok) throw new Error(`The simulator answered ${res.status} to ${path}.`);
  return (await res.json()) as T;
}

/** Creates the demo merchants and their paired terminals if they are not there yet. */
export async function ensureDemoMerchants(
  db: DB,
  opts: { simulatorApi: string; integratorId: string; admin: { id: number; email: string } },
): Promise<{ created: boolean; terminals: number }> {
  const exists = db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).get();
  if (exists) return { created: false, terminals: 0 };
  const client = createPayConnectClient({
    environment: "sandbox",
    baseUrl: opts.simulatorApi,
    integratorId: opts.integratorId,
    timeoutMs: 10_000,
  });
  let terminals = 0;
  for (const m of DEMO_MERCHANTS) {
    const merchant = createMerchant(db, { name: m.name, externalRef: m.externalRef }, opts.admin);
    for (const till of m.tills) {
      const { terminal_id: terminalId } = await simulator<{ terminal_id: string }>(opts.simulatorApi, "/terminals");
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
          webhookUrl: null,
          webhookToken: null,
        },
        opts.admin,
      );
      if (out.kind !== "paired") throw new Error(`Pairing the demo terminal ${terminalId} failed: ${out.kind}.`);
      terminals++;
    }
  }
  return { created: true, terminals };
}

/** The Northwind Coffee merchant admin, with a fresh password printed by the demo. */
export async function demoMerchantAdmin(db: DB): Promise<DemoLogin | null> {
  const merchant = db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).get();
  if (!merchant) return null;
  return demoLogin(db, { email: MERCHANT_ADMIN_EMAIL, name: "Northwind manager", role: "merchant-admin", merchantId: merchant.id });
}
