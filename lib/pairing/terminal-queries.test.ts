/**
 * The terminal list's "Registers" column (how many registers route to each terminal, counted for
 * the page's rows) and its CSV columns, on a real in-memory database with the real migrations;
 * locations, registers and routes made through the domain functions (the database's rules apply).
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { csvLine } from "../lists/csv";
import { terminalList } from "../lists/lists";
import { createLocation } from "../registers/locations";
import { archiveRegister, createRegister } from "../registers/registers";
import { routeRegister } from "../registers/routing";
import { merchantCtx, staff, testMerchant } from "../test/merchants";
import { terminalCsvColumns } from "./terminal-csv-columns";
import { queryTerminals, terminalRows } from "./terminal-queries";

let db: DB;
let merchant: number;
let actor: { id: number; email: string };
/** Inserts a row and gives its id. */
const run = async (sql: string, ...args: unknown[]) => Number((await rawQuery<{ id: number }>(db, `${sql} returning id`, args))[0]!.id);

async function terminal(terminalId: string, paired: boolean): Promise<number> {
  const ref = await run("insert into terminals (merchant_id, environment, terminal_id) values (?, 'sandbox', ?)", merchant, terminalId);
  if (paired) {
    await run(
      `insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id, created_at)
       values (?, ?, ?, ?, 'cl', false, 'active', ?, ?)`,
      merchant,
      ref,
      `pc-${terminalId}`,
      `Till ${terminalId}`,
      actor.id,
      Date.UTC(2026, 10, 20, 9, 30),
    );
  }
  return ref;
}

let refs: { a: number; b: number; c: number };
let registers: { front: number; lane: number; back: number };

beforeEach(async () => {
  db = await openTestDatabase();
  merchant = await testMerchant(db, "Northwind Coffee");
  actor = { id: await run("insert into users (email, password_hash, role) values ('ana@example.com', 'x', 'admin')"), email: "ana@example.com" };
  refs = { a: await terminal("T-A", true), b: await terminal("T-B", true), c: await terminal("T-C", false) };
  const ctx = merchantCtx(db, merchant);
  const location = await createLocation(ctx, merchant, { name: "Shop", address: "", timeZone: "Europe/Amsterdam" }, actor);
  const register = async (name: string, parentId: number | null = null) =>
    (await createRegister(ctx, { locationId: location.id, kind: parentId ? "virtual" : "physical", parentId, name, externalRef: null }, actor)).id;
  const front = await register("Front");
  registers = { front, lane: await register("Lane 1", front), back: await register("Back") };
  await register("Unrouted");
  await routeRegister(ctx, registers.front, refs.a, actor);
  await routeRegister(ctx, registers.lane, refs.a, actor);
  await routeRegister(ctx, registers.back, refs.b, actor);
});

const counts = (rows: { terminalId: string; registerCount: number }[]) => Object.fromEntries(rows.map((r) => [r.terminalId, r.registerCount]));

describe("terminal list: registers routed to each terminal", () => {
  it("counts the physical and virtual registers routing to each terminal; unrouted ones count nowhere", async () => {
    expect(counts((await queryTerminals(staff(db))).rows)).toEqual({ "T-A": 2, "T-B": 1, "T-C": 0 });
    expect(counts((await queryTerminals(merchantCtx(db, merchant))).rows)).toEqual({ "T-A": 2, "T-B": 1, "T-C": 0 });
  });

  it("follows the routes: a register moved or archived leaves its terminal's count", async () => {
    const ctx = merchantCtx(db, merchant);
    await routeRegister(ctx, registers.lane, refs.b, actor);
    expect(counts((await queryTerminals(staff(db))).rows)).toEqual({ "T-A": 1, "T-B": 2, "T-C": 0 });
    await archiveRegister(ctx, registers.back, actor);
    expect(counts((await queryTerminals(staff(db))).rows)).toEqual({ "T-A": 1, "T-B": 1, "T-C": 0 });
  });

  it("counts per terminal on every page, and another merchant sees none of it", async () => {
    const page2 = await queryTerminals(staff(db), { page: 2, pageSize: 1 });
    expect(counts(page2.rows)).toEqual({ "T-B": 1 });
    const other = await testMerchant(db, "Harbour Books");
    expect((await queryTerminals(merchantCtx(db, other))).rows).toEqual([]);
  });
});

describe("terminal list CSV columns", () => {
  const params = terminalList.values({});
  const lines = async (staffReader: boolean) => {
    const columns = terminalCsvColumns({ staff: staffReader });
    const rows = await terminalRows(staff(db), params, { offset: 0, limit: 50 });
    return [csvLine(columns.map((c) => c.header)), ...rows.map((r) => csvLine(columns.map((c) => c.value(r))))];
  };

  it("gives staff the merchant, and every column a spreadsheet user expects", async () => {
    expect(await lines(true)).toEqual([
      "terminal_id,merchant,environment,status,active_pairing,pay_connect_id,paired_at,paired_by,registers_routed\r\n",
      "T-A,Northwind Coffee,sandbox,paired,Till T-A,pc-T-A,2026-11-20T09:30:00.000Z,ana@example.com,2\r\n",
      "T-B,Northwind Coffee,sandbox,paired,Till T-B,pc-T-B,2026-11-20T09:30:00.000Z,ana@example.com,1\r\n",
      "T-C,Northwind Coffee,sandbox,unpaired,,,,,0\r\n",
    ]);
  });

  it("leaves the merchant out for a merchant's people (their own terminals only)", async () => {
    expect((await lines(false))[0]).toBe("terminal_id,environment,status,active_pairing,pay_connect_id,paired_at,paired_by,registers_routed\r\n");
    expect((await lines(false))[3]).toBe("T-C,sandbox,unpaired,,,,,0\r\n");
  });
});
