import { testDataDir } from "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { createLogger } from "../log";
import { startPairingStub } from "../test/pairing-stub";
import { createUser } from "../users/users";
import { completeRecovery } from "./complete-recovery";
import { readCredentials } from "./credentials";
import {
  CREDENTIALS_IN_LOG,
  INTERRUPTED_RECOVERY_MESSAGE,
  ORPHANED_MESSAGE,
  pairTerminal,
  settleAfterStop,
} from "./pair-terminal";
import { persistPairing } from "./persist";
import { listRecoverySpool, recoveryLog, writeSpool } from "./recovery";
import { credentialsInLogMessage, recoveryRecordsInLog, writeSpoolRecord } from "./recovery-record";
import { staff, testMerchant } from "../test/merchants";

const SECRET = "cs_live_durable_0123456789abcdefghijklmn";
const WEBHOOK_SECRET = "whsec_durable_abcdefghijklmnopqrstuvwx";
const spoolDir = path.join(testDataDir, "recovery");
const pairing = await startPairingStub({ clientSecret: SECRET, webhookSecret: WEBHOOK_SECRET }, 2_000);
const { client } = pairing;
const { okPair } = pairing;
let db: DB;
let actor: { id: number; email: string };
let n = 0;
const input = (over: Partial<Parameters<typeof pairTerminal>[2]> = {}) => ({
  merchantId: 1,
  requestKey: `00000000-0000-4000-9000-${String(++n).padStart(12, "0")}`,
  environment: "sandbox" as const,
  name: "Front till",
  otp: "ABCD2345",
  webhookUrl: "http://localhost:3000/api/webhooks/pay-connect/tok-durable-0123456789",
  webhookToken: "tok-durable-0123456789",
  ...over,
});
const one = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).get(...args) as Record<string, unknown> | undefined;
const spoolFiles = () => (fs.existsSync(spoolDir) && fs.statSync(spoolDir).isDirectory() ? fs.readdirSync(spoolDir) : []);

/** The last-resort log lines, kept in memory. */
let logged: string[] = [];
const originalRecoveryLogger = recoveryLog.logger;

