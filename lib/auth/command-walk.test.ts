/**
 * Writes are scoped like reads: this walks EVERY command (a function declared with
 * `scopedCommands`, lib/auth/scope.ts) with two merchants' data. Run as one merchant's people
 * against the other merchant's ids, each must refuse with "not found" — a thrown DomainError or a
 * returned Failure, code `not_found` — and change nothing in the database (every table compared
 * row by row). A new command fails here until it has samples; and every function an action calls
 * with its `ctx` must be a declared command or a scoped query, so a write cannot skip the walk.
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { DomainError } from "../errors";
import { merchantCtx } from "../test/merchants";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import type { OperationDeps } from "../transactions/operations";
import { isScopedCommand, isScopedQuery, type QueryContext } from "./scope";

type Side = "alpha" | "bravo";
const other = (side: Side): Side => (side === "alpha" ? "bravo" : "alpha");

/** A provider that must never be called: a command refused for scope reaches no provider. */
const unreachable = () => {
  throw new Error("a provider was called for another merchant's id");
};
const deps: OperationDeps = {
  provider: () => new Proxy({}, { get: () => unreachable }) as never,
  credentials: unreachable,
};
const providerFor = () => new Proxy({}, { get: () => unreachable }) as never;

const location = { name: "Taken over", address: "1 Other street", timeZone: "Europe/Lisbon" };
const register = { name: "Taken over", externalRef: null };
const csv = "location,register,kind,parent,external_ref\nTaken shop,Taken till,physical,,\n";

type Sample = (f: TwoMerchants, side: Side, actor: { id: number; email: string; role: "merchant-admin" }) => unknown[];

/** Every command, by `file:export`, with arguments that reach for the other merchant's rows. */
const SAMPLES: Record<string, Sample[]> = {
  "registers/locations:createLocation": [(f, s, a) => [f[other(s)], location, a]],
  "registers/locations:updateLocation": [(f, s, a) => [f.locations[other(s)], location, a]],
  "registers/locations:archiveLocation": [(f, s, a) => [f.locations[other(s)], a]],
  "registers/registers:createRegister": [
    (f, s, a) => [{ locationId: f.locations[other(s)], kind: "physical", parentId: null, ...register }, a],
    // Its own location, the other merchant's register as the parent.
    (f, s, a) => [{ locationId: f.locations[s], kind: "virtual", parentId: f.registers[other(s)], ...register }, a],
  ],
  "registers/registers:updateRegister": [(f, s, a) => [f.registers[other(s)], register, a]],
  "registers/registers:archiveRegister": [(f, s, a) => [f.registers[other(s)], a]],
  "registers/routing:routeRegister": [
    (f, s, a) => [f.registers[other(s)], f.terminals[s], a],
    (f, s, a) => [f.registers[other(s)], null, a],
    // Its own register, the other merchant's terminal.
    (f, s, a) => [f.registers[s], f.terminals[other(s)], a],
  ],
  "registers/import:previewImport": [(f, s) => [f[other(s)], csv]],
  "registers/import:applyImport": [(f, s, a) => [f[other(s)], csv, a]],
  "pairing/rename:renamePairing": [(f, s, a) => [f.pairings[other(s)], { name: "Taken over" }, a]],
  "pairing/unpair:unpairPairing": [(f, s, a) => [providerFor, f.pairings[other(s)], a]],
  // A role that may reveal (the role check comes first), in the merchant's scope.
  "pairing/reveal:revealCredentials": [(f, s, a) => [f.pairings[other(s)], { ...a, role: "admin", name: "x", merchantId: f[s] }, "a-long-test-password"]],
  "pairing/complete-recovery:completeRecovery": [(f, s, a) => [attemptOf(f, other(s)), a]],
  "transactions/operations:runOperation": [
    (f, s, a) => [deps, a, { kind: "refund", requestKey: key(), transactionRef: f.transactions[other(s)], amount: 100 }],
    (f, s, a) => [deps, a, { kind: "revert", requestKey: key(), transactionRef: f.transactions[other(s)] }],
    (f, s, a) => [deps, a, { kind: "charge", requestKey: key(), terminalRef: f.terminals[other(s)], amount: 100 }],
    // Its own terminal, the other merchant's register.
    (f, s, a) => [deps, a, { kind: "charge", requestKey: key(), terminalRef: f.terminals[s], registerRef: f.registers[other(s)], amount: 100 }],
  ],
  "transactions/configuration:refreshConfiguration": [(f, s, a) => [deps, f.terminals[other(s)], a]],
  "webhooks/reprocess:reprocessDelivery": [(f, s, a) => [f.deliveries[other(s)], a]],
  "users/commands:changeUserRole": [(f, s, a) => [adminOf(f, other(s)), "merchant-viewer", a]],
  "users/commands:disableUserAccount": [(f, s, a) => [adminOf(f, other(s)), a]],
  "users/commands:enableUserAccount": [(f, s, a) => [adminOf(f, other(s)), a]],
};

let keys = 0;
const key = () => `00000000-0000-4000-c000-${String(++keys).padStart(12, "0")}`;
const adminOf = (f: TwoMerchants, side: Side) => (side === "alpha" ? f.users.alphaAdmin.id : f.users.bravoAdmin.id);

