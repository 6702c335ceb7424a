/**
 * A recovery completed by another instance than the one that holds the spool file: an instance's
 * start copies its spool records into their attempts' rows (importSpoolRecords), so that any
 * instance's dashboard offers them and completes them from the copy, which is then cleared. Both
 * engines.
 */
import "../test/setup-env";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { queryDashboard } from "../dashboard/queries";
import { openTestDatabase } from "../test/db";
import { staff, testMerchant } from "../test/merchants";
import { createUser } from "../users/users";
import { completeRecovery } from "./complete-recovery";
import { readCredentials } from "./credentials";
import { importSpoolRecords, listRecoverySpool, recoveryRecord, removeSpoolFile, writeRecord } from "./recovery";

let db: DB;
beforeEach(async () => {
  db = await openTestDatabase();
  for (const e of listRecoverySpool()) removeSpoolFile(e.file);
});
afterEach(async () => {
  await db.end();
});

describe("a spool record in the database", () => {
  it("is offered and completed by an instance that does not hold the file, then cleared", async () => {
    const merchantId = await testMerchant(db, "Shared Spool");
    const admin = await createUser(db, { email: "ops@shared.example", password: "a-long-test-password", role: "admin" });
    const [attempt] = await rawQuery<{ id: number }>(
      db,
      "insert into pairing_attempts (request_key, merchant_id, environment, name, status, created_by_id) values ('rk-shared', ?, 'sandbox', 'Shared till', 'pending', ?) returning id",
      [merchantId, admin.id],
    );
    const result = {
      payConnectId: "pc-shared",
      payConnectName: "Shared till",
      terminalId: "T-SHARED-9",
      clientId: "client-shared",
      clientSecret: "cs_shared_0123456789abcdefghijklmnop",
      webhookSecretKey: "whsec_shared_0123456789abcdefghijkl",
    };
    // Instance A wrote its spool file, then died before the commit; started again, it copies it.
    const file = writeRecord(recoveryRecord({ attemptId: attempt!.id, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: admin.id, failure: "killed", result }));
    const imported = await importSpoolRecords(db, new Date(Date.now() + 1_000), { reason: "cut off", at: new Date() });
    expect(imported).toMatchObject({ marked: 1, copied: 1, stale: [] });
    const [row] = await rawQuery<{ status: string; recovery_record: string }>(db, "select status, recovery_record from pairing_attempts where id = ?", [attempt!.id]);
    expect(row!.status).toBe("needs_recovery");
    expect(row!.recovery_record).not.toContain(result.clientSecret);
    expect(row!.recovery_record).not.toContain(result.webhookSecretKey);

    // Instance B does not have the file.
    removeSpoolFile(file);
    const dashboard = await queryDashboard(staff(db));
    expect(dashboard.needsRecovery).toEqual([expect.objectContaining({ attemptId: attempt!.id, source: "spool" })]);
    const saved = await completeRecovery(staff(db), attempt!.id, { id: admin.id, email: admin.email });
    const credentials = await readCredentials(db, { id: saved.pairingId, clientId: result.clientId });
    expect(credentials).toMatchObject({ clientSecret: result.clientSecret, webhookSecretKey: result.webhookSecretKey });
    const [after] = await rawQuery<{ status: string; recovery_record: string | null }>(db, "select status, recovery_record from pairing_attempts where id = ?", [attempt!.id]);
    expect(after).toEqual({ status: "succeeded", recovery_record: null });
    expect((await queryDashboard(staff(db))).needsRecovery).toEqual([]);
  });

  it("leaves a record spooled after the cutoff (a call another instance may still be writing), and copies only once", async () => {
    const merchantId = await testMerchant(db, "Young Spool");
    const admin = await createUser(db, { email: "ops@young.example", password: "a-long-test-password", role: "admin" });
    const [attempt] = await rawQuery<{ id: number }>(
      db,
      "insert into pairing_attempts (request_key, merchant_id, environment, name, status, created_by_id) values ('rk-young', ?, 'sandbox', 'Young till', 'pending', ?) returning id",
      [merchantId, admin.id],
    );
    const result = { payConnectId: "pc-y", payConnectName: "Young till", terminalId: "T-Y", clientId: "client-y", clientSecret: "cs_y_0123456789abcdefghijklmnop", webhookSecretKey: null };
    writeRecord(recoveryRecord({ attemptId: attempt!.id, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: admin.id, failure: "slow", result }));
    expect(await importSpoolRecords(db, new Date(Date.now() - 60_000), { reason: "cut off", at: new Date() })).toMatchObject({ marked: 0, copied: 0 });
    expect((await rawQuery<{ status: string }>(db, "select status from pairing_attempts where id = ?", [attempt!.id]))[0]!.status).toBe("pending");
    expect(await importSpoolRecords(db, new Date(Date.now() + 1_000), { reason: "cut off", at: new Date() })).toMatchObject({ marked: 1, copied: 1 });
    expect(await importSpoolRecords(db, new Date(Date.now() + 1_000), { reason: "cut off", at: new Date() })).toMatchObject({ marked: 0, copied: 0 });
  });
});
