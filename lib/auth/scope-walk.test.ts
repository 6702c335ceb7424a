/**
 * The merchant scope cannot be forgotten: this walks EVERY exported function of every query
 * module (lib/<domain>/queries.ts and lib/<domain>/*-queries.ts).
 * - Each must be a scoped query (declared with `scopedQuery`, its first argument the context).
 * - Each must have samples below (a new query fails here until someone writes them), run as
 *   Alpha's people, as Bravo's people and as staff, with arguments that reach for the other
 *   merchant's rows (its terminal's id, its pairing names in a search, its merchant in a filter).
 * - A merchant's result must never contain the other merchant's word ("alpha" / "bravo": every
 *   row of the fixture carries its merchant's word, lib/test/two-merchants.ts), must contain its
 *   own where the sample says so, and staff see both.
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../db/open";
import { merchantCtx, staff } from "../test/merchants";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { isScopedQuery, type QueryContext } from "./scope";

type Side = "alpha" | "bravo";
type Sample = {
  args: (f: TwoMerchants, side: Side) => unknown[];
  /** The result shows the merchant's own data (false: may legitimately be empty). */
  own?: boolean;
};

const other = (side: Side): Side => (side === "alpha" ? "bravo" : "alpha");
const window = { limit: 50, offset: 0 };
const listParams = (over: Record<string, unknown> = {}) => ({ q: "", environment: "all", status: "all", sort: "terminal_id", page: 1, merchant: null, ...over });
const attemptParams = (over: Record<string, unknown> = {}) => ({ q: "", status: "all", environment: "all", sort: "-created_at", page: 1, merchant: null, ...over });
const registerParams = (over: Record<string, unknown> = {}) => ({ q: "", location: 0, environment: "all", route: "all", sort: "location", page: 1, merchant: null, ...over });
const txParams = (over: Record<string, unknown> = {}) => ({ q: "", status: "all", kind: "all", environment: "all", terminal: 0, register: 0, from: "", to: "", sort: "-created", page: 1, merchant: null, ...over });
const deliveryParams = (over: Record<string, unknown> = {}) => ({ q: "", verdict: "all", pairing: 0, terminal: 0, transaction: 0, sort: "-received", page: 1, merchant: null, ...over });
const auditParams = (over: Record<string, unknown> = {}) => ({ action: "all", actor: "", sort: "-at", page: 1, merchant: null, ...over });

