/**
 * What a run learns is written at its end (./poller.ts, `writeAll`): these are the races of that
 * window, from the red team's review of issue 21, each on a database file with the change made
 * while the run's provider call is out.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pollerHarness } from "../test/poller";
import { openDatabase, type DB } from "../db/open";
import { transactions } from "../db/schema";
import { firstRow } from "../db/query";
import { PayConnectError } from "../pay-connect/errors";
import { observed, pairedTerminal } from "../test/transactions";
import { applyTransactionEvent } from "../transactions/apply";
import { takeLease } from "./lease";
import { BUSY_SLIPS, pollOnce, POLLER } from "./poller";
import { POLL_HORIZON_MS } from "./schedule";

const fileDb = () => openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-poller-races-")), "db.sqlite"));

const harness = pollerHarness;

type Paired = Awaited<ReturnType<typeof pairedTerminal>>;
const apply = (db: DB, t: Paired, id: string, status: string, at: number) =>
  db.transaction((tx) => applyTransactionEvent(tx, { observation: observed({ transactionId: id, status: status as never }), via: t.via, from: { source: "poll" }, at }), {
    behavior: "immediate",
  });
const row = async (db: DB, id: number) => (await firstRow(db.select().from(transactions).where(eq(transactions.id, id)).limit(1)))!;
/** A provider call that waits until `release()`. */
function gated() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { gate, release };
}
const tick = () => new Promise((r) => setTimeout(r, 50));

