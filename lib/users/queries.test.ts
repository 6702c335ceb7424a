import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeAll, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { merchantCtx, staff } from "../test/merchants";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { queryUsers } from "./queries";

let db: DB;
let data: TwoMerchants;

beforeAll(async () => {
  db = await openTestDatabase();
  data = await seedTwoMerchants(db);
});

const emails = async (input: Parameters<typeof queryUsers>[1] = {}, ctx = staff(db)) => (await queryUsers(ctx, input)).rows.map((r) => r.email);

describe("queryUsers", () => {
  it("lists staff first, then each merchant's people by merchant, by email within (the page as it always read)", async () => {
    expect(await emails()).toEqual(["ops@integrator.example", "boss@alpha.example", "clerk@alpha.example", "boss@bravo.example"]);
    expect(await emails({}, merchantCtx(db, data.alpha))).toEqual(["boss@alpha.example", "clerk@alpha.example"]);
  });

  it("searches the email and the name, filters by role and status, sorts, and pages", async () => {
    await rawQuery(db, "update users set name = 'Clara Till', disabled_at = 1 where email = 'clerk@alpha.example'");
    expect(await emails({ q: "BOSS@" })).toEqual(["boss@alpha.example", "boss@bravo.example"]);
    expect(await emails({ q: "clara" })).toEqual(["clerk@alpha.example"]);
    expect(await emails({ q: "_" })).toEqual([]);
    expect(await emails({ role: "merchant-admin" })).toEqual(["boss@alpha.example", "boss@bravo.example"]);
    expect(await emails({ status: "disabled" })).toEqual(["clerk@alpha.example"]);
    expect(await emails({ status: "active" })).not.toContain("clerk@alpha.example");
    expect(await emails({ sort: "email" })).toEqual(["boss@alpha.example", "boss@bravo.example", "clerk@alpha.example", "ops@integrator.example"]);
    expect(await emails({ sort: "-merchant" })).toEqual(["boss@bravo.example", "clerk@alpha.example", "boss@alpha.example", "ops@integrator.example"]);
    const second = await queryUsers(staff(db), { sort: "email", pageSize: 3, page: 2 });
    expect([second.total, second.page, second.rows.map((r) => r.email)]).toEqual([4, 2, ["ops@integrator.example"]]);
    expect((await queryUsers(staff(db), { pageSize: 3, page: 9 })).page).toBe(2);
  });

  it("keeps a merchant admin to their merchant whatever the filters say", async () => {
    expect(await emails({ q: "bravo" }, merchantCtx(db, data.alpha))).toEqual([]);
    expect(await emails({ role: "admin" }, merchantCtx(db, data.alpha))).toEqual([]);
  });

  it("never selects a password hash or a session version", async () => {
    const row = (await queryUsers(staff(db))).rows[0]!;
    expect(Object.keys(row).sort()).toEqual(["createdAt", "disabledAt", "email", "id", "merchantId", "merchantName", "name", "role"]);
  });
});
