/** The demo's registers: one location, two physical registers (one with two virtual), nothing routed; made once. */
import "../../lib/test/setup-env";
import { expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open";
import { createMerchant } from "../../lib/merchants/merchants";
import { createUser } from "../../lib/users/users";
import { DEMO_LOCATION, ensureDemoRegisters } from "./demo-merchants";

it("makes Northwind's location and registers, none routed, and nothing more on a second run", async () => {
  const db = openDatabase(":memory:");
  const u = await createUser(db, { email: "admin@pairdesk.local", password: "a-long-test-password", role: "admin" });
  const admin = { id: u.id, email: u.email };
  expect(await ensureDemoRegisters(db, admin)).toEqual({ created: false, registers: 0 }); // no merchant yet
  await createMerchant(db, { name: "Northwind Coffee", externalRef: "NW-001" }, admin);
  expect(await ensureDemoRegisters(db, admin)).toEqual({ created: true, registers: 4 });
  expect(await ensureDemoRegisters(db, admin)).toEqual({ created: false, registers: 0 });
  const rows = db.$client
    .prepare("select r.name, r.kind, p.name as parent, r.terminal_ref from registers r left join registers p on p.id = r.parent_id order by r.id")
    .all();
  expect(rows).toEqual([
    { name: "Front till", kind: "physical", parent: null, terminal_ref: null },
    { name: "Front till – lane A", kind: "virtual", parent: "Front till", terminal_ref: null },
    { name: "Front till – lane B", kind: "virtual", parent: "Front till", terminal_ref: null },
    { name: "Bar till", kind: "physical", parent: null, terminal_ref: null },
  ]);
  expect(db.$client.prepare("select name, time_zone from locations").all()).toEqual([{ name: DEMO_LOCATION.name, time_zone: "Europe/Lisbon" }]);
});
