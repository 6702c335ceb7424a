/**
 * Importing registers: the preview writes nothing; the import writes every new register or none
 * (a row the database refuses mid-way rolls back the rows before it); the same file twice
 * creates nothing new; virtual registers find a parent created by the same file.
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, expect, it } from "vitest";
import { merchantScope, queryContext } from "../auth/scope";
import { rawQuery, type DB } from "../db/open";
import { staff, testMerchant } from "../test/merchants";
import { createUser } from "../users/users";
import { applyImport, previewImport } from "./import";
import { createLocation } from "./locations";

let db: DB;
let merchant: number;
let actor: { id: number; email: string };
const count = async (table: string) => Number((await rawQuery<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n);

const FILE = `location,register,parent register,external reference
Main Street,Front till,,POS-1
Main Street,Front till – lane A,Front till,
Main Street,"Bar, till",,POS-2
`;

beforeEach(async () => {
  db = await openTestDatabase();
  merchant = await testMerchant(db);
  const u = await createUser(db, { email: "ops@example.com", password: "a-long-test-password", role: "admin" });
  actor = { id: u.id, email: u.email };
  await createLocation(staff(db), merchant, { name: "Main Street", address: "", timeZone: "UTC" }, actor);
});

it("previews without writing, imports all rows, and a second import creates nothing", async () => {
  const preview = await previewImport(staff(db), merchant, FILE);
  expect(preview).toMatchObject({ ok: true, created: 0 });
  if (!preview.ok) throw new Error("preview refused");
  expect(preview.plan.create.map((r) => r.name)).toEqual(["Front till", "Bar, till", "Front till – lane A"]);
  expect(await count("registers")).toBe(0);

  const first = await applyImport(staff(db), merchant, FILE, actor);
  expect(first).toMatchObject({ ok: true, created: 3 });
  expect(
    await rawQuery(db, "select r.name, r.kind, p.name as parent, r.external_ref from registers r left join registers p on p.id = r.parent_id order by r.id"),
  ).toEqual([
    { name: "Front till", kind: "physical", parent: null, external_ref: "POS-1" },
    { name: "Bar, till", kind: "physical", parent: null, external_ref: "POS-2" },
    { name: "Front till – lane A", kind: "virtual", parent: "Front till", external_ref: null },
  ]);
  expect((await rawQuery(db, "select action, details from audit_log where action = 'register.import'"))[0]).toMatchObject({
    details: JSON.stringify({ created: 3, unchanged: 0 }),
  });

  const again = await applyImport(staff(db), merchant, FILE, actor);
  expect(again).toMatchObject({ ok: true, created: 0 });
  if (again.ok) expect(again.plan.unchanged).toHaveLength(3);
  expect(await count("registers")).toBe(3);
});

it("imports nothing when a row is invalid, and says which", async () => {
  const bad = FILE + "Nowhere,Till 9,,\n";
  const out = await applyImport(staff(db), merchant, bad, actor);
  expect(out.ok).toBe(false);
  if (!out.ok) expect(out.errors).toEqual([expect.objectContaining({ line: 5, message: expect.stringMatching(/Nowhere/) })]);
  expect(await count("registers")).toBe(0);
});

it("rolls back every row when the database refuses one mid-way (a name taken meanwhile, past the plan)", async () => {
  // Written between the plan and the insert: the trigger-free way to make the database refuse a
  // row the plan accepted is a register that differs only in inner white space.
  const file = `location,register\nMain Street,Front till\nMain Street,Back  till\nMain Street,Back till\n`;
  const out = await applyImport(staff(db), merchant, file, actor);
  expect(out.ok).toBe(false);
  if (!out.ok) expect(out.errors[0]).toMatchObject({ line: 4, message: expect.stringMatching(/already has a register with that name/) });
  expect(await count("registers")).toBe(0);
  expect(await count("audit_log")).toBe(1); // the location's creation only
});

it("another merchant's people cannot import into this merchant", async () => {
  const other = await testMerchant(db, "Other");
  await expect(() => previewImport(queryContext(db, merchantScope(other)), merchant, FILE)).rejects.toThrow(/does not exist/);
  await expect(() => applyImport(queryContext(db, merchantScope(other)), merchant, FILE, actor)).rejects.toThrow(/does not exist/);
  expect(await count("registers")).toBe(0);
});