beforeEach(async () => {
  db = openDatabase(":memory:");
  await testMerchant(db);
  const u = await createUser(db, { email: "support@example.com", password: "a-long-test-password", role: "support" });
  actor = { id: u.id, email: u.email };
  fs.rmSync(spoolDir, { recursive: true, force: true });
  logged = [];
  recoveryLog.logger = createLogger({ write: (line: string) => void logged.push(line) });
  recoveryLog.logger.level = "info";
});
afterEach(() => {
  recoveryLog.logger = originalRecoveryLogger;
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

/**
 * A pair call whose write is cut off, for real in-process: the transaction throws and the attempt
 * is never marked, exactly what a kill between the spool write and the commit leaves on disk.
 */
async function pairCutOffMidWrite(terminalId: string) {
  pairing.state.reply = okPair(terminalId);
  db.$client.exec(`
    create trigger cut_pairing before insert on pairings begin select raise(abort, 'process killed'); end;
    create trigger cut_attempt before update on pairing_attempts begin select raise(abort, 'process killed'); end;`);
  try {
    return await pairTerminal(db, client, input(), actor);
  } finally {
    db.$client.exec("drop trigger cut_pairing; drop trigger cut_attempt;");
  }
}

describe("the spool is a write-ahead record", () => {
  it("is on disk while the pairing transaction runs, and gone once it committed", async () => {
    // A trigger that looks at the disk from inside the transaction: no spool file, no pairing.
    const seen: string[][] = [];
    db.$client.function("spool_files", () => {
      const files = spoolFiles().filter((f) => f.endsWith(".json"));
      seen.push(files);
      return files.length;
    });
    db.$client.exec(
      "create trigger needs_spool before insert on pairings when spool_files() = 0 begin select raise(abort, 'no write-ahead record'); end;",
    );
    pairing.state.reply = okPair("T-WAL");
    const out = await pairTerminal(db, client, input(), actor);
    expect(out.kind).toBe("paired");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(1);
    expect(seen[0]![0]).toMatch(/^attempt-\d+\.json$/);
    expect(spoolFiles()).toEqual([]);
    expect(one("select status from pairing_attempts")).toEqual({ status: "succeeded" });
  });

  it("a stop mid-write leaves the sealed result in the spool: the next start marks the attempt needs recovery, and it completes", async () => {
    const out = await pairCutOffMidWrite("T-CUT");
    expect(one("select status from pairing_attempts where id = ?", out.attemptId)).toEqual({ status: "pending" });
    expect(listRecoverySpool().map((e) => e.attemptId)).toEqual([out.attemptId]);
    const raw = fs.readFileSync(listRecoverySpool()[0]!.file, "utf8");
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(WEBHOOK_SECRET);

    const settled = await settleAfterStop(db, new Date(Date.now() + 1_000));
    expect(settled).toEqual({ needsRecovery: 1, inLog: 0, outcomeUnknown: 0, staleSpoolFiles: 0 });
    expect(one("select status, error_code, reason, terminal_id from pairing_attempts where id = ?", out.attemptId)).toEqual({
      status: "needs_recovery",
      error_code: "write_interrupted",
      reason: INTERRUPTED_RECOVERY_MESSAGE,
      terminal_id: "T-CUT",
    });
    const saved = await completeRecovery(staff(db), out.attemptId, actor);
    expect(await readCredentials(db, { id: saved.pairingId, clientId: "client-T-CUT" })).toEqual({
      clientId: "client-T-CUT",
      clientSecret: SECRET,
      webhookSecretKey: WEBHOOK_SECRET,
    });
    expect(one("select webhook_token, created_by_id from pairings where id = ?", saved.pairingId)).toEqual({
      webhook_token: "tok-durable-0123456789",
      created_by_id: actor.id,
    });
    expect(listRecoverySpool()).toEqual([]);
  });

  it("completing takes who, where and which webhook from the attempt, never from the spool record's unsealed fields", async () => {
    const out = await pairCutOffMidWrite("T-TAMPER");
    const other = await createUser(db, { email: "mallory@example.com", password: "a-long-test-password", role: "viewer" });
    // Someone who can write the spool (or the log fed to npm run recover) edits the plain fields.
    const file = listRecoverySpool()[0]!.file;
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(
      file,
      JSON.stringify({ ...record, webhookUrl: "https://evil.example/hook", webhookToken: null, createdById: other.id, environment: "production" }),
    );
    await settleAfterStop(db, new Date(Date.now() + 1_000));
    const saved = await completeRecovery(staff(db), out.attemptId, actor);
    expect(one("select webhook_url, webhook_token, created_by_id from pairings where id = ?", saved.pairingId)).toEqual({
      webhook_url: "http://localhost:3000/api/webhooks/pay-connect/tok-durable-0123456789",
      webhook_token: "tok-durable-0123456789",
      created_by_id: actor.id,
    });
    expect(one("select environment from terminals where id = ?", saved.terminalRef)).toEqual({ environment: "sandbox" });
  });

  it("a spool file left after the commit is removed at the next start, not offered for recovery", async () => {
    pairing.state.reply = okPair("T-STALE");
    const out = await pairTerminal(db, client, input(), actor);
    if (out.kind !== "paired") throw new Error("not paired");
    // What a stop (or a failed removal) right after the commit leaves behind.
    writeSpool({
      attemptId: out.attemptId,
      environment: "sandbox",
      webhookUrl: null,
      webhookToken: null,
      createdById: actor.id,
      failure: "spooled before the database write (write-ahead)",
      result: { payConnectId: "pc-T-STALE", payConnectName: "Front till", terminalId: "T-STALE", clientId: "client-T-STALE", clientSecret: SECRET, webhookSecretKey: WEBHOOK_SECRET },
    });
    // Another attempt, cut off before Pay-Connect's answer was recorded: outcome unknown.
    db.$client
      .prepare("insert into pairing_attempts (merchant_id, request_key, environment, name, created_by_id, created_at) values (1, 'k-cut', 'sandbox', 'Cut', ?, ?)")
      .run(actor.id, Date.now() - 60_000);

    expect(await settleAfterStop(db)).toEqual({ needsRecovery: 0, inLog: 0, outcomeUnknown: 1, staleSpoolFiles: 1 });
    expect(spoolFiles()).toEqual([]);
    expect(one("select status, error_code from pairing_attempts where id = ?", out.attemptId)).toEqual({ status: "succeeded", error_code: null });
    expect(one("select status, reason from pairing_attempts where request_key = 'k-cut'")).toEqual({ status: "outcome_unknown", reason: ORPHANED_MESSAGE });
  });

  it("never saves the same pair result twice", async () => {
    pairing.state.reply = okPair("T-TWICE");
    const out = await pairTerminal(db, client, input(), actor);
    if (out.kind !== "paired") throw new Error("not paired");
    await expect(() =>
      persistPairing(db, {
        merchantId: 1,
        attemptId: out.attemptId,
        environment: "sandbox",
        webhookUrl: null,
        webhookToken: null,
        result: { payConnectId: "pc-T-TWICE", payConnectName: "Front till", terminalId: "T-TWICE", clientId: "c2", clientSecret: SECRET, webhookSecretKey: null },
        createdById: actor.id,
        actor,
        recovered: true,
      }),
    ).rejects.toThrow(/is already saved/);
    expect(one("select count(*) n from pairings")).toEqual({ n: 1 });
    expect(one("select count(*) n from pairing_secrets")).toEqual({ n: 2 });
  });
});

describe("the last resort: the spool cannot be written", () => {
  beforeEach(() => {
    // RECOVERY_DIR is a file, not a folder.
    fs.writeFileSync(spoolDir, "not a folder");
  });

  it("still pairs when only the spool fails, and says the logged record is not needed", async () => {
    pairing.state.reply = okPair("T-NOSPOOL");
    const out = await pairTerminal(db, client, input(), actor);
    expect(out.kind).toBe("paired");
    expect(one("select status, error_code from pairing_attempts")).toEqual({ status: "succeeded", error_code: null });
    expect(logged.map((l) => JSON.parse(l).event)).toEqual(["pair_spool_failed"]);
  });

  it("puts everything a recovery needs in the log line (sealed, never plaintext), flags the attempt, and the imported line completes", async () => {
    pairing.state.reply = okPair("T-LOGONLY");
    db.$client.exec("create trigger fail_pairing before insert on pairings begin select raise(abort, 'disk I/O error'); end;");
    const out = await pairTerminal(db, client, input(), actor);
    db.$client.exec("drop trigger fail_pairing");

    const message = credentialsInLogMessage(out.attemptId);
    expect(out).toEqual({ kind: "needs_recovery", attemptId: out.attemptId, code: CREDENTIALS_IN_LOG, message });
    expect(message).toContain("npm run recover -- --from-log");
    expect(message).not.toMatch(/lost/);
    expect(one("select status, error_code, reason, terminal_id from pairing_attempts")).toEqual({
      status: "needs_recovery",
      error_code: CREDENTIALS_IN_LOG,
      reason: message,
      terminal_id: "T-LOGONLY",
    });

    const text = logged.join("");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain("ABCD2345");
    const fatal = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "pair_unsaved_in_log")!;
    expect(fatal.level).toBe(60);
    expect(fatal.recovery).toMatchObject({
      version: 1,
      attemptId: out.attemptId,
      environment: "sandbox",
      terminalId: "T-LOGONLY",
      pairingName: "Front till",
      webhookUrl: "http://localhost:3000/api/webhooks/pay-connect/tok-durable-0123456789",
      webhookToken: "tok-durable-0123456789",
      createdById: actor.id,
      sealed: { keyId: "k1", nonce: expect.any(String), ciphertext: expect.any(String) },
    });
    // Written before the transaction too, so a stop during the write loses nothing.
    expect(JSON.parse(logged[0]!).event).toBe("pair_spool_failed");

    // A start in between keeps it flagged (it is not "outcome unknown").
    expect((await settleAfterStop(db, new Date(Date.now() + 1000))).outcomeUnknown).toBe(0);

    // The operator mends the folder and imports the log; the normal recovery completes it.
    fs.rmSync(spoolDir);
    const { records } = recoveryRecordsInLog(logged.join("\n"));
    expect(records).toHaveLength(1);
    writeSpoolRecord(spoolDir, records[0]!);
    const saved = await completeRecovery(staff(db), out.attemptId, actor);
    expect((await readCredentials(db, { id: saved.pairingId, clientId: "client-T-LOGONLY" })).clientSecret).toBe(SECRET);
    expect(one("select status from pairing_attempts")).toEqual({ status: "succeeded" });
  });

  it("a stop during the write after the spool failed: the next start flags the attempt as credentials in the log", async () => {
    pairing.state.reply = okPair("T-LOGCUT");
    db.$client.exec(`
      create trigger cut_pairing before insert on pairings begin select raise(abort, 'process killed'); end;
      create trigger cut_finish before update of status on pairing_attempts begin select raise(abort, 'process killed'); end;`);
    const out = await pairTerminal(db, client, input(), actor);
    db.$client.exec("drop trigger cut_pairing; drop trigger cut_finish;");
    expect(one("select status, error_code from pairing_attempts")).toEqual({ status: "pending", error_code: CREDENTIALS_IN_LOG });
    expect(await settleAfterStop(db, new Date(Date.now() + 1_000))).toEqual({ needsRecovery: 0, inLog: 1, outcomeUnknown: 0, staleSpoolFiles: 0 });
    expect(one("select status, error_code, reason from pairing_attempts")).toEqual({
      status: "needs_recovery",
      error_code: CREDENTIALS_IN_LOG,
      reason: credentialsInLogMessage(out.attemptId),
    });
  });
});
