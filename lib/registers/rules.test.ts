/**
 * The routing rules at the database level (migration 0003): each violation is refused with its
 * rule's code and nothing is written, whether it comes through lib/registers or a raw statement
 * that skips every check in the code. Two writers on one file prove that a check raced by
 * another connection cannot break a rule.
 */
import { testDataDir } from "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { merchantScope, queryContext } from "../auth/scope";
import { openDatabase, type DB } from "../db/open";
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

const all = (d: DB, sql: string) => d.$client.prepare(sql).all() as Row[];

/** Everything a refused change must leave as it was. */
function snapshot(d: DB = db) {
  return {
    locations: all(d, "select * from locations order by id"),
    registers: all(d, "select * from registers order by id"),
    pairings: all(d, "select id, status, terminal_ref from pairings order by id"),
    terminals: all(d, "select id, merchant_id from terminals order by id"),
    audit: all(d, "select id from audit_log order by id"),
  };
}

function terminal(d: DB, merchantId: number, paired: boolean, environment = "sandbox"): number {
  const ref = Number(
    d.$client
      .prepare("insert into terminals (merchant_id, environment, terminal_id) values (?, ?, ?)")
      .run(merchantId, environment, `T-${++n}`).lastInsertRowid,
  );
  if (paired) pairing(d, ref, merchantId, "active");
  return ref;
}

function pairing(d: DB, terminalRef: number, merchantId: number, status: string): number {
  return Number(
    d.$client
      .prepare(
        "insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ?, ?, 'Till', ?, 0, ?, ?)",
      )
      .run(terminalRef, merchantId, `pc-${++n}`, `c-${n}`, status, actor.id).lastInsertRowid,
  );
}