let db: DB;
let f: TwoMerchants;
let commands: Map<string, unknown>;
/** Each merchant's first pairing attempt, by merchant id (read once the fixture is seeded). */
const firstAttempts = new Map<number, number>();
const attemptOf = (fx: TwoMerchants, side: Side) => firstAttempts.get(fx[side])!;

const libDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const sourceFiles = () =>
  fs
    .readdirSync(libDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.startsWith("test/"));

/** Every module that declares commands, and its commands by `file:export`. */
async function declaredCommands(): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (const file of sourceFiles().filter((f) => fs.readFileSync(path.join(libDir, f), "utf8").includes("\nscopedCommands("))) {
    const mod = (await import(path.join(libDir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (isScopedCommand(value)) found.set(`${file.replace(/\.ts$/, "")}:${name}`, value);
    }
  }
  return found;
}

/** Every row of every table, as text: what "changes nothing" is compared against. */
async function snapshot(): Promise<string> {
  const tables = await rawQuery<{ name: string }>(
    db,
    db.engine === "postgres"
      ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name"
      : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  const rows: [string, string[]][] = [];
  // Each table's rows as a sorted list: the same rows in another physical order are no change.
  for (const { name } of tables) rows.push([name, (await rawQuery(db, `select * from "${name}"`)).map((r) => JSON.stringify(r)).sort()]);
  return JSON.stringify(rows);
}

/** The refusal's code: a thrown DomainError's, or a returned failure's. */
async function outcomeCode(run: () => unknown): Promise<string> {
  try {
    const out = (await run()) as { ok?: boolean; code?: string } | null;
    if (out && out.ok === false) return out.code ?? "failure without a code";
    return "accepted";
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    return `threw ${(err as Error)?.message}`;
  }
}

beforeAll(async () => {
  db = await openTestDatabase();
  f = await seedTwoMerchants(db);
  for (const merchant of [f.alpha, f.bravo]) {
    const [first] = await rawQuery<{ id: number }>(db, "select id from pairing_attempts where merchant_id = ? order by id limit 1", [merchant]);
    firstAttempts.set(merchant, first!.id);
  }
  commands = await declaredCommands();
});

describe("every command keeps to the merchant scope", () => {
  it("finds the commands, each with samples here, and no stale sample", () => {
    expect(commands.size).toBeGreaterThanOrEqual(19);
    expect([...commands.keys()].filter((k) => !SAMPLES[k]), "a new command needs samples in command-walk.test.ts").toEqual([]);
    expect(Object.keys(SAMPLES).filter((k) => !commands.has(k)), "samples of a command that no longer exists").toEqual([]);
  });

  it("every function an action calls with its ctx is a declared command or a scoped query", async () => {
    const unmarked: string[] = [];
    for (const file of sourceFiles().filter((f) => /(^|\/)(actions|import-actions)\.ts$/.test(f))) {
      const source = fs.readFileSync(path.join(libDir, file), "utf8");
      const imports = new Map<string, string>();
      for (const m of source.matchAll(/import \{([^}]*)\} from "([^"]+)";/g)) {
        for (const name of m[1]!.split(",").map((n) => n.trim().replace(/^type /, "").split(" as ").pop()!.trim())) {
          if (name) imports.set(name, m[2]!);
        }
      }
      for (const m of source.matchAll(/\b(\w+)\(\s*ctx\b/g)) {
        const name = m[1]!;
        const from = imports.get(name);
        if (!from) {
          unmarked.push(`${file}: ${name} (not imported)`);
          continue;
        }
        const mod = (await import(path.resolve(path.dirname(path.join(libDir, file)), from))) as Record<string, unknown>;
        const original = source.match(new RegExp(`import \\{[^}]*\\b(\\w+) as ${name}\\b[^}]*\\}`))?.[1] ?? name;
        const fn = mod[original];
        if (!isScopedCommand(fn) && !isScopedQuery(fn)) unmarked.push(`${file}: ${name}`);
      }
    }
    expect(unmarked, "called by an action with its ctx, but not declared with scopedCommands (or scopedQuery)").toEqual([]);
  });

  for (const side of ["alpha", "bravo"] as const) {
    it(`run as ${side}'s admin against ${other(side)}'s ids, every command says "not found" and changes nothing`, async () => {
      const ctx: QueryContext = merchantCtx(db, f[side]);
      const admin = side === "alpha" ? f.users.alphaAdmin : f.users.bravoAdmin;
      const actor = { id: admin.id, email: admin.email, role: "merchant-admin" as const };
      const results: string[] = [];
      for (const [name, fn] of commands) {
        for (const [i, sample] of (SAMPLES[name] ?? []).entries()) {
          const before = await snapshot();
          const code = await outcomeCode(() => (fn as (ctx: QueryContext, ...args: unknown[]) => unknown)(ctx, ...sample(f, side, actor)));
          const changed = (await snapshot()) !== before;
          results.push(`${name} #${i}: ${code}${changed ? ", CHANGED THE DATABASE" : ""}`);
        }
      }
      expect(results.filter((r) => !r.endsWith(": not_found"))).toEqual([]);
    });
  }
});
