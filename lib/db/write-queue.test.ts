/**
 * The asynchronous data layer on SQLite (lib/db/open.ts, lib/db/write-queue.ts): transactions
 * whose bodies await never take in another request's statements, a nested db.transaction and a
 * read of `db` inside a transaction are refused, and `db` cannot write outside a transaction.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "./open";
import { firstRow } from "./query";
import { merchants } from "./schema";

const opened: DB[] = [];
const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-queue-")), "pairdesk.db");
const open = (file = tempFile(), migrate = true) => {
  const db = openDatabase(file, { migrate });
  opened.push(db);
  return db;
};
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
/** Gives the event loop back, as a network round trip would (the Postgres engine awaits one per statement). */
const tick = () => new Promise((resolve) => setImmediate(resolve));
const names = async (db: DB) => (await db.select({ name: merchants.name }).from(merchants).orderBy(merchants.id)).map((m) => m.name);

describe("transactions on one SQLite writer", () => {
  it("run one at a time: a transaction that fails after giving the event loop back rolls back its own writes only", async () => {
    const db = open();
    const order: string[] = [];
    const failing = db.transaction(async (tx) => {
      order.push("A begins");
      await tx.insert(merchants).values({ name: "A1" });
      await tick();
      await tick();
      await tx.insert(merchants).values({ name: "A2" });
      order.push("A fails");
      throw new Error("A gives up");
    });
    const other = db.transaction(async (tx) => {
      order.push("B begins");
      await tx.insert(merchants).values({ name: "B1" });
      await tick();
      order.push("B commits");
    });
    await expect(failing).rejects.toThrow("A gives up");
    await other;
    expect(order).toEqual(["A begins", "A fails", "B begins", "B commits"]);
    expect(await names(db)).toEqual(["B1"]);
  });

  it("keep the order they were asked in, across connections to the same file in one process", async () => {
    const file = tempFile();
    const a = open(file);
    const b = open(file, false);
    const writes = Array.from({ length: 6 }, (_, i) =>
      (i % 2 ? b : a).transaction(async (tx) => {
        await tick();
        await tx.insert(merchants).values({ name: `M${i}` });
      }),
    );
    await Promise.all(writes);
    expect(await names(a)).toEqual(["M0", "M1", "M2", "M3", "M4", "M5"]);
  });

  it("a savepoint undoes its own writes only", async () => {
    const db = open();
    await db.transaction(async (tx) => {
      await tx.insert(merchants).values({ name: "kept" });
      await expect(
        tx.transaction(async (sp) => {
          await sp.insert(merchants).values({ name: "undone" });
          throw new Error("savepoint fails");
        }),
      ).rejects.toThrow("savepoint fails");
    });
    expect(await names(db)).toEqual(["kept"]);
  });
});

describe("what the layer refuses", () => {
  it("db.transaction inside a transaction (it would wait for itself)", async () => {
    const db = open();
    await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(/use tx.transaction/);
  });

  it("a read of db inside a transaction (it would not see the transaction's writes)", async () => {
    const db = open();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(merchants).values({ name: "unseen" });
        return firstRow(db.select({ n: count() }).from(merchants));
      }),
    ).rejects.toThrow(/read through `tx`/);
    expect(await names(db)).toEqual([]);
  });

  it("a write through db outside a transaction: the type has no insert, and the reader's connection is read-only", async () => {
    const db = open();
    const untyped = db as unknown as { insert: (t: typeof merchants) => { values: (v: object) => Promise<unknown> } };
    expect("insert" in db).toBe(true); // drizzle's method is there, the type hides it…
    await expect(untyped.insert(merchants).values({ name: "sneaky" })).rejects.toThrow(/readonly/);
    expect(await firstRow(db.select().from(merchants).where(eq(merchants.name, "sneaky")))).toBeUndefined();
  });
});