/** Every query, by `domain/file:export`. */
const SAMPLES: Record<string, Sample[]> = {
  "transactions/list-queries:queryTransactions": [
    { args: () => [txParams()], own: true },
    { args: (_f, side) => [txParams({ q: `ptx-${other(side)}` })] },
    { args: (f, side) => [txParams({ terminal: f.terminals[other(side)] })] },
    { args: () => [txParams({ sort: "-updated", status: "SUCCESS" })], own: true },
    // Both merchants have a €12.50: an amount, a terminal's pairing name, a register's name.
    { args: () => [txParams({ q: "12.50" })], own: true },
    { args: (_f, side) => [txParams({ q: `${other(side)} till` })] },
    { args: (_f, side) => [txParams({ q: `pc-${other(side)}-1` })] },
    { args: (_f, side) => [txParams({ q: `ptx-${other(side)}`, kind: "charge", environment: "sandbox" })] },
    { args: (f, side) => [txParams({ register: f.registers[other(side)] })] },
  ],
  "transactions/list-queries:transactionRows": [
    { args: () => [txParams(), null, 50], own: true },
    { args: () => [txParams({ q: "12.50" }), null, 50], own: true },
  ],
  "transactions/list-queries:queryTransactionFilterOptions": [{ args: () => [], own: true }],
  "transactions/queries:queryTransaction": [
    { args: (f, side) => [f.transactions[side]], own: true },
    { args: (f, side) => [f.transactions[other(side)]] },
  ],
  "transactions/queries:queryAmountCurrency": [
    { args: (f, side) => [{ terminalRef: f.terminals[other(side)] }] },
    { args: (f, side) => [{ transactionRef: f.transactions[other(side)] }] },
  ],
  "transactions/queries:queryTransactionStatus": [{ args: (f, side) => [f.transactions[side]] }, { args: (f, side) => [f.transactions[other(side)]] }],
  "transactions/queries:queryTransactionOperations": [
    { args: (f, side) => [f.transactions[side]], own: true },
    { args: (f, side) => [f.transactions[other(side)]] },
  ],
  "webhooks/queries:queryDeliveries": [
    { args: () => [deliveryParams()], own: true },
    { args: (f, side) => [deliveryParams({ pairing: f.pairings[other(side)] })] },
    { args: (f, side) => [deliveryParams({ terminal: f.terminals[other(side)] })] },
    { args: (f, side) => [deliveryParams({ transaction: f.transactions[other(side)] })] },
    { args: (_f, side) => [deliveryParams({ q: `ptx-${other(side)}` })] },
    { args: (_f, side) => [deliveryParams({ q: `ptx-${side}` })], own: true },
  ],
  "webhooks/queries:deliveryRows": [
    { args: () => [deliveryParams(), 0, 50], own: true },
    { args: (f, side) => [deliveryParams({ transaction: f.transactions[other(side)] }), 0, 50] },
  ],
  "webhooks/queries:queryDelivery": [
    { args: (f, side) => [f.deliveries[side]], own: true },
    { args: (f, side) => [f.deliveries[other(side)]] },
  ],
  "pairing/terminal-queries:queryTerminals": [
    { args: () => [{}], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
    { args: () => [{ q: "T-MOVED" }] },
    { args: () => [{ status: "unpaired" }] },
    { args: () => [{ sort: "-paired_at" }], own: true },
    // The switcher's merchant in the input is no way out of the scope.
    { args: (f, side) => [{ merchant: f[other(side)] }] },
  ],
  "pairing/terminal-queries:terminalRows": [
    { args: () => [listParams(), window], own: true },
    { args: (_f, side) => [listParams({ q: other(side) }), window] },
  ],
  "pairing/terminal-queries:explainTerminalList": [{ args: () => [{}, window] }],
  "pairing/terminal-detail-queries:queryTerminalDetail": [
    { args: (f, side) => [f.terminals[side]], own: true },
    { args: (f, side) => [f.terminals[other(side)]] },
    // The moved terminal is Bravo's: Alpha does not find it; Bravo sees only its own pairing on it.
    { args: (f) => [f.terminals.moved] },
  ],
  "pairing/attempt-queries:queryAttempts": [
    { args: () => [{}], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
    { args: () => [{ q: "@" }], own: true },
    { args: () => [{ status: "outcome_unknown" }], own: true },
  ],
  "pairing/attempt-queries:attemptRows": [
    { args: () => [attemptParams(), window], own: true },
    { args: (_f, side) => [attemptParams({ q: other(side) }), window] },
  ],
  "audit/queries:queryAuditLog": [
    { args: () => [{}], own: true },
    { args: (_f, side) => [{ actor: other(side) }] },
    { args: () => [{ action: "terminal.merchant_change" }] },
    { args: () => [{ action: "list.export" }] },
  ],
  "audit/queries:auditRows": [
    { args: () => [auditParams(), window], own: true },
    { args: () => [auditParams({ action: "pairing.create" }), window], own: true },
  ],
  "audit/queries:queryAuditActorEmails": [{ args: () => [], own: true }],
  "dashboard/queries:queryDashboard": [{ args: () => [] }],
  "users/queries:queryUsers": [
    { args: () => [], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
    { args: () => [{ role: "admin" }] },
    { args: (f, side) => [{ merchant: f[other(side)] }] },
  ],
  "merchants/queries:queryMerchants": [
    { args: () => [], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
  ],
  "merchants/queries:queryMerchantOptions": [{ args: () => [], own: true }],
  "registers/queries:queryRegisters": [
    { args: () => [{}], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
    { args: (f, side) => [{ location: f.locations[other(side)] }] },
    { args: () => [{ route: "unrouted" }], own: true },
    { args: (f, side) => [{ merchant: f[other(side)] }], own: true },
  ],
  "registers/queries:registerRows": [
    { args: () => [registerParams(), window], own: true },
    { args: (_f, side) => [registerParams({ q: other(side) }), window] },
  ],
  "registers/queries:registerRowsAfter": [
    { args: () => [registerParams(), null, 50], own: true },
    { args: () => [registerParams(), ["", 0, "", 0, 0, "", 0], 50], own: true },
    { args: (_f, side) => [registerParams({ q: other(side) }), null, 50] },
  ],
  "registers/queries:queryRegister": [
    { args: (f, side) => [f.registers[side]], own: true },
    { args: (f, side) => [f.registers[other(side)]] },
    { args: (f, side) => [f.registers[side === "alpha" ? "bravoLane" : "alphaLane"]] },
    { args: (f, side) => [f.registers[other(side)], 1] },
  ],
  "registers/queries:queryRoutableTerminals": [
    { args: (f, side) => [{ merchantId: f[side], environment: "sandbox" }], own: true },
    { args: (f, side) => [{ merchantId: f[other(side)], environment: "sandbox" }] },
  ],
  "registers/queries:queryTerminalRegisters": [
    { args: (f, side) => [f.terminals[side]], own: true },
    { args: (f, side) => [f.terminals[other(side)]] },
  ],
  "registers/queries:queryImportExisting": [
    { args: (f, side) => [f[side]], own: true },
    { args: (f, side) => [f[other(side)]] },
  ],
  "registers/location-queries:queryLocations": [
    { args: () => [{}], own: true },
    { args: (_f, side) => [{ q: other(side) }] },
  ],
  "registers/location-queries:locationRows": [
    { args: () => [{ q: "", archived: "no", sort: "name", page: 1, merchant: null }, 0, 50], own: true },
    { args: (_f, side) => [{ q: other(side), archived: "no", sort: "name", page: 1, merchant: null }, 0, 50] },
  ],
  "registers/location-queries:queryLocation": [
    { args: (f, side) => [f.locations[side]], own: true },
    { args: (f, side) => [f.locations[other(side)]] },
  ],
  "merchants/queries:queryMerchant": [
    { args: (f, side) => [f[side]], own: true },
    { args: (f, side) => [f[other(side)]] },
  ],
};

const libDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** The query modules: `queries.ts` or `*-queries.ts` in a domain folder of lib/. */
function queryModules(): string[] {
  return fs
    .readdirSync(libDir, { recursive: true, encoding: "utf8" })
    .filter((f) => /(^|\/|-)queries\.ts$/.test(f))
    .sort();
}

async function exportedFunctions(): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (const file of queryModules()) {
    const mod = (await import(path.join(libDir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function") found.set(`${file.replace(/\.ts$/, "")}:${name}`, value);
    }
  }
  return found;
}

let db: DB;
let f: TwoMerchants;
let queries: Map<string, unknown>;

beforeAll(async () => {
  db = await openTestDatabase();
  f = await seedTwoMerchants(db);
  queries = await exportedFunctions();
});

/** The result as text, without the echo of the list's own parameters (a search for "bravo" says "bravo"). */
const text = (value: unknown) => {
  if (value instanceof Promise) throw new Error("a query's result was not awaited");
  return JSON.stringify(value ?? null, (key, v: unknown) => (key === "params" ? undefined : v)).toLowerCase();
};

describe("every query keeps to the merchant scope", () => {
  it("finds the queries (the walk is not empty)", () => {
    expect(queryModules()).toHaveLength(12);
    expect(queries.size).toBeGreaterThanOrEqual(10);
  });

  it("exports only scoped queries, each with samples here, and no stale sample", () => {
    const unscoped = [...queries].filter(([, fn]) => !isScopedQuery(fn)).map(([k]) => k);
    expect(unscoped, "exported from a query module but not declared with scopedQuery(ctx, …)").toEqual([]);
    const missing = [...queries.keys()].filter((k) => !SAMPLES[k]);
    expect(missing, "a new query needs samples in scope-walk.test.ts").toEqual([]);
    expect(Object.keys(SAMPLES).filter((k) => !queries.has(k)), "samples of a query that no longer exists").toEqual([]);
  });

  for (const side of ["alpha", "bravo"] as const) {
    it(`shows ${side}'s people nothing of the other merchant, in any query`, async () => {
      const ctx: QueryContext = merchantCtx(db, f[side]);
      for (const [key, fn] of queries) {
        for (const [i, sample] of (SAMPLES[key] ?? []).entries()) {
          const result = await (fn as (ctx: QueryContext, ...args: unknown[]) => Promise<unknown>)(ctx, ...sample.args(f, side));
          const seen = text(result);
          expect(seen, `${key} sample ${i} as ${side} shows ${other(side)}'s data`).not.toContain(other(side));
          expect(seen, `${key} sample ${i} as ${side} shows a staff-only entry`).not.toContain("staffonly");
          expect(seen, `${key} sample ${i} as ${side} shows a staff email`).not.toContain("ops@integrator");
          if (sample.own) expect(seen, `${key} sample ${i} as ${side} misses its own data`).toContain(side);
        }
      }
    });
  }

  it("shows staff both merchants", async () => {
    const ctx = staff(db);
    for (const [key, fn] of queries) {
      const samples = (SAMPLES[key] ?? []).filter((s) => s.own);
      if (samples.length === 0) continue;
      const seen: string[] = [];
      for (const s of samples) {
        for (const side of ["alpha", "bravo"] as const) {
          seen.push(text(await (fn as (ctx: QueryContext, ...args: unknown[]) => Promise<unknown>)(ctx, ...s.args(f, side))));
        }
      }
      expect(seen.join(" "), `${key} as staff`).toContain("alpha");
      expect(seen.join(" "), `${key} as staff`).toContain("bravo");
    }
  });
});
