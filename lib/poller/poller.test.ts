import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pollerHarness } from "../test/poller";
import { openDatabase, type DB } from "../db/open";
import { transactionOperations, transactions, workers } from "../db/schema";
import { PayConnectError } from "../pay-connect/errors";
import { observed, pairedTerminal } from "../test/transactions";
import { applyTransactionEvent } from "../transactions/apply";
import { leaseHolder, releaseLease, takeLease } from "./lease";
import { BATCH, BUSY_SLIPS, LEASE_TTL_MS, pollOnce, POLLER } from "./poller";
import { MAX_BACKOFF_MS, nextPollAt, POLL_HORIZON_MS, pollInterval } from "./schedule";
import { firstRow, returnedRow } from "../db/query";

describe("the poll schedule", () => {
  it("polls soon after a transaction starts, then less often", () => {
    expect(pollInterval(0)).toBe(3_000);
    expect(pollInterval(5 * 60_000)).toBe(15_000);
    expect(pollInterval(30 * 60_000)).toBe(60_000);
    expect(pollInterval(2 * 3600_000)).toBe(600_000);
    expect(pollInterval(12 * 3600_000)).toBe(3600_000);
  });

  it("backs off after failures, doubling up to a cap, and stops at the horizon", () => {
    expect(nextPollAt(0, 1_000, 0)).toBe(4_000);
    expect(nextPollAt(0, 1_000, 1)).toBe(1_000 + 6_000);
    expect(nextPollAt(0, 1_000, 2)).toBe(1_000 + 12_000);
    expect(nextPollAt(0, 1_000, 30)).toBe(1_000 + MAX_BACKOFF_MS);
    expect(nextPollAt(0, POLL_HORIZON_MS - 1_000, 0)).toBe(POLL_HORIZON_MS);
    expect(nextPollAt(0, POLL_HORIZON_MS, 0)).toBeNull();
  });
});

const harness = pollerHarness;

async function openTx(db: DB, t: Awaited<ReturnType<typeof pairedTerminal>>, id: string, at: number) {
  return (await db.transaction(
    async (tx) => applyTransactionEvent(tx, { observation: observed({ transactionId: id, status: "INITIATED" }), via: t.via, from: { source: "poll" }, at }),
    { behavior: "immediate" },
  )).transactionRef;
}
const row = async (db: DB, id: number) => (await firstRow(db.select().from(transactions).where(eq(transactions.id, id)).limit(1)))!;

