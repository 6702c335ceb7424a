/**
 * The routing rules at the database level (migration 0003): each violation is refused with its
 * rule's code and nothing is written, whether it comes through lib/registers or a raw statement
 * that skips every check in the code. Two writers on one file prove that a check raced by
 * another connection cannot break a rule.
 */
import "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { merchantScope, queryContext } from "../auth/scope";
import { openDatabase, rawQuery, type DB } from "../db/open";
import { openTestDatabase, testDatabaseTarget } from "../test/db";
import { createUser } from "../users/users";
import { staff, testMerchant } from "../test/merchants";
import { archiveLocation, createLocation } from "./locations";
import { archiveRegister, createRegister, updateRegister } from "./registers";
import { hasActivePairing, routeRegister } from "./routing";
import { ruleOf, ruleViolation, type RuleCode } from "./rules";

type Row = Record<string, unknown>;
let db: DB;
let alpha: number;
let bravo: number;
let actor: { id: number; email: string };
let n = 0;

const all = (d: DB, sql: string) => rawQuery<Row>(d, sql);

/** Everything a refused change must leave as it was. */
async function snapshot(d: DB = db) {
  return {
    locations: await all(d, "select * from locations order by id"),
    registers: await all(d, "select * from registers order by id"),
    pairings: await all(d, "select id, status, terminal_ref from pairings order by id"),
    terminals: await all(d, "select id, merchant_id from terminals order by id"),
    audit: await all(d, "select id from audit_log order by id"),
  };
}

const insertedId = async (rows: Promise<{ id: number }[]>) => (await rows)[0]!.id;

async function terminal(d: DB, merchantId: number, paired: boolean, environment = "sandbox"): Promise<number> {
  const ref = await insertedId(
    rawQuery(d, "insert into terminals (merchant_id, environment, terminal_id) values (?, ?, ?) returning id", [merchantId, environment, `T-${++n}`]),
  );
  if (paired) await pairing(d, ref, merchantId, "active");
  return ref;
}

function pairing(d: DB, terminalRef: number, merchantId: number, status: string): Promise<number> {
  return insertedId(
    rawQuery(
      d,
      "insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ?, ?, 'Till', ?, false, ?, ?) returning id",
      [terminalRef, merchantId, `pc-${++n}`, `c-${n}`, status, actor.id],
    ),
  );
}

