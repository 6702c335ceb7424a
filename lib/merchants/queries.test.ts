import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeAll, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { merchantCtx, staff, testMerchant } from "../test/merchants";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { queryMerchants } from "./queries";

let db: DB;
let data: TwoMerchants;

beforeAll(async () => {
  db = await openTestDatabase();
  data = await seedTwoMerchants(db);
});

describe("queryMerchants", () => {
  it("counts each merchant's own terminals and users (the Merchants page's columns)", async () => {
    const empty = await testMerchant(db, "Charlie Cycles");
    const rows = (await queryMerchants(staff(db))).rows;
    const counts = Object.fromEntries(rows.map((r) => [r.id, { terminals: r.terminals, users: r.users }]));
    // Alpha: T-ALPHA-1 (T-MOVED-7 moved to Bravo), its admin and its viewer. Bravo: T-BRAVO-1 and
    // T-MOVED-7, its admin. Charlie: nothing.
    expect(counts[data.alpha]).toEqual({ terminals: 1, users: 2 });
    expect(counts[data.bravo]).toEqual({ terminals: 2, users: 1 });
    expect(counts[empty]).toEqual({ terminals: 0, users: 0 });
  });

  it("is a list: a search by name or reference, a status filter, a sort and pages", async () => {
    const names = async (input: Parameters<typeof queryMerchants>[1]) => (await queryMerchants(staff(db), input)).rows.map((r) => r.name);
    await rawQuery(db, "update merchants set external_ref = 'POS-ALPHA-9' where id = ?", [data.alpha]);
    const dormant = await testMerchant(db, "Delta Dormant", "suspended");
    expect(await names({ q: "bravo" })).toEqual(["Bravo Books"]);
    expect(await names({ q: "pos-alpha" })).toEqual(["Alpha Foods"]);
    expect(await names({ q: "%" })).toEqual([]);
    expect(await names({ status: "suspended" })).toEqual(["Delta Dormant"]);
    expect(await names({ sort: "-name", q: "o" })).toEqual(["Delta Dormant", "Bravo Books", "Alpha Foods"]);
    // Newest first: Delta was added last.
    expect((await names({ sort: "-added" }))[0]).toBe("Delta Dormant");
    const second = await queryMerchants(staff(db), { pageSize: 2, page: 2 });
    expect([second.total >= 4, second.page, second.rows.length]).toEqual([true, 2, 2]);
    expect((await queryMerchants(staff(db), { pageSize: 2, page: 99 })).page).toBe(Math.ceil(second.total / 2));
    await rawQuery(db, "delete from merchants where id = ?", [dormant]);
  });

  it("lists the merchant's own only for its people", async () => {
    expect((await queryMerchants(merchantCtx(db, data.bravo))).rows.map((r) => r.id)).toEqual([data.bravo]);
  });
});
