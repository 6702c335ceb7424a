/**
 * The demo's payments (first run only): each demo terminal's configuration is read from the
 * simulator, then Northwind's Counter terminal takes two charges that it approves by itself
 * (its auto-approve switch), one of them partly refunded, and the Bar terminal gets one charge
 * left waiting on its screen for the newcomer to approve at /simulator. Everything goes through
 * the real operations (lib/transactions/operations.ts) and the simulator over HTTP; the statuses
 * arrive by the simulator's webhooks and the server's poller.
 */
import { and, eq } from "drizzle-orm";
import { EVERY_MERCHANT, queryContext } from "../../lib/auth/scope";
import type { DB } from "../../lib/db/open";
import { merchants, pairings, terminals, transactions } from "../../lib/db/schema";
import { getEnv } from "../../lib/env";
import { openSimulatorDatabase } from "../../lib/simulator/db";
import { setAutoApprove, setTerminalSettings } from "../../lib/simulator/terminal-settings";
import { refreshConfiguration } from "../../lib/transactions/configuration";
import { providerDeps } from "../../lib/transactions/deps";
import { runOperation, type Operator } from "../../lib/transactions/operations";
import { DEMO_MERCHANTS } from "./demo-merchants";
import { firstRow } from "../../lib/db/query";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureDemoTransactions(db: DB, admin: { id: number; email: string }): Promise<{ created: number }> {
  const merchant = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, DEMO_MERCHANTS[0].name)).limit(1));
  if (!merchant) return { created: 0 };
  if (await firstRow(db.select({ id: transactions.id }).from(transactions).where(eq(transactions.merchantId, merchant.id)).limit(1))) return { created: 0 };
  const ctx = queryContext(db, EVERY_MERCHANT);
  const paired = await db
    .select({ id: terminals.id, terminalId: terminals.terminalId, name: pairings.name, merchantId: terminals.merchantId })
    .from(terminals)
    .innerJoin(pairings, and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active")));
  for (const t of paired) await refreshConfiguration(ctx, providerDeps, t.id, null);
  const counter = paired.find((t) => t.merchantId === merchant.id && t.name === "Counter terminal");
  const bar = paired.find((t) => t.merchantId === merchant.id && t.name === "Bar terminal");
  if (!counter || !bar) return { created: 0 };
  const sim = openSimulatorDatabase(getEnv().simulator.databasePath);
  const simCtx = { db: sim, now: Date.now, integratorIds: new Set<string>(), defaultSlowDelayMs: 0 };
  setAutoApprove(simCtx, counter.terminalId, true);
  const operator: Operator = { id: admin.id, email: admin.email, role: "admin" };
  let created = 0;
  const chargeOn = async (terminalRef: number, amount: number) => {
    const out = await runOperation(ctx, providerDeps, operator, { kind: "charge", requestKey: crypto.randomUUID(), terminalRef, amount });
    if (out.ok) created++;
    return out;
  };
  const first = await chargeOn(counter.id, 450);
  await chargeOn(counter.id, 1280);
  // Wait for the first one's success (webhook or poll), then refund part of it.
  for (let i = 0; i < 40 && first.ok && first.transactionRef; i++) {
    const row = await firstRow(db.select({ status: transactions.status }).from(transactions).where(eq(transactions.id, first.transactionRef)).limit(1));
    if (row?.status === "SUCCESS") {
      await runOperation(ctx, providerDeps, operator, { kind: "refund", requestKey: crypto.randomUUID(), transactionRef: first.transactionRef, amount: 150 });
      created++;
      break;
    }
    await wait(250);
  }
  setAutoApprove(simCtx, counter.terminalId, false);
  // The Bar terminal's payment waits for the newcomer (a day, not the simulator's 5 minutes):
  // /simulator shows its screen first while it waits.
  setTerminalSettings(simCtx, bar.terminalId, { paymentExpiryMs: 24 * 3_600_000 });
  await chargeOn(bar.id, 780);
  sim.close();
  return { created };
}
