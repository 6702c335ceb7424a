import "../test/setup-env";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { merchantCtx, staff, testMerchant } from "../test/merchants";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { queryMerchants } from "./queries";

let db: DB;
let data: TwoMerchants;

beforeAll(async () => {
  db = openDatabase(":memory:");
  data = await seedTwoMerchants(db);
});

describe("queryMerchants", () => {
  it("counts each merchant's own terminals and users (the Merchants page's columns)", () => {
    const empty = testMerchant(db, "Charlie Cycles");
    const rows = queryMerchants(staff(db));
    const counts = Object.fromEntries(rows.map((r) => [r.id, { terminals: r.terminals, users: r.users }]));
    // Alpha: T-ALPHA-1 (T-MOVED-7 moved to Bravo), its admin and its viewer. Bravo: T-BRAVO-1 and
    // T-MOVED-7, its admin. Charlie: nothing.
    expect(counts[data.alpha]).toEqual({ terminals: 1, users: 2 });
    expect(counts[data.bravo]).toEqual({ terminals: 2, users: 1 });
    expect(counts[empty]).toEqual({ terminals: 0, users: 0 });
  });

  it("lists the merchant's own only for its people", () => {
    expect(queryMerchants(merchantCtx(db, data.bravo)).map((r) => r.id)).toEqual([data.bravo]);
  });
});