/** Runs `write`, expects the rule's refusal, and that nothing changed. */
async function refused(code: RuleCode, write: () => unknown, d: DB = db) {
  const before = snapshot(d);
  let caught: unknown = null;
  try {
    await write();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected the database to refuse with ${code}`).not.toBeNull();
  expect(ruleOf(caught)).toBe(code);
  expect(snapshot(d)).toEqual(before);
}

const location = (merchantId = alpha, name = `Shop ${++n}`) =>
  createLocation(staff(db), merchantId, { name, address: "", timeZone: "Europe/Lisbon" }, actor);
const physical = (locationId: number, name = `Till ${++n}`) =>
  createRegister(staff(db), { locationId, kind: "physical", parentId: null, name, externalRef: null }, actor);
const virtual = (locationId: number, parentId: number, name = `Lane ${++n}`) =>
  createRegister(staff(db), { locationId, kind: "virtual", parentId, name, externalRef: null }, actor);

beforeEach(async () => {
  db = openDatabase(":memory:");
  alpha = await testMerchant(db, "Alpha");
  bravo = await testMerchant(db, "Bravo");
  const u = await createUser(db, { email: "ops@example.com", password: "a-long-test-password", role: "admin" });
  actor = { id: u.id, email: u.email };
});

describe("one active pairing per terminal and environment", () => {
  it("refuses a second active pairing of a terminal", async () => {
    const t = terminal(db, alpha, true);
    await refused("one_active_pairing", () => pairing(db, t, alpha, "active"));
    // Replaced and unpaired ones may be many.
    pairing(db, t, alpha, "replaced");
    pairing(db, t, alpha, "replaced");
  });

  it("refuses a status that is not a pairing status (the old word 'superseded' too)", async () => {
    const t = terminal(db, alpha, false);
    await refused("pairing_status", () => pairing(db, t, alpha, "superseded"));
    const p = pairing(db, t, alpha, "active");
    await refused("pairing_status", () => db.$client.prepare("update pairings set status = 'gone' where id = ?").run(p));
  });
});

describe("routes", () => {
  it("routes a register to a paired terminal of its merchant, and moves it without touching the old terminal's pairing", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const other = await physical(loc.id);
    const t1 = terminal(db, alpha, true);
    const t2 = terminal(db, alpha, true);
    await routeRegister(staff(db), other.id, t1, actor);
    const first = await routeRegister(staff(db), till.id, t1, actor);
    expect(first).toMatchObject({ changed: true, from: null, to: { ref: t1 } });
    const moved = await routeRegister(staff(db), till.id, t2, actor, t1);
    expect(moved).toMatchObject({ changed: true, from: { ref: t1, otherRegisters: 1 }, to: { ref: t2 } });
    expect(await hasActivePairing(db as never, t1)).toBe(true);
    expect(all(db, "select name, terminal_ref from registers order by id")).toEqual([
      { name: till.name, terminal_ref: t2 },
      { name: other.name, terminal_ref: t1 },
    ]);
    expect(all(db, "select action from audit_log where action like 'register.route' order by id")).toHaveLength(3);
  });

  it("refuses a route to a terminal without an active pairing (never paired, or unpaired)", async () => {
    const till = await physical((await location()).id);
    const never = terminal(db, alpha, false);
    await refused("route_unpaired", () => routeRegister(staff(db), till.id, never, actor));
    const ended = terminal(db, alpha, false);
    pairing(db, ended, alpha, "unpaired");
    pairing(db, ended, alpha, "replaced");
    await refused("route_unpaired", () => routeRegister(staff(db), till.id, ended, actor));
    // The raw statement, past every check in the code.
    await refused("route_unpaired", () => db.$client.prepare("update registers set terminal_ref = ? where id = ?").run(ended, till.id));
  });

  it("refuses a route to another merchant's terminal; to that merchant's people it does not exist", async () => {
    const till = await physical((await location(alpha)).id);
    const theirs = terminal(db, bravo, true);
    await refused("route_other_merchant", () => routeRegister(staff(db), till.id, theirs, actor));
    await refused("route_other_merchant", () => db.$client.prepare("update registers set terminal_ref = ? where id = ?").run(theirs, till.id));
    const before = snapshot();
    await expect(() => routeRegister(queryContext(db, merchantScope(alpha)), till.id, theirs, actor)).rejects.toThrow(/does not exist/);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a route whose register changed meanwhile (the move the user confirmed is not the one that would happen)", async () => {
    const till = await physical((await location()).id);
    const t1 = terminal(db, alpha, true);
    const t2 = terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t1, actor);
    const before = snapshot();
    await expect(() => routeRegister(staff(db), till.id, t2, actor, null)).rejects.toThrow(/changed since you opened/);
    expect(snapshot()).toEqual(before);
  });

  it("refuses to end a pairing that registers still route through, and to move the terminal to another merchant under them", async () => {
    const till = await physical((await location()).id);
    const t = terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t, actor);
    await refused("unpair_routed", () => db.$client.prepare("update pairings set status = 'unpaired' where terminal_ref = ?").run(t));
    await refused("terminal_merchant_routed", () => db.$client.prepare("update terminals set merchant_id = ? where id = ?").run(bravo, t));
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
      db.$client
        .prepare("insert into registers (register_id, merchant_id, location_id, kind, name) values ('r-x', ?, ?, 'virtual', 'No parent')")
        .run(alpha, loc.id),
    );
    await refused("register_parent", () =>
      db.$client
        .prepare("insert into registers (register_id, merchant_id, location_id, kind, parent_id, name) values ('r-y', ?, ?, 'physical', ?, 'Has parent')")
        .run(alpha, loc.id, till.id),
    );
  });

  it("a register's id, kind, location and parent never change", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const other = await physical(loc.id);
    const lane = await virtual(loc.id, till.id);
    await refused("register_fixed", () => db.$client.prepare("update registers set kind = 'virtual', parent_id = ? where id = ?").run(other.id, till.id));
    await refused("register_fixed", () => db.$client.prepare("update registers set parent_id = ? where id = ?").run(other.id, lane.id));
    await refused("register_fixed", () => db.$client.prepare("update registers set register_id = 'mine' where id = ?").run(till.id));
    const elsewhere = await location();
    await refused("register_fixed", () => db.$client.prepare("update registers set location_id = ? where id = ?").run(elsewhere.id, till.id));
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
      db.$client
        .prepare("insert into registers (register_id, merchant_id, location_id, kind, name) values ('r-z', ?, ?, 'physical', 'Wrong merchant')")
        .run(bravo, loc.id),
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
    expect(all(db, "select archived_at is not null as archived from locations where id = " + loc.id)).toEqual([{ archived: 1 }]);
  });

  it("an archived register is unrouted, cannot be routed again, and stays archived", async () => {
    const loc = await location();
    const till = await physical(loc.id);
    const t = terminal(db, alpha, true);
    await routeRegister(staff(db), till.id, t, actor);
    expect((await archiveRegister(staff(db), till.id, actor)).unroutedFrom).toMatch(/^T-/);
    await refused("register_archived", () => routeRegister(staff(db), till.id, t, actor));
    await refused("register_archived", () => db.$client.prepare("update registers set terminal_ref = ? where id = ?").run(t, till.id));
    await refused("register_archived", () => db.$client.prepare("update registers set archived_at = null where id = ?").run(till.id));
  });

  it("nothing changes in a suspended merchant", async () => {
    const loc = await location();
    db.$client.prepare("update merchants set status = 'suspended' where id = ?").run(alpha);
    const before = snapshot();
    await expect(() => physical(loc.id)).rejects.toThrow(/suspended/);
    await expect(() => location()).rejects.toThrow(/suspended/);
    expect(snapshot()).toEqual(before);
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
    const file = path.join(testDataDir, `two-writers-${Date.now()}.db`);
    a = openDatabase(file);
    b = openDatabase(file, { migrate: false });
    const m = await testMerchant(a, "Alpha");
    const u = await createUser(a, { email: "w@example.com", password: "a-long-test-password", role: "admin" });
    actor = { id: u.id, email: u.email };
    const loc = await createLocation(staff(a), m, { name: "Shop", address: "", timeZone: "UTC" }, actor);
    const till = await createRegister(staff(a), { locationId: loc.id, kind: "physical", parentId: null, name: "Till", externalRef: null }, actor);
    const t = terminal(a, m, true);

    // Writer A looks: the terminal is paired, so the route looks allowed.
    expect(await a.transaction((tx) => hasActivePairing(tx, t))).toBe(true);
    // Writer B ends the pairing meanwhile (no register routes there yet) and commits.
    b.$client.prepare("update pairings set status = 'unpaired' where terminal_ref = ?").run(t);
    // A's route is refused by the database, whatever A saw.
    await refused("route_unpaired", () => routeRegister(staff(a), till.id, t, actor), a);

    // Both writers see the name free, both insert: the unique index lets one in.
    const free = (d: DB) => d.$client.prepare("select count(*) as n from registers where name = 'Lane' collate nocase").get() as { n: number };
    expect(free(a).n).toBe(0);
    expect(free(b).n).toBe(0);
    await createRegister(staff(b), { locationId: loc.id, kind: "physical", parentId: null, name: "Lane", externalRef: null }, actor);
    await refused("register_name_taken", () =>
      createRegister(staff(a), { locationId: loc.id, kind: "physical", parentId: null, name: "lane", externalRef: null }, actor),
    a);

    // Two pairings of one terminal written at once: one active, whichever commits first.
    const t2 = terminal(a, m, false);
    pairing(b, t2, m, "active");
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
