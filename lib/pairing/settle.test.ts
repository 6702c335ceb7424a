/**
 * What a stopped process left pending is settled, and only that: with several instances on one
 * database (Postgres), an attempt or operation another instance is sending right now stays
 * pending; one older than the longest call can last is settled (lib/ops/startup.ts sweeps every
 * minute). Runs on both engines.
 */
import "../test/setup-env";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { openTestDatabase } from "../test/db";
import { pairedTerminal } from "../test/transactions";
import { settleOperationsAfterStop } from "../transactions/operations";
import { CREDENTIALS_IN_LOG, settleAbandonedAttempts } from "./pair-terminal";

let db: DB;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.end();
});

const MINUTE = 60_000;

describe("settling what a stopped instance left", () => {
  it("settles attempts and operations older than the cutoff; those another instance is sending stay pending", async () => {
    const t = await pairedTerminal(db);
    const now = Date.now();
    let n = 0;
    const attempt = (ageMs: number, errorCode: string | null = null) =>
      rawQuery<{ id: number }>(
        db,
        "insert into pairing_attempts (request_key, merchant_id, environment, name, status, error_code, created_by_id, created_at) values (?, ?, 'sandbox', 'Till', 'pending', ?, ?, ?) returning id",
        [`rk-${++n}`, t.merchantId, errorCode, t.userId, now - ageMs],
      ).then((rows) => rows[0]!.id);
    const operation = (ageMs: number) =>
      rawQuery<{ id: number }>(
        db,
        "insert into transaction_operations (request_key, kind, merchant_id, environment, terminal_ref, pairing_id, amount, status, created_by_id, created_at) values (?, 'charge', ?, 'sandbox', ?, ?, 100, 'pending', ?, ?) returning id",
        [`op-${++n}`, t.merchantId, t.terminalRef, t.pairingId, t.userId, now - ageMs],
      ).then((rows) => rows[0]!.id);
    const dead = await attempt(10 * MINUTE);
    const deadInLog = await attempt(10 * MINUTE, CREDENTIALS_IN_LOG);
    const inFlight = await attempt(5_000);
    const deadOp = await operation(10 * MINUTE);
    const inFlightOp = await operation(5_000);

    const cutoff = new Date(now - 2 * MINUTE);
    expect(await settleAbandonedAttempts(db, cutoff)).toEqual({ inLog: 1, outcomeUnknown: 1 });
    expect(await settleOperationsAfterStop(db, new Date(), cutoff)).toBe(1);

    const status = async (table: string, id: number) => (await rawQuery<{ status: string }>(db, `select status from ${table} where id = ?`, [id]))[0]!.status;
    expect(await status("pairing_attempts", dead)).toBe("outcome_unknown");
    expect(await status("pairing_attempts", deadInLog)).toBe("needs_recovery");
    expect(await status("pairing_attempts", inFlight)).toBe("pending");
    expect(await status("transaction_operations", deadOp)).toBe("outcome_unknown");
    expect(await status("transaction_operations", inFlightOp)).toBe("pending");
    // Run again (the next minute's sweep, or another instance's): nothing more to do.
    expect(await settleAbandonedAttempts(db, cutoff)).toEqual({ inLog: 0, outcomeUnknown: 0 });
    expect(await settleOperationsAfterStop(db, new Date(), cutoff)).toBe(0);
  });
});