describe("a run's deferred writes", () => {
  it("do not put a failed poll's backoff on a transaction a webhook made SUCCESS meanwhile", async () => {
    const db = fileDb();
    const t = await pairedTerminal(db);
    const ref = (await apply(db, t, "w-1", "INITIATED", 1_000_000)).transactionRef;
    const g = gated();
    const h = harness(db, {
      getTransaction: async () => {
        await g.gate;
        throw new PayConnectError("unavailable", "Pay-Connect is unavailable", { outcome: "failed", status: 503 });
      },
    });
    h.set(1_004_000);
    const run = pollOnce(h.deps);
    await tick();
    await apply(db, t, "w-1", "SUCCESS", 1_004_100);
    const afterHook = await row(db, ref);
    g.release();
    await run;
    // As the webhook left it: no poll error, its print slip due.
    expect(await row(db, ref)).toMatchObject({ status: "SUCCESS", pollError: null, nextPollAt: afterHook.nextPollAt });
  });

  it("do not mark stale at the horizon a transaction a webhook made SUCCESS meanwhile", async () => {
    const db = fileDb();
    const t = await pairedTerminal(db);
    const old = (await apply(db, t, "h-old", "IN_PROGRESS", 1_000_000)).transactionRef;
    await apply(db, t, "h-slow", "INITIATED", 1_000_000 + POLL_HORIZON_MS - 10_000);
    const g = gated();
    const h = harness(db, {
      getTransaction: async (_c, id) => {
        await g.gate;
        return observed({ transactionId: id as string, status: "IN_PROGRESS" });
      },
    });
    h.set(1_000_000 + POLL_HORIZON_MS + 1_000);
    const run = pollOnce(h.deps);
    await tick();
    await apply(db, t, "h-old", "SUCCESS", h.at() + 100);
    g.release();
    await run;
    const after = await row(db, old);
    expect(after).toMatchObject({ status: "SUCCESS", staleAt: null, pollError: null });
    expect(after.nextPollAt).not.toBeNull();
  });

  it("keep a sooner poll asked for meanwhile (a cancel's) rather than the schedule's", async () => {
    const db = fileDb();
    const t = await pairedTerminal(db);
    const x = (await apply(db, t, "c-x", "IN_PROGRESS", 1_000_000)).transactionRef;
    await apply(db, t, "c-y", "IN_PROGRESS", 1_000_000);
    const g = gated();
    const h = harness(db, {
      getTransaction: async (_c, id) => {
        if (id === "c-y") await g.gate;
        return observed({ transactionId: id as string, status: "IN_PROGRESS" });
      },
    });
    h.set(1_000_000 + 30 * 60_000);
    const run = pollOnce(h.deps);
    await tick();
    const soon = new Date(h.at() + 1_100);
    await db.transaction((tx) => tx.update(transactions).set({ nextPollAt: soon }).where(eq(transactions.id, x)));
    g.release();
    await run;
    expect((await row(db, x)).nextPollAt).toEqual(soon);
  });

  it("are not written by a process that lost the lease during the run", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-poller-races-")), "db.sqlite");
    const dbA = openDatabase(file);
    const dbB = openDatabase(file, { migrate: false });
    const t = await pairedTerminal(dbA);
    const ref = (await apply(dbA, t, "l-1", "INITIATED", Date.now() - 10_000)).transactionRef;
    const g = gated();
    const a = harness(dbA, {
      getTransaction: async () => {
        await g.gate;
        throw new PayConnectError("unavailable", "Pay-Connect is unavailable", { outcome: "failed", status: 503 });
      },
    }, "A");
    a.deps.now = Date.now;
    let aHolds = true;
    a.deps.lease = { holds: () => aHolds };
    const runA = pollOnce(a.deps);
    await tick();
    // A's lease lapses (a renewal failed); B takes it and polls.
    aHolds = false;
    const b = harness(dbB, { getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "SUCCESS" }), getPrintSlip: async () => ({ approveCode: "B" }) as never }, "B");
    b.deps.now = Date.now;
    expect(await takeLease(dbB, POLLER, "B", Date.now() + 60_000, 15_000)).toBe(true);
    await pollOnce(b.deps);
    const afterB = await row(dbB, ref);
    g.release();
    expect((await runA).count).toBe(0);
    expect(await row(dbB, ref)).toEqual(afterB);
    expect(afterB).toMatchObject({ status: "SUCCESS", pollError: null });
  });

  it("that fail put their transaction off a minute with why, so the others get their turn", async () => {
    const db = fileDb();
    const t = await pairedTerminal(db);
    const refs: number[] = [];
    for (let i = 0; i < 4 * BUSY_SLIPS; i++) refs.push((await apply(db, t, `s-${i}`, "SUCCESS", 1_000_000 + i)).transactionRef);
    const bad = refs.slice(0, BUSY_SLIPS);
    db.$client.exec(`create trigger refuse_slip before update of slip on transactions when new.id in (${bad.join(",")}) begin select raise(abort, 'refused'); end`);
    const h = harness(db, { getPrintSlip: async () => ({ approveCode: "OK" }) as never });
    h.deps.busy = () => true;
    for (let r = 0; r < 4; r++) {
      h.set(1_010_000 + r * 1_000);
      await pollOnce(h.deps);
    }
    const rows = await Promise.all(refs.map((r) => row(db, r)));
    expect(rows.filter((r) => r.slipFetchedAt !== null)).toHaveLength(3 * BUSY_SLIPS);
    for (const r of rows.filter((x) => bad.includes(x.id))) {
      expect(r.slipFetchedAt).toBeNull();
      expect(r.pollError).toMatch(/could not be written/);
      expect(r.nextPollAt!.getTime()).toBe(1_010_000 + 60_000);
    }
  });
});

describe("the poller's lag", () => {
  it("counts open transactions, not the print slips a burst holds back", async () => {
    const db = fileDb();
    const t = await pairedTerminal(db);
    for (let i = 0; i < 3 * BUSY_SLIPS; i++) await apply(db, t, `b-${i}`, "SUCCESS", 1_000_000);
    await apply(db, t, "o-1", "INITIATED", 1_050_000);
    const h = harness(db, {
      getPrintSlip: async () => ({ approveCode: "OK" }) as never,
      getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "IN_PROGRESS" }),
    });
    h.deps.busy = () => true;
    h.set(1_060_000);
    // The slips have waited 60 s; the open payment is 7 s overdue (due 3 s after it started).
    expect((await pollOnce(h.deps)).lagMs).toBe(7_000);
  });
});