describe("pollOnce", () => {
  it("polls a due transaction, applies what it finds, and schedules the next poll", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    const h = harness(db, { getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "IN_PROGRESS" }) });
    const ref = await openTx(db, t, "tx-1", 1000000);
    h.set(1_000_000 + 3_500);
    const figures = await pollOnce(h.deps);
    expect(figures).toMatchObject({ ran: true, count: 1, errors: 0, lagMs: 500 });
    expect(await row(db, ref)).toMatchObject({ status: "IN_PROGRESS", statusSource: "poll", pollCount: 1, pollError: null });
    expect((await row(db, ref)).nextPollAt!.getTime()).toBe(1_003_500 + 3_000);
    // Not due yet: nothing is asked.
    await pollOnce(h.deps);
    expect(h.calls).toEqual(["getTransaction"]);
    const w = (await firstRow(db.select().from(workers).where(eq(workers.name, POLLER)).limit(1)))!;
    expect(w).toMatchObject({ lastRunCount: 0, lastRunErrors: 0, holder: "me" });
  });

  it("fetches the print slip once a poll finds SUCCESS, then stops", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    const h = harness(db, {
      getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "SUCCESS" }),
      getPrintSlip: async () => ({ approveCode: "OK1", cardLast4: "4242" }) as never,
    });
    const ref = await openTx(db, t, "tx-s", 1000000);
    h.set(1_004_000);
    await pollOnce(h.deps);
    expect((await row(db, ref)).status).toBe("SUCCESS");
    await pollOnce(h.deps);
    expect(JSON.parse((await row(db, ref)).slip!)).toEqual({ approveCode: "OK1", cardLast4: "4242" });
    expect((await row(db, ref)).nextPollAt).toBeNull();
    await pollOnce(h.deps);
    expect(h.calls).toEqual(["getTransaction", "getPrintSlip"]);
  });

  it("backs off on a 500 and says why, then recovers", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    let fail = 2;
    const h = harness(db, {
      getTransaction: async (_c, id) => {
        if (fail-- > 0) throw new PayConnectError("unavailable", "Pay-Connect is unavailable (HTTP 500).", { outcome: "failed", status: 500 });
        return observed({ transactionId: id as string, status: "DECLINED" });
      },
    });
    const ref = await openTx(db, t, "tx-b", 1000000);
    h.set(1_003_000);
    await pollOnce(h.deps);
    expect((await row(db, ref)).pollError).toMatch(/HTTP 500/);
    expect((await row(db, ref)).nextPollAt!.getTime()).toBe(1_003_000 + 6_000);
    h.set(1_009_000);
    await pollOnce(h.deps);
    expect((await row(db, ref)).nextPollAt!.getTime()).toBe(1_009_000 + 12_000);
    h.set(1_021_000);
    await pollOnce(h.deps);
    expect(await row(db, ref)).toMatchObject({ status: "DECLINED", pollError: null, nextPollAt: null });
    expect((await firstRow(db.select().from(workers).limit(1)))!.errorsTotal).toBe(2);
  });

  it("marks a transaction stale past the horizon", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    const h = harness(db, {});
    const ref = await openTx(db, t, "tx-old", 1000000);
    h.set(1_000_000 + POLL_HORIZON_MS);
    await pollOnce(h.deps);
    expect((await row(db, ref)).staleAt).not.toBeNull();
    expect((await row(db, ref)).pollError).toMatch(/24 hours/);
    expect(h.calls).toEqual([]);
  });

  it("follows a revert until the provider says it succeeded, then polls its transaction", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    let status: "INITIATED" | "SUCCESS" = "INITIATED";
    const h = harness(db, { getOperation: async (_c, id) => ({ operationId: id as string, type: "transaction.revert", transactionId: "tx-r", status }) });
    const ref = await openTx(db, t, "tx-r", 1_000_000);
    await db.transaction((tx) => tx.update(transactions).set({ nextPollAt: null }).where(eq(transactions.id, ref)));
    const op = await returnedRow(db.transaction((tx) => tx
      .insert(transactionOperations)
      .values({
        requestKey: "rk",
        kind: "revert",
        merchantId: t.merchantId,
        environment: "sandbox",
        terminalRef: t.terminalRef,
        pairingId: t.pairingId,
        transactionRef: ref,
        providerOperationId: "op-1",
        status: "sent",
        nextPollAt: new Date(1_000_000),
        createdById: t.userId,
        createdAt: new Date(1_000_000),
      })
      .returning({ id: transactionOperations.id })));
    h.set(1_001_000);
    await pollOnce(h.deps);
    const opRow = async () => (await firstRow(db.select().from(transactionOperations).where(eq(transactionOperations.id, op.id)).limit(1)))!;
    expect(await opRow()).toMatchObject({ providerStatus: "INITIATED", status: "sent" });
    status = "SUCCESS";
    h.set(1_003_000);
    await pollOnce(h.deps);
    expect(await opRow()).toMatchObject({ providerStatus: "SUCCESS", status: "succeeded", nextPollAt: null });
    expect((await row(db, ref)).nextPollAt!.getTime()).toBe(1_003_000);
  });
});

