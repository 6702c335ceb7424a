import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../test/db";
import { rawQuery, type DB } from "../db/open";
import { transactionEvents, transactionOperations, transactions } from "../db/schema";
import type { ProviderTransactionStatus } from "../providers/types";
import { observed, pairedTerminal } from "../test/transactions";
import { RULE_MESSAGES, underRules } from "../registers/rules";
import { applyTransactionEvent, type ApplyInput } from "./apply";
import { firstRow, returnedRow } from "../db/query";

function apply(db: DB, input: ApplyInput) {
  return db.transaction((tx) => applyTransactionEvent(tx, input), { behavior: "immediate" });
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const row = async (db: DB, id: number) => (await firstRow(db.select().from(transactions).where(eq(transactions.id, id)).limit(1)))!;
const events = async (db: DB, id: number) =>
  await db.select().from(transactionEvents).where(eq(transactionEvents.transactionRef, id)).orderBy(transactionEvents.id);

describe("applyTransactionEvent", () => {
  it("creates a transaction first seen in a webhook, linked to the pairing's terminal and merchant", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const r = await apply(db, {
        observation: observed({ transactionId: "tx-1", status: "IN_PROGRESS", paymentMethod: "CARD" }),
        via: t.via,
        from: { source: "poll" },
        at: 1000,
    });
    expect(r.effect).toBe("created");
    const tx = await row(db, r.transactionRef);
    expect(tx).toMatchObject({
      merchantId: t.merchantId,
      terminalRef: t.terminalRef,
      pairingId: t.pairingId,
      status: "IN_PROGRESS",
      statusSource: "poll",
      kind: "charge",
      amount: 1250,
      currency: "EUR",
    });
    // An open transaction is polled soon.
    expect(tx.nextPollAt?.getTime()).toBe(1_000 + 3_000);
  });

  it("records the same observation once and changes nothing the second time", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const o = observed({ transactionId: "tx-dup", status: "SUCCESS", completedAt: 5_000 });
    const first = await apply(db, { observation: o, via: t.via, from: { source: "poll" }, at: 10000 });
    const before = await row(db, first.transactionRef);
    const second = await apply(db, { observation: o, via: t.via, from: { source: "poll" }, at: 20000 });
    expect(second.effect).toBe("duplicate");
    expect(await row(db, first.transactionRef)).toEqual(before);
    expect(await events(db, first.transactionRef)).toHaveLength(1);
  });

  it("ends every ordering of a charge's events at its final status", async () => {
    const charges: ProviderTransactionStatus[][] = [
      ["INITIATED", "IN_PROGRESS", "SUCCESS"],
      ["INITIATED", "IN_PROGRESS", "DECLINED"],
      ["INITIATED", "IN_PROGRESS", "CANCELED"],
      ["INITIATED", "IN_PROGRESS", "SUCCESS", "REVERTED"],
    ];
    for (const statuses of charges) {
      const expected = statuses[statuses.length - 1]!;
      for (const order of permutations(statuses)) {
        const db = await openTestDatabase();
        const t = await pairedTerminal(db);
        let ref = 0;
        for (const [i, status] of order.entries()) {
          ref = (await apply(db, {
              observation: observed({ transactionId: "tx-order", status }),
              via: t.via,
              from: { source: "poll" },
              at: 1000 + i,
          })).transactionRef;
        }
        expect((await row(db, ref)).status, order.join(" → ")).toBe(expected);
        // Every distinct observation is kept, the ignored ones included.
        expect(await events(db, ref)).toHaveLength(order.length);
      }
    }
  });

  it("keeps a late IN_PROGRESS as an ignored event, with why", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const a = await apply(db, { observation: observed({ transactionId: "tx-late", status: "SUCCESS" }), via: t.via, from: { source: "poll" } });
    const b = await apply(db, { observation: observed({ transactionId: "tx-late", status: "IN_PROGRESS" }), via: t.via, from: { source: "poll" } });
    expect(b).toMatchObject({ effect: "ignored", status: "SUCCESS" });
    expect((await row(db, a.transactionRef)).status).toBe("SUCCESS");
    expect((await events(db, a.transactionRef)).at(-1)).toMatchObject({ effect: "ignored", status: "IN_PROGRESS" });
    expect((await events(db, a.transactionRef)).at(-1)!.note).toMatch(/late IN_PROGRESS.*kept SUCCESS/);
  });

  it("lets SUCCESS become REVERTED, and nothing else leave a final status", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const a = await apply(db, { observation: observed({ transactionId: "tx-rev", status: "SUCCESS" }), via: t.via, from: { source: "poll" } });
    expect((await apply(db, { observation: observed({ transactionId: "tx-rev", status: "REVERTED", revertedAt: 9 }), via: t.via, from: { source: "poll" } })).effect).toBe("changed");
    expect((await apply(db, { observation: observed({ transactionId: "tx-rev", status: "SUCCESS" }), via: t.via, from: { source: "poll" } })).effect).toBe("duplicate");
    expect((await apply(db, { observation: observed({ transactionId: "tx-rev", status: "FAILED" }), via: t.via, from: { source: "poll" } })).effect).toBe("ignored");
    expect(await row(db, a.transactionRef)).toMatchObject({ status: "REVERTED" });
    expect((await row(db, a.transactionRef)).revertedAt?.getTime()).toBe(9);
  });

  it("updates a successful transaction's refunded total without changing its status", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const a = await apply(db, { observation: observed({ transactionId: "tx-ref", status: "SUCCESS", refundTotalAmount: 0 }), via: t.via, from: { source: "poll" } });
    const b = await apply(db, { observation: observed({ transactionId: "tx-ref", status: "SUCCESS", refundTotalAmount: 500 }), via: t.via, from: { source: "poll" } });
    expect(b.effect).toBe("updated");
    expect(await row(db, a.transactionRef)).toMatchObject({ status: "SUCCESS", refundTotalAmount: 500 });
    // A stale observation with a smaller refunded total never lowers it.
    await apply(db, { observation: observed({ transactionId: "tx-ref", status: "SUCCESS", refundTotalAmount: 200 }), via: t.via, from: { source: "poll" } });
    expect((await row(db, a.transactionRef)).refundTotalAmount).toBe(500);
  });

  it("links a refund to its original and reads a POS refund's kind from its tags", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const original = await apply(db, { observation: observed({ transactionId: "tx-orig", status: "SUCCESS" }), via: t.via, from: { source: "poll" } });
    const refund = await apply(db, {
        observation: observed({ transactionId: "tx-refund", status: "SUCCESS", tags: ["refund"], linkedTransactionId: "tx-orig" }),
        via: t.via,
        from: { source: "poll" },
    });
    expect(await row(db, refund.transactionRef)).toMatchObject({ kind: "refund", linkedTransactionRef: original.transactionRef });
    const independent = await apply(db, {
        observation: observed({ transactionId: "tx-ind", status: "SUCCESS", tags: ["refund"] }),
        via: t.via,
        from: { source: "poll" },
    });
    expect((await row(db, independent.transactionRef)).kind).toBe("independent_refund");
  });

  it("gives an operation whose answer was lost the transaction a webhook reports with its client_transaction_id", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const op = await returnedRow(db.transaction((tx) => tx
      .insert(transactionOperations)
      .values({
        requestKey: "rk-1",
        kind: "preauth",
        merchantId: t.merchantId,
        environment: "sandbox",
        terminalRef: t.terminalRef,
        pairingId: t.pairingId,
        amount: 1250,
        clientTransactionId: "ctid-1",
        status: "outcome_unknown",
        createdById: t.userId,
      })
      .returning({ id: transactionOperations.id })));
    const r = await apply(db, {
        observation: observed({ transactionId: "tx-lost", status: "IN_PROGRESS", clientTransactionId: "ctid-1" }),
        via: t.via,
        from: { source: "poll" },
    });
    expect(await row(db, r.transactionRef)).toMatchObject({ kind: "preauth", createdById: t.userId, clientTransactionId: "ctid-1" });
    expect((await firstRow(db.select().from(transactionOperations).where(eq(transactionOperations.id, op.id)).limit(1)))!.resultTransactionRef).toBe(r.transactionRef);
  });

  it("schedules the print slip once a transaction succeeds, and stops polling a declined one", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const a = await apply(db, { observation: observed({ transactionId: "tx-s", status: "IN_PROGRESS" }), via: t.via, from: { source: "poll" }, at: 100 });
    await apply(db, { observation: observed({ transactionId: "tx-s", status: "SUCCESS" }), via: t.via, from: { source: "poll" }, at: 200 });
    expect((await row(db, a.transactionRef)).nextPollAt?.getTime()).toBe(200);
    const d = await apply(db, { observation: observed({ transactionId: "tx-d", status: "IN_PROGRESS" }), via: t.via, from: { source: "poll" }, at: 100 });
    await apply(db, { observation: observed({ transactionId: "tx-d", status: "DECLINED" }), via: t.via, from: { source: "poll" }, at: 200 });
    expect((await row(db, d.transactionRef)).nextPollAt).toBeNull();
  });

  it("is backed by the database: a raw update cannot move a final status back", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const a = await apply(db, { observation: observed({ transactionId: "tx-raw", status: "DECLINED" }), via: t.via, from: { source: "poll" } });
    await expect(rawQuery(db, "UPDATE transactions SET status = 'IN_PROGRESS' WHERE id = ?", [a.transactionRef])).rejects.toThrow(
      /transaction_status_backwards/,
    );
    await expect(rawQuery(db, "UPDATE transactions SET status = 'SUCCESS' WHERE id = ?", [a.transactionRef])).rejects.toThrow(
      /transaction_status_backwards/,
    );
    // Under the rules, the refusal is that rule's, in words.
    await expect(
      underRules(() => rawQuery(db, "UPDATE transactions SET status = 'IN_PROGRESS' WHERE id = ?", [a.transactionRef])),
    ).rejects.toThrow(expect.objectContaining({ code: "transaction_status_backwards", message: RULE_MESSAGES.transaction_status_backwards }));
  });
});