/** Runs `write`, expects the rule's refusal, and that nothing changed. */
async function refused(code: RuleCode, write: () => unknown, d: DB = db) {
  const before = await snapshot(d);
  let caught: unknown = null;
  try {
    await write();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected the database to refuse with ${code}`).not.toBeNull();
  expect(ruleOf(caught)).toBe(code);
  expect(await snapshot(d)).toEqual(before);
}

const location = (merchantId = alpha, name = `Shop ${++n}`) =>
  createLocation(staff(db), merchantId, { name, address: "", timeZone: "Europe/Lisbon" }, actor);
const physical = (locationId: number, name = `Till ${++n}`) =>
  createRegister(staff(db), { locationId, kind: "physical", parentId: null, name, externalRef: null }, actor);
const virtual = (locationId: number, parentId: number, name = `Lane ${++n}`) =>
  createRegister(staff(db), { locationId, kind: "virtual", parentId, name, externalRef: null }, actor);

beforeEach(async () => {
  db = await openTestDatabase();
  alpha = await testMerchant(db, "Alpha");
  bravo = await testMerchant(db, "Bravo");
  const u = await createUser(db, { email: "ops@example.com", password: "a-long-test-password", role: "admin" });
  actor = { id: u.id, email: u.email };
});

describe("one active pairing per terminal and environment", () => {
  it("refuses a second active pairing of a terminal", async () => {
    const t = await terminal(db, alpha, true);
    await refused("one_active_pairing", () => pairing(db, t, alpha, "active"));
    // Replaced and unpaired ones may be many.
    await pairing(db, t, alpha, "replaced");
    await pairing(db, t, alpha, "replaced");
  });

  it("refuses a status that is not a pairing status (the old word 'superseded' too)", async () => {
    const t = await terminal(db, alpha, false);
    await refused("pairing_status", () => pairing(db, t, alpha, "superseded"));
    const p = await pairing(db, t, alpha, "active");
    await refused("pairing_status", () => rawQuery(db, "update pairings set status = 'gone' where id = ?", [p]));
  });
});

describe("routes", () => {
  it("routes a register to a paired terminal of its merchant, and moves it without touching the old terminal's pairing", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const other = await physical(loc.id);
    const t1 = await terminal(db, alpha, true);
    const t2 = await terminal(db, alpha, true);
    await routeRegister(staff(db), other.id, t1, actor);
    const first = await routeRegister(staff(db), till.id, t1, actor);
    expect(first).toMatchObject({ changed: true, from: null, to: { ref: t1 } });
    const moved = await routeRegister(staff(db), till.id, t2, actor, t1);
    expect(moved).toMatchObject({ changed: true, from: { ref: t1, otherRegisters: 1 }, to: { ref: t2 } });
    expect(await hasActivePairing(db as never, t1)).toBe(true);
    expect(await all(db, "select name, terminal_ref from registers order by id")).toEqual([
      { name: till.name, terminal_ref: t2 },
      { name: other.name, terminal_ref: t1 },
    ]);
    expect(await all(db, "select action from audit_log where action like 'register.route' order by id")).toHaveLength(3);
  });

  it("refuses a route to a terminal without an active pairing (never paired, or unpaired)", async () => {
    const till = await physical((await location()).id);
    const never = await terminal(db, alpha, false);
    await refused("route_unpaired", () => routeRegister(staff(db), till.id, never, actor));
    const ended = await terminal(db, alpha, false);
    await pairing(db, ended, alpha, "unpaired");
    await pairing(db, ended, alpha, "replaced");
    await refused("route_unpaired", () => routeRegister(staff(db), till.id, ended, actor));
    // The raw statement, past every check in the code.
    await refused("route_unpaired", () => rawQuery(db, "update registers set terminal_ref = ? where id = ?", [ended, till.id]));
  });

  it("refuses a route to another merchant's terminal; to that merchant's people it does not exist", async () => {
    const till = await physical((await location(alpha)).id);
    const theirs = await terminal(db, bravo, true);
    await refused("route_other_merchant", () => routeRegister(staff(db), till.id, theirs, actor));
    await refused("route_other_merchant", () => rawQuery(db, "update registers set terminal_ref = ? where id = ?", [theirs, till.id]));
    const before = await snapshot();
    await expect(() => routeRegister(queryContext(db, merchantScope(alpha)), till.id, theirs, actor)).rejects.toThrow(/does not exist/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a route whose register changed meanwhile (the move the user confirmed is not the one that would happen)", async () => {
    const till = await physical((await location()).id);
    const t1 = await terminal(db, alpha, true);
    const t2 = await terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t1, actor);
    const before = await snapshot();
    await expect(() => routeRegister(staff(db), till.id, t2, actor, null)).rejects.toThrow(/changed since you opened/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses to end a pairing that registers still route through, and to move the terminal to another merchant under them", async () => {
    const till = await physical((await location()).id);
    const t = await terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t, actor);
    await refused("unpair_routed", () => rawQuery(db, "update pairings set status = 'unpaired' where terminal_ref = ?", [t]));
    await refused("terminal_merchant_routed", () => rawQuery(db, "update terminals set merchant_id = ? where id = ?", [bravo, t]));
  });
});

describe("registers and virtual registers", () => {
  it("a virtual register's parent is a physical register of the same location, not archived", async () => {
    const loc = await location();
    const elsewhere = await location();
    const till = await physical(loc.id);
    const lane = await virtual(loc.id, till.id);
    await refused("register_parent", () => virtual(loc.id, lane.id)); // a virtual parent
    await refused("register_parent", () => virtual(elsewhere.id, till.id)); // another location
    await refused("register_parent", () =>
      rawQuery(db, "insert into registers (register_id, merchant_id, location_id, kind, name) values ('r-x', ?, ?, 'virtual', 'No parent')", [alpha, loc.id]),
    );
    await refused("register_parent", () =>
      rawQuery(db, "insert into registers (register_id, merchant_id, location_id, kind, parent_id, name) values ('r-y', ?, ?, 'physical', ?, 'Has parent')", [alpha, loc.id, till.id]),
    );
  });

  it("a register's id, kind, location and parent never change", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const other = await physical(loc.id);
    const lane = await virtual(loc.id, till.id);
    await refused("register_fixed", () => rawQuery(db, "update registers set kind = 'virtual', parent_id = ? where id = ?", [other.id, till.id]));
    await refused("register_fixed", () => rawQuery(db, "update registers set parent_id = ? where id = ?", [other.id, lane.id]));
    await refused("register_fixed", () => rawQuery(db, "update registers set register_id = 'mine' where id = ?", [till.id]));
    const elsewhere = await location();
    await refused("register_fixed", () => rawQuery(db, "update registers set location_id = ? where id = ?", [elsewhere.id, till.id]));
  });

  it("names are unique within a location, whatever their case; another location or an archived register may reuse one", async () => {
    const loc = await location();
    await physical(loc.id, "Front till");
    await refused("register_name_taken", () => physical(loc.id, "FRONT TILL"));
    await physical((await location()).id, "Front till");
    const back = await physical(loc.id, "Back till");
    await refused("register_name_taken", () => updateRegister(staff(db), back.id, { name: "front till", externalRef: null }, actor));
    await archiveRegister(staff(db), back.id, actor);
    await physical(loc.id, "Back till");
  });

  it("an external reference is unique within the merchant", async () => {
    const loc = await location();
    await createRegister(staff(db), { locationId: loc.id, kind: "physical", parentId: null, name: "A", externalRef: "POS-1" }, actor);
    const elsewhere = await location();
    await refused("register_external_ref_taken", () =>
      createRegister(staff(db), { locationId: elsewhere.id, kind: "physical", parentId: null, name: "B", externalRef: "POS-1" }, actor),
    );
    await createRegister(staff(db), { locationId: (await location(bravo)).id, kind: "physical", parentId: null, name: "B", externalRef: "POS-1" }, actor);
  });

  it("a register belongs to its location's merchant, in a location that is not archived", async () => {
    const loc = await location(alpha);
    await refused("register_location", () =>
      rawQuery(db, "insert into registers (register_id, merchant_id, location_id, kind, name) values ('r-z', ?, ?, 'physical', 'Wrong merchant')", [bravo, loc.id]),
    );
  });
});

describe("archiving", () => {
  it("refuses to archive a location that has registers, and a register that has virtual registers", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const lane = await virtual(loc.id, till.id);
    await refused("location_has_registers", () => archiveLocation(staff(db), loc.id, actor));
    await refused("register_has_virtual", () => archiveRegister(staff(db), till.id, actor));
    await archiveRegister(staff(db), lane.id, actor);
    await archiveRegister(staff(db), till.id, actor);
    await archiveLocation(staff(db), loc.id, actor);
    expect(await all(db, "select count(*) as n from locations where archived_at is not null and id = " + loc.id)).toEqual([{ n: 1 }]);
  });

  it("an archived register is unrouted, cannot be routed again, and stays archived", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const t = await terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t, actor);
    expect((await archiveRegister(staff(db), till.id, actor)).unroutedFrom).toMatch(/^T-/);
    await refused("register_archived", () => routeRegister(staff(db), till.id, t, actor));
    await refused("register_archived", () => rawQuery(db, "update registers set terminal_ref = ? where id = ?", [t, till.id]));
    await refused("register_archived", () => rawQuery(db, "update registers set archived_at = null where id = ?", [till.id]));
  });

  it("nothing changes in a suspended merchant", async () => {
    const loc = await location();
    await rawQuery(db, "update merchants set status = 'suspended' where id = ?", [alpha]);
    const before = await snapshot();
    await expect(() => physical(loc.id)).rejects.toThrow(/suspended/);
    await expect(() => location()).rejects.toThrow(/suspended/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("two writers on one database", () => {
  let a: DB;
  let b: DB;
  afterEach(() => {
    a?.close();
    b?.close();
  });

  it("a route checked against a pairing that the other writer ends is refused; two creates of one name: one wins", async () => {
    const target = await testDatabaseTarget({ file: true });
    a = openDatabase(target);
    await a.ready;
    b = openDatabase(target, { migrate: false });
    const m = await testMerchant(a, "Alpha");
    const u = await createUser(a, { email: "w@example.com", password: "a-long-test-password", role: "admin" });
    actor = { id: u.id, email: u.email };
    const loc = await createLocation(staff(a), m, { name: "Shop", address: "", timeZone: "UTC" }, actor);
    const till = await createRegister(staff(a), { locationId: loc.id, kind: "physical", parentId: null, name: "Till", externalRef: null }, actor);
    const t = await terminal(a, m, true);

    // Writer A looks: the terminal is paired, so the route looks allowed.
    expect(await a.transaction((tx) => hasActivePairing(tx, t))).toBe(true);
    // Writer B ends the pairing meanwhile (no register routes there yet) and commits.
    await rawQuery(b, "update pairings set status = 'unpaired' where terminal_ref = ?", [t]);
    // A's route is refused by the database, whatever A saw.
    await refused("route_unpaired", () => routeRegister(staff(a), till.id, t, actor), a);

    // Both writers see the name free, both insert: the unique index lets one in.
    const free = async (d: DB) => (await all(d, "select count(*) as n from registers where lower(name) = 'lane'"))[0]!.n;
    expect(await free(a)).toBe(0);
    expect(await free(b)).toBe(0);
    await createRegister(staff(b), { locationId: loc.id, kind: "physical", parentId: null, name: "Lane", externalRef: null }, actor);
    await refused("register_name_taken", () =>
      createRegister(staff(a), { locationId: loc.id, kind: "physical", parentId: null, name: "lane", externalRef: null }, actor),
    a);

    // Two pairings of one terminal written at once: one active, whichever commits first.
    const t2 = await terminal(a, m, false);
    await pairing(b, t2, m, "active");
    await refused("one_active_pairing", () => pairing(a, t2, m, "active"), a);
  });
});

it("a rule's refusal carries the user's message, its code and its field", () => {
  expect(ruleViolation("route_unpaired")).toMatchObject({ code: "route_unpaired", field: "terminalRef", status: 409 });
  expect(ruleViolation("route_unpaired").message).toMatch(/only route to a paired terminal/);
});

describe("rule codes", () => {
  it("every pairdesk_rule code a migration raises is a rule with a sentence", () => {
    const dir = path.resolve(import.meta.dirname, "../../drizzle");
    const sql = fs
      .readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".sql"))
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const raised = new Set([...sql.matchAll(/'pairdesk_rule:([a-z_]+)'/g)].map((m) => m[1]!));
    expect(raised.size).toBeGreaterThan(10);
    for (const code of raised) {
      expect(ruleOf(new Error(`pairdesk_rule:${code}`)), code).toBe(code);
      expect(ruleViolation(code as RuleCode).message, code).toMatch(/^[A-Z].+\.$/);
    }
  });
});
