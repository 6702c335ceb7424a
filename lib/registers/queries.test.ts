import { describe, expect, it } from "vitest";
import { rawQuery } from "../db/open";
import { openTestDatabase } from "../test/db";
import { registerList } from "../lists/lists";
import { staff } from "../test/merchants";
import { seedRegisters } from "../../scripts/demo/seed-registers";
import { registerCursorOf } from "./cursor";
import { registerRows, registerRowsAfter } from "./queries";

describe("the registers CSV's keyset batches", () => {
  it("walk the whole tree in the page's order, batch after batch, with names that differ only in case", async () => {
    const db = await openTestDatabase();
    await seedRegisters(db, { count: 400, merchants: 2 });
    // Names that sort the same but for case, and ties broken by ids: where a keyset compared
    // without the order's collation, or with a key missing, would skip or repeat rows.
    await rawQuery(db, "update locations set name = upper(name) where id % 2 = 0");
    await rawQuery(db, "update locations set name = 'Same place' where id in (1, 2)");
    await rawQuery(db, "update registers set name = lower(name) where id % 3 = 0");
    const params = registerList.values({});
    const all = await registerRows(staff(db), params, { limit: 10_000, offset: 0 });
    expect(all).toHaveLength(400);

    for (const size of [1, 7, 50]) {
      const walked: number[] = [];
      let after = null;
      for (;;) {
        const batch = await registerRowsAfter(staff(db), params, after, size);
        // A keyset that does not move on would go round for ever: stop once past the end.
        if (batch.length === 0 || walked.length > all.length) break;
        walked.push(...batch.map((r) => r.id));
        after = registerCursorOf(batch.at(-1)!);
      }
      expect(walked, `batches of ${size}`).toEqual(all.map((r) => r.id));
    }
  });

  it("keeps the list's filters", async () => {
    const db = await openTestDatabase();
    await seedRegisters(db, { count: 120 });
    const params = registerList.values({ route: "unrouted" });
    const all = await registerRows(staff(db), params, { limit: 10_000, offset: 0 });
    const first = await registerRowsAfter(staff(db), params, null, 10);
    const rest = await registerRowsAfter(staff(db), params, registerCursorOf(first.at(-1)!), 10_000);
    expect(all.length).toBeGreaterThan(20);
    expect([...first, ...rest].map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(rest.every((r) => r.route === null)).toBe(true);
  });
});