describe("pollOnce during a burst of webhooks", () => {
  /** `n` successful transactions seen in webhooks at 1_000_000, each with a print slip to fetch. */
  async function successes(db: DB, t: Awaited<ReturnType<typeof pairedTerminal>>, n: number, prefix: string) {
    const refs: number[] = [];
    for (let i = 0; i < n; i++) {
      refs.push(
        (await db.transaction(
          (tx) =>
            applyTransactionEvent(tx, { observation: observed({ transactionId: `${prefix}-${i}`, status: "SUCCESS" }), via: t.via, from: { source: "poll" }, at: 1_000_000 }),
          { behavior: "immediate" },
        )).transactionRef,
      );
    }
    return refs;
  }

  it("asks about every open transaction but fetches only a few slips while busy, then catches up", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    let busy = true;
    const h = harness(db, {
      getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "IN_PROGRESS" }),
      getPrintSlip: async () => ({ approveCode: "OK" }) as never,
    });
    h.deps.busy = () => busy;
    const slips = await successes(db, t, BUSY_SLIPS * 3, "s");
    const open = await openTx(db, t, "o-1", 1_000_000);
    h.set(1_004_000);
    const first = await pollOnce(h.deps);
    expect(h.calls.filter((c) => c === "getTransaction")).toHaveLength(1);
    expect(h.calls.filter((c) => c === "getPrintSlip")).toHaveLength(BUSY_SLIPS);
    expect((await row(db, open)).status).toBe("IN_PROGRESS");
    // The lag is the open payment's (due 3 s after it started); a busy run does not ask to run again at once.
    expect(first).toMatchObject({ count: 1 + BUSY_SLIPS, lagMs: 1_000, more: false });
    const fetched = async () => (await Promise.all(slips.map((ref) => row(db, ref)))).filter((r) => r.slipFetchedAt !== null).length;
    expect(await fetched()).toBe(BUSY_SLIPS);

    busy = false;
    const second = await pollOnce(h.deps);
    expect(second.count).toBe(BUSY_SLIPS * 2);
    expect(await fetched()).toBe(BUSY_SLIPS * 3);
  });

  it("says there is more when a run took a full batch, so that the loop runs again at once", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    const h = harness(db, { getPrintSlip: async () => ({ approveCode: "OK" }) as never });
    await successes(db, t, BATCH + 3, "m");
    h.set(1_004_000);
    expect(await pollOnce(h.deps)).toMatchObject({ count: BATCH, more: true });
    expect(await pollOnce(h.deps)).toMatchObject({ count: 3, more: false });
  });

  it("writes what a run learned in one transaction, keeping the others when one cannot be written", async () => {
    const db = openDatabase(":memory:");
    const t = await pairedTerminal(db);
    const h = harness(db, { getTransaction: async (_c, id) => observed({ transactionId: id as string, status: "DECLINED" }) });
    const a = await openTx(db, t, "w-a", 1_000_000);
    const b = await openTx(db, t, "w-b", 1_000_000);
    // A rule refuses one transaction's change, as a database rule or a row changed meanwhile would.
    db.$client.exec(
      `create trigger refuse_w_b before update of status on transactions when new.id = ${b} begin select raise(abort, 'refused for the test'); end`,
    );
    h.set(1_004_000);
    const figures = await pollOnce(h.deps);
    expect(figures.errors).toBe(1);
    expect(await row(db, a)).toMatchObject({ status: "DECLINED", pollError: null, nextPollAt: null });
    // The refused one backs off with the reason, rather than being asked again at once.
    const refused = await row(db, b);
    expect(refused.status).toBe("INITIATED");
    expect(refused.pollError).toMatch(/unexpected error/);
    expect(refused.nextPollAt!.getTime()).toBeGreaterThan(1_004_000);
  });
});

describe("the poller's lease", () => {
  it("lets one holder at a time poll a database file, and another take over once it lapses", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-lease-")), "db.sqlite");
    const a = openDatabase(file);
    const b = openDatabase(file, { migrate: false });
    expect(await takeLease(a, POLLER, "A", 0, LEASE_TTL_MS)).toBe(true);
    expect(await takeLease(b, POLLER, "B", 1_000, LEASE_TTL_MS)).toBe(false);
    // A renews; B still cannot take it.
    expect(await takeLease(a, POLLER, "A", 10_000, LEASE_TTL_MS)).toBe(true);
    expect(await takeLease(b, POLLER, "B", 20_000, LEASE_TTL_MS)).toBe(false);
    // A stops renewing (it died): after the expiry B takes over, and A no longer has it.
    expect(await takeLease(b, POLLER, "B", 10_000 + LEASE_TTL_MS + 1, LEASE_TTL_MS)).toBe(true);
    expect((await leaseHolder(a, POLLER))?.holder).toBe("B");
    expect(await takeLease(a, POLLER, "A", 10_000 + LEASE_TTL_MS + 2, LEASE_TTL_MS)).toBe(false);
    // A polling process without the lease does nothing.
    const t = await pairedTerminal(a);
    await openTx(a, t, "tx-l", 0);
    const h = harness(a, {}, "A");
    h.set(30_000);
    expect((await pollOnce(h.deps)).ran).toBe(false);
    // Released on stop: free at once.
    await releaseLease(b, POLLER, "B");
    expect(await takeLease(a, POLLER, "A", 30_001, LEASE_TTL_MS)).toBe(true);
  });
});
