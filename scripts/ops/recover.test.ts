import { testDataDir } from "../../lib/test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open";
import { completeRecovery } from "../../lib/pairing/complete-recovery";
import { readCredentials } from "../../lib/pairing/credentials";
import { recoveryRecord } from "../../lib/pairing/recovery";
import { CREDENTIALS_IN_LOG, credentialsInLogMessage, RECOVERY_MESSAGE } from "../../lib/pairing/recovery-record";
import { createUser } from "../../lib/users/users";
import { staff, testMerchant } from "../../lib/test/merchants";
import { runMain, spawnCommand } from "../../lib/test/ops-kit";
import { main } from "./recover";

const SECRET = "cs_live_recover_cmd_0123456789abcdefghij";
const dbPath = path.join(testDataDir, "pairdesk.db");
const spoolDir = path.join(testDataDir, "recovery");

/** `npm run recover -- …` with `stdin` on its standard input, in this process. */
const recover = (stdin: string, ...args: string[]) => runMain(main, args, { DATABASE_PATH: dbPath, RECOVERY_DIR: undefined }, stdin);

/** A log line as the server writes it for the last resort. */
function logLine(record: object, event = "pair_unsaved_in_log") {
  return JSON.stringify({ level: 60, time: Date.now(), name: "pairdesk", event, attemptId: 1, recovery: record, msg: "pairing could be neither saved nor spooled" });
}

describe("npm run recover", () => {
  it("runs as `npm run recover`: a line pasted on standard input goes into the spool, even without a database", () => {
    const dir = path.join(testDataDir, "smoke");
    const record = recoveryRecord({
      attemptId: 77,
      environment: "sandbox",
      webhookUrl: null,
      webhookToken: null,
      createdById: 1,
      failure: "disk I/O error",
      result: { payConnectId: "pc-77", payConnectName: "Smoke till", terminalId: "T-SMOKE", clientId: "client-77", clientSecret: SECRET, webhookSecretKey: null },
    });
    const r = spawnCommand("recover", ["--from-log", "-"], { DATABASE_PATH: path.join(dir, "pairdesk.db"), RECOVERY_DIR: undefined }, `${logLine(record)}\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`No database at ${path.join(dir, "pairdesk.db")}: importing without checking what is already saved.`);
    expect(r.out).toContain(`Attempt 77 (sandbox terminal T-SMOKE, "Smoke till"): imported into the recovery spool as ${path.join(dir, "recovery", "attempt-77.json")}.`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "recovery", "attempt-77.json"), "utf8")).sealed).toEqual(record.sealed);
  });

  it("imports a sealed record from a server log into the spool, once, and the dashboard's recovery completes it", async () => {
    const db = openDatabase(dbPath);
    await testMerchant(db);
    const user = await createUser(db, { email: "support@example.com", password: "a-long-test-password", role: "support" });
    const attemptId = Number(
      db.$client
        .prepare(
          "insert into pairing_attempts (merchant_id, request_key, environment, name, status, error_code, reason, terminal_id, created_by_id) values (1, 'k-1', 'sandbox', 'Till', 'needs_recovery', ?, ?, 'T-LOG', ?)",
        )
        .run(CREDENTIALS_IN_LOG, "x", user.id).lastInsertRowid,
    );
    expect(credentialsInLogMessage(attemptId)).toContain("npm run recover -- --from-log");
    const record = recoveryRecord({
      attemptId,
      environment: "sandbox",
      webhookUrl: "http://localhost:3000/api/webhooks/pay-connect/tok-1",
      webhookToken: "tok-1",
      createdById: user.id,
      failure: "disk I/O error",
      result: { payConnectId: "pc-1", payConnectName: "Till", terminalId: "T-LOG", clientId: "client-1", clientSecret: SECRET, webhookSecretKey: null },
    });
    const logFile = path.join(testDataDir, "server.log");
    fs.writeFileSync(
      logFile,
      [
        '{"level":30,"msg":"Pairdesk started"}',
        logLine(record, "pair_spool_failed"),
        "not json at all",
        `2026-11-22T02:00:00Z stdout F ${logLine(record)}`, // the same record again, behind a runtime's prefix
        '{"level":30,"msg":"terminal paired"}',
      ].join("\n"),
    );

    const first = await recover("", "--from-log", logFile);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Attempt ${attemptId} (sandbox terminal T-LOG, "Till"): imported into the recovery spool`);
    const files = fs.readdirSync(spoolDir);
    expect(files).toEqual([`attempt-${attemptId}.json`]);
    const spooled = JSON.parse(fs.readFileSync(path.join(spoolDir, files[0]!), "utf8"));
    expect(spooled.sealed).toEqual(record.sealed);
    expect(JSON.stringify(spooled)).not.toContain(SECRET);
    expect(db.$client.prepare("select status, error_code, reason from pairing_attempts where id = ?").get(attemptId)).toEqual({
      status: "needs_recovery",
      error_code: "write_failed",
      reason: RECOVERY_MESSAGE,
    });

    // Again, as a single pasted line on standard input: already there.
    const again = await recover(`${logLine(record)}\n`, "--from-log", "-");
    expect(again.code).toBe(0);
    expect(again.out).toContain("already in the recovery spool");
    expect(fs.readdirSync(spoolDir)).toHaveLength(1);

    const saved = await completeRecovery(staff(db), attemptId, { id: user.id, email: user.email });
    expect((await readCredentials(db, { id: saved.pairingId, clientId: "client-1" })).clientSecret).toBe(SECRET);
    expect(fs.readdirSync(spoolDir)).toEqual([]);

    // Once saved, importing the line again does nothing.
    const late = await recover("", "--line", logLine(record));
    expect(late.code).toBe(0);
    expect(late.out).toContain(`already saved as pairing #${saved.pairingId}; nothing to import.`);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    db.close();
  });

  it("says what is wrong with a log without a record, a damaged record, or bad arguments, and writes nothing", async () => {
    fs.rmSync(spoolDir, { recursive: true, force: true });
    const none = await recover('{"level":30,"msg":"hello"}\n', "--from-log", "-");
    expect(none.code).toBe(1);
    expect(none.err).toContain("No recovery record found");

    const damaged = await recover('{"level":60,"event":"pair_unsaved_in_log","recovery":{"version":1,"attemptId":7}}\n', "--from-log", "-");
    expect(damaged.code).toBe(1);
    expect(damaged.err).toContain("Line 1 carries a recovery record that cannot be read");

    const missing = await recover("", "--from-log", path.join(testDataDir, "no-such.log"));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Cannot read");

    expect((await recover("")).code).toBe(2);
    expect((await recover("", "--from-log", "-", "--line", "{}")).err).toContain("Give either --from-log or --line.");
    expect((await recover("", "--frm-log", "x")).code).toBe(2);
    expect(fs.existsSync(spoolDir)).toBe(false);
  });
});
