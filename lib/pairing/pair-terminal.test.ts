import { testDataDir } from "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { startPairingStub } from "../test/pairing-stub";
import { createUser } from "../users/users";
import { completeRecovery } from "./complete-recovery";
import { readCredentials } from "./credentials";
import { ORPHANED_MESSAGE, pairTerminal, RECOVERY_MESSAGE, settleOrphanedAttempts } from "./pair-terminal";
import { listRecoverySpool, scanRecoverySpool, writeSpool } from "./recovery";
import { ALREADY_ENDED_MESSAGE, unpairPairing } from "./unpair";
import { staff, testMerchant } from "../test/merchants";

const SECRET = "cs_live_0123456789abcdefghijklmnopqrstuv";
const WEBHOOK_SECRET = "whsec_abcdefghijklmnopqrstuvwxyz012345";
const pairing = await startPairingStub({ clientSecret: SECRET, webhookSecret: WEBHOOK_SECRET });
const { client } = pairing;
const okPair = (terminalId = "T-1001") => pairing.okPair(terminalId);
let db: DB;
let actor: { id: number; email: string };
let n = 0;
const input = (over: Partial<Parameters<typeof pairTerminal>[2]> = {}) => ({
  merchantId: 1,
  requestKey: `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  environment: "sandbox" as const,
  name: "Front till",
  otp: "ABCD2345",
  webhookUrl: null,
  webhookToken: null,
  ...over,
});
const count = (table: string) => (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

beforeEach(async () => {
  db = openDatabase(":memory:");
  await testMerchant(db);
  const u = await createUser(db, { email: "support@example.com", password: "a-long-test-password", role: "support" });
  actor = { id: u.id, email: u.email };
  fs.rmSync(path.join(testDataDir, "recovery"), { recursive: true, force: true });
});

describe("pairTerminal", () => {
  it("stores terminal, pairing, sealed secrets, attempt and audit in one go; no plaintext secret in the database", async () => {
    pairing.state.reply = okPair();
    const out = await pairTerminal(db, client, input(), actor);
    expect(out.kind).toBe("paired");
    if (out.kind !== "paired") return;
    expect(count("terminals")).toBe(1);
    expect(db.$client.prepare("select status, terminal_id, pairing_id from pairing_attempts").get()).toEqual({
      status: "succeeded",
      terminal_id: "T-1001",
      pairing_id: out.pairingId,
    });
    expect(count("pairing_secrets")).toBe(2);
    const dump = JSON.stringify(db.$client.prepare("select * from pairing_secrets").all()) +
      JSON.stringify(db.$client.prepare("select * from audit_log").all()) +
      JSON.stringify(db.$client.prepare("select * from pairing_attempts").all());
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain("ABCD2345");
    const buf = Buffer.concat(
      (db.$client.prepare("select ciphertext from pairing_secrets").all() as { ciphertext: Buffer }[]).map((r) => r.ciphertext),
    );
    expect(buf.includes(Buffer.from(SECRET))).toBe(false);
    expect(await readCredentials(db, { id: out.pairingId, clientId: "client-T-1001" })).toEqual({
      clientId: "client-T-1001",
      clientSecret: SECRET,
      webhookSecretKey: WEBHOOK_SECRET,
    });
    expect(db.$client.prepare("select action, details from audit_log").get()).toMatchObject({ action: "pairing.create" });
  });

  it("upserts the terminal: a second pairing of the same terminal adds a pairing (replacing the first), not a terminal", async () => {
    pairing.state.reply = okPair();
    await pairTerminal(db, client, input(), actor);
    pairing.state.reply = { status: 200, body: { ...(okPair().body as object), pay_connect_id: "pc-other", client_id: "client-2" } };
    await pairTerminal(db, client, input({ name: "Back till" }), actor);
    expect(count("terminals")).toBe(1);
    expect(count("pairings")).toBe(2);
  });

  it("pairing the terminal again replaces its active pairing, whatever its pay_connect_id, and destroys its secrets", async () => {
    pairing.state.reply = okPair();
    const first = await pairTerminal(db, client, input(), actor);
    pairing.state.reply = { status: 200, body: { ...(okPair().body as object), pay_connect_id: "pc-new", client_id: "client-new" } };
    const second = await pairTerminal(db, client, input(), actor);
    if (first.kind !== "paired" || second.kind !== "paired") throw new Error("not paired");
    expect(second.replacedPairingIds).toEqual([first.pairingId]);
    expect(db.$client.prepare("select id, status, replaced_by_id from pairings order by id").all()).toEqual([
      { id: first.pairingId, status: "replaced", replaced_by_id: second.pairingId },
      { id: second.pairingId, status: "active", replaced_by_id: null },
    ]);
    expect(db.$client.prepare("select distinct pairing_id from pairing_secrets").all()).toEqual([{ pairing_id: second.pairingId }]);
  });

  it("a second submit of the same request does not call Pay-Connect again", async () => {
    pairing.state.reply = okPair();
    const i = input();
    const first = await pairTerminal(db, client, i, actor);
    const before = pairing.requests.length;
    const again = await pairTerminal(db, client, i, actor);
    expect(pairing.requests.length).toBe(before);
    expect(again).toEqual(first);
    expect(count("pairings")).toBe(1);
  });

  it("records a rejected OTP as failed with the support message, and creates nothing", async () => {
    pairing.state.reply = { status: 400, body: { detail: "Invalid or expired OTP" } };
    const out = await pairTerminal(db, client, input(), actor);
    expect(out).toMatchObject({ kind: "failed", code: "otp_rejected" });
    const row = db.$client.prepare("select status, reason, error_code from pairing_attempts").get();
    expect(row).toMatchObject({ status: "failed", error_code: "otp_rejected" });
    expect((row as { reason: string }).reason).toContain("The OTP was rejected");
    expect(count("pairings")).toBe(0);
  });

  it("records a timeout as outcome unknown", async () => {
    pairing.state.reply = { ...okPair(), delayMs: 4_000 };
    const out = await pairTerminal(db, client, input(), actor);
    expect(out.kind).toBe("outcome_unknown");
    expect(db.$client.prepare("select status from pairing_attempts").get()).toEqual({ status: "outcome_unknown" });
  });

  it("spools the credentials when the database write fails, and an admin completes the recovery", async () => {
    pairing.state.reply = okPair("T-RECOVER");
    db.$client.exec("create trigger fail_pairing before insert on pairings begin select raise(abort, 'injected fault'); end;");
    const out = await pairTerminal(db, client, input(), actor);
    expect(out).toMatchObject({ kind: "needs_recovery", message: RECOVERY_MESSAGE });
    expect(count("pairings")).toBe(0);
    expect(count("terminals")).toBe(0); // the whole transaction rolled back
    expect(db.$client.prepare("select status, terminal_id from pairing_attempts").get()).toEqual({
      status: "needs_recovery",
      terminal_id: "T-RECOVER",
    });
    const spool = listRecoverySpool();
    expect(spool).toHaveLength(1);
    const raw = fs.readFileSync(spool[0]!.file, "utf8");
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(WEBHOOK_SECRET);
    expect(fs.statSync(spool[0]!.file).mode & 0o777).toBe(0o600);

    // Still broken: the recovery says so and keeps the spool.
    await expect(() => completeRecovery(staff(db), out.attemptId, actor)).rejects.toThrow(/still cannot be written/);
    expect(listRecoverySpool()).toHaveLength(1);

    db.$client.exec("drop trigger fail_pairing");
    const saved = await completeRecovery(staff(db), out.attemptId, actor);
    expect(listRecoverySpool()).toHaveLength(0);
    expect((await readCredentials(db, { id: saved.pairingId, clientId: "client-T-RECOVER" })).clientSecret).toBe(SECRET);
    expect(db.$client.prepare("select status, recovered_at is not null as r from pairing_attempts").get()).toEqual({
      status: "succeeded",
      r: 1,
    });
    expect(db.$client.prepare("select action from audit_log order by id desc limit 1").get()).toEqual({ action: "pairing.recover" });
  });

  it("never overwrites a spool file, and reports the files it cannot read", () => {
    const spool = {
      attemptId: 41,
      environment: "sandbox" as const,
      webhookUrl: null,
      webhookToken: null,
      createdById: actor.id,
      failure: "x",
      result: { payConnectId: "pc", payConnectName: "A", terminalId: "T-41", clientId: "c", clientSecret: SECRET, webhookSecretKey: null },
    };
    const a = writeSpool(spool);
    const b = writeSpool({ ...spool, result: { ...spool.result, terminalId: "T-41b" } });
    expect(a).not.toBe(b);
    expect(listRecoverySpool().map((e) => e.terminalId).sort()).toEqual(["T-41", "T-41b"]);
    fs.writeFileSync(path.join(path.dirname(a), "attempt-99.json"), "{ torn");
    expect(scanRecoverySpool().unreadable.map((f) => path.basename(f))).toEqual(["attempt-99.json"]);
  });

  it("explains a recovery that conflicts with the database, and keeps the spool", async () => {
    pairing.state.reply = okPair("T-CONFLICT");
    db.$client.exec("create trigger fail_pairing before insert on pairings begin select raise(abort, 'injected fault'); end;");
    const out = await pairTerminal(db, client, input(), actor);
    db.$client.exec("drop trigger fail_pairing");
    // Meanwhile the same terminal was paired again with the same pairing's webhook token.
    db.$client.exec("create trigger conflict before insert on pairings begin select raise(abort, 'UNIQUE constraint failed: pairings.webhook_token'); end;");
    await expect(() => completeRecovery(staff(db), out.attemptId, actor)).rejects.toThrow(/conflicts with what the database already holds \(UNIQUE constraint failed: pairings.webhook_token\)/);
    expect(listRecoverySpool()).toHaveLength(1);
  });

  it("says which key is missing when the spooled credentials cannot be decrypted", async () => {
    pairing.state.reply = okPair("T-KEY");
    db.$client.exec("create trigger fail_pairing before insert on pairings begin select raise(abort, 'injected fault'); end;");
    const out = await pairTerminal(db, client, input(), actor);
    db.$client.exec("drop trigger fail_pairing");
    const file = listRecoverySpool()[0]!.file;
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...raw, sealed: { ...raw.sealed, keyId: "k9" } }));
    await expect(() => completeRecovery(staff(db), out.attemptId, actor)).rejects.toThrow(/cannot be decrypted with the configured VAULT_KEY: .*"k9"/);
    expect(listRecoverySpool()).toHaveLength(1);
  });

  it("keeps the spool as the record when even the attempt cannot be marked", async () => {
    pairing.state.reply = okPair("T-SPOOL");
    db.$client.exec(`
      create trigger fail_pairing before insert on pairings begin select raise(abort, 'disk gone'); end;
      create trigger fail_attempt before update on pairing_attempts begin select raise(abort, 'disk gone'); end;`);
    const out = await pairTerminal(db, client, input(), actor);
    expect(out.kind).toBe("needs_recovery");
    expect(db.$client.prepare("select status from pairing_attempts").get()).toEqual({ status: "pending" });
    expect(listRecoverySpool().map((s) => s.terminalId)).toEqual(["T-SPOOL"]);
  });
});

describe("settleOrphanedAttempts", () => {
  it("marks attempts left pending by a stopped server as outcome unknown, and nothing else", async () => {
    const insert = db.$client.prepare(
      "insert into pairing_attempts (merchant_id, request_key, environment, name, status, created_by_id, created_at) values (1, ?, 'sandbox', ?, ?, ?, ?)",
    );
    const before = Date.now() - 60_000;
    insert.run("k-orphan", "Orphan", "pending", actor.id, before);
    insert.run("k-failed", "Failed", "failed", actor.id, before);
    insert.run("k-spooled", "Spooled", "pending", actor.id, before);
    const spooledId = (db.$client.prepare("select id from pairing_attempts where request_key = 'k-spooled'").get() as { id: number }).id;
    writeSpool({
      attemptId: spooledId,
      environment: "sandbox",
      webhookUrl: null,
      webhookToken: null,
      createdById: actor.id,
      failure: "disk I/O error",
      result: { payConnectId: "pc", payConnectName: "Spooled", terminalId: "T-S", clientId: "c", clientSecret: SECRET, webhookSecretKey: null },
    });
    expect(await settleOrphanedAttempts(db)).toBe(2);
    expect(db.$client.prepare("select status, error_code, terminal_id from pairing_attempts where id = ?").get(spooledId)).toEqual({
      status: "needs_recovery",
      error_code: "write_interrupted",
      terminal_id: "T-S",
    });
    db.$client.prepare("delete from pairing_attempts where id = ?").run(spooledId);
    expect(db.$client.prepare("select name, status, error_code, reason from pairing_attempts order by id").all()).toEqual([
      { name: "Orphan", status: "outcome_unknown", error_code: "interrupted", reason: ORPHANED_MESSAGE },
      { name: "Failed", status: "failed", error_code: null, reason: null },
    ]);
    // The advice covers both things the terminal's screen can show.
    expect(ORPHANED_MESSAGE).toContain("If it shows it is paired");
    expect(ORPHANED_MESSAGE).toContain("If it shows it is not paired");
  });
});

describe("unpairPairing", () => {
  it("calls unpair with the pairing's credentials, then destroys its secrets", async () => {
    pairing.state.reply = okPair("T-UNPAIR");
    const out = await pairTerminal(db, client, input(), actor);
    if (out.kind !== "paired") throw new Error("not paired");
    pairing.state.reply = { status: 200, body: { detail: "Unpaired" } };
    const res = await unpairPairing(staff(db), () => client, out.pairingId, actor);
    expect(res).toMatchObject({ ok: true, terminalRef: out.terminalRef });
    const tokenCall = pairing.requests.findLast((r) => r.url.endsWith("/auth/token/"));
    expect(JSON.parse(tokenCall!.body)).toMatchObject({ client_id: "client-T-UNPAIR", client_secret: SECRET });
    expect(pairing.requests.at(-1)!.headers.authorization).toBe("Bearer tok");
    expect(db.$client.prepare("select status from pairings").get()).toEqual({ status: "unpaired" });
    expect(count("pairing_secrets")).toBe(0);
  });

  it("marks the pairing unpaired when Pay-Connect no longer accepts its credentials (401)", async () => {
    pairing.state.reply = okPair("T-GONE");
    const out = await pairTerminal(db, client, input(), actor);
    if (out.kind !== "paired") throw new Error("not paired");
    pairing.state.reply = { status: 401, body: { detail: "Invalid token" } };
    const res = await unpairPairing(staff(db), () => client, out.pairingId, actor);
    expect(res).toEqual({ ok: true, terminalRef: out.terminalRef, unrouted: 0, message: ALREADY_ENDED_MESSAGE });
    expect(db.$client.prepare("select status from pairings").get()).toEqual({ status: "unpaired" });
    expect(count("pairing_secrets")).toBe(0);
    expect(db.$client.prepare("select details from audit_log where action = 'pairing.unpair'").get()).toMatchObject({
      details: expect.stringContaining('"remote":"already_ended"'),
    });
  });

  it("changes nothing when Pay-Connect fails, and audits the failure", async () => {
    pairing.state.reply = okPair("T-KEEP");
    const out = await pairTerminal(db, client, input(), actor);
    if (out.kind !== "paired") throw new Error("not paired");
    pairing.state.reply = { status: 500 };
    const res = await unpairPairing(staff(db), () => client, out.pairingId, actor);
    expect(res).toMatchObject({ ok: false, code: "unavailable" });
    expect(db.$client.prepare("select status from pairings").get()).toEqual({ status: "active" });
    expect(count("pairing_secrets")).toBe(2);
    expect(db.$client.prepare("select action from audit_log order by id desc limit 1").get()).toEqual({
      action: "pairing.unpair_failed",
    });
  });
});
