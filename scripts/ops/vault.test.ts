import { testDataDir } from "../../lib/test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../lib/db/open";
import { parseVaultKeys } from "../../lib/env";
import { readCredentials } from "../../lib/pairing/credentials";
import { recoveryRecord } from "../../lib/pairing/recovery";
import { readSpoolRecord, writeSpoolRecord } from "../../lib/pairing/recovery-record";
import { spoolContext } from "../../lib/ops/secrets";
import { exited, keyringText, newKey, runMain, secretsPerKey, seedSealedPairings, spawnCommand, startCommand, waitForOutput, type SeededPairing } from "../../lib/test/ops-kit";
import { main } from "./vault";
import { open, seal } from "../../lib/pairing/vault";

// The old key is the one setup-env configured ("k1"); the new one is k2.
const oldKeyText = process.env.VAULT_KEY!;
const k1 = { ...parseVaultKeys(oldKeyText)[0]!, b64: oldKeyText };
const k2 = newKey("k2");
const rotated = keyringText(k2, k1);
// This process reads secrets as a server with the rotated keyring would (readCredentials → getEnv()).
// (Importing lib/pairing/recovery already loaded the configuration: it is loaded again.)
process.env.VAULT_KEY = rotated;
(globalThis as { __pairdeskEnv?: unknown }).__pairdeskEnv = undefined;

const dbPath = path.join(testDataDir, "pairdesk.db");
const spoolDir = path.join(testDataDir, "recovery");
let db: DB;
let seeded: SeededPairing[];

const vaultEnv = (vaultKey: string) => ({ DATABASE_PATH: dbPath, RECOVERY_DIR: undefined, VAULT_KEY: vaultKey });
const vault = (args: string[], vaultKey = rotated) => runMain(main, args, vaultEnv(vaultKey));
const secretRows = () => db.$client.prepare("select id, key_id, nonce, ciphertext from pairing_secrets order by id").all();
const rewrapAudits = () => db.$client.prepare("select actor_id, actor_email, details from audit_log where action = 'vault.rewrap' order by id").all() as { actor_id: number | null; actor_email: string | null; details: string }[];

/** Every pairing's credentials, read the way a reveal reads them. */
function revealAll() {
  return Promise.all(seeded.map((p) => readCredentials(db, { id: p.pairingId, clientId: p.clientId })));
}
const expected = () => seeded.map((p) => ({ clientId: p.clientId, clientSecret: p.clientSecret, webhookSecretKey: p.webhookSecretKey }));

/** A pairing waiting in the recovery spool, sealed with k1. */
function spoolOne(attemptId: number) {
  const result = { payConnectId: "pc-spool", payConnectName: "Spooled till", terminalId: "T-SPOOL", clientId: "client-spool", clientSecret: "cs_spooled_secret_0123456789", webhookSecretKey: null };
  const sealed = seal(JSON.stringify(result), spoolContext(attemptId), [k1]);
  return {
    result,
    file: writeSpoolRecord(spoolDir, recoveryRecord({ attemptId, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: 1, failure: "disk I/O error", result }, sealed)),
  };
}

beforeEach(() => {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
  fs.rmSync(spoolDir, { recursive: true, force: true });
  db = openDatabase(dbPath);
  seeded = seedSealedPairings(db.$client, 30, [k1]);
});
afterEach(() => db.close());

describe("npm run vault", () => {
  it("runs as `npm run vault`: status counts the secrets of each key id and names the key that seals new ones", () => {
    spoolOne(9001);
    const r = spawnCommand("vault", ["status"], vaultEnv(rotated));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Vault keyring (VAULT_KEY): k2 (encrypts new secrets), k1.");
    expect(r.out).toContain("Secrets in the database: 45 secrets.");
    expect(r.out).toMatch(/ {2}k1 +45\n/);
    expect(r.out).toMatch(/Recovery spool: 1 sealed record\.\n {2}k1 +1\n/);
    expect(r.out).toContain("Next: `npm run vault -- rewrap` re-seals 46 secrets with k2.");
    expect(r.out).not.toContain(k1.b64);
    expect(r.out).not.toContain(k2.b64);
  });

  it("rewrap moves every secret and spool record to the first key, audited once, the revealed secrets unchanged; a second run changes nothing", async () => {
    const spooled = spoolOne(9002);
    expect(await revealAll()).toEqual(expected());

    const r = await vault(["rewrap", "--batch", "7"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Re-sealed 45 secrets with k2 (45 from k1) in 7 transactions, and 1 recovery spool record.");
    expect(r.out).toContain("Every secret is sealed with k2.");
    expect(r.out).toContain("k1 seals nothing in this database");
    expect(secretsPerKey(db.$client)).toEqual({ k2: 45 });
    // The same values, now only k2 is needed: k1 could leave the keyring.
    expect(await revealAll()).toEqual(expected());
    for (const p of seeded) {
      const row = db.$client.prepare("select key_id, nonce, ciphertext from pairing_secrets where pairing_id = ? and field = 'client_secret'").get(p.pairingId) as { key_id: string; nonce: Buffer; ciphertext: Buffer };
      expect(open({ keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext }, `pairdesk/v1/pairings/${p.pairingId}/client_secret`, [k2])).toBe(p.clientSecret);
    }
    const record = readSpoolRecord(spooled.file)!;
    expect(record.sealed.keyId).toBe("k2");
    const sealed = { keyId: "k2", nonce: Buffer.from(record.sealed.nonce, "base64"), ciphertext: Buffer.from(record.sealed.ciphertext, "base64") };
    expect(JSON.parse(open(sealed, spoolContext(9002), [k2]))).toEqual(spooled.result);

    const audits = rewrapAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: null, actor_email: null });
    expect(JSON.parse(audits[0]!.details)).toEqual({
      by: "operator (npm run vault -- rewrap)",
      toKey: "k2",
      fromKeys: "k1: 45",
      rewrapped: 45,
      spoolRewrapped: 1,
      unreadable: 0,
      changedMeanwhile: 0,
      batches: 7,
    });
    expect(JSON.stringify(audits)).not.toContain(seeded[0]!.clientSecret);

    const rows = secretRows();
    const again = await vault(["rewrap"]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("Nothing to re-seal: every readable secret is sealed with k2.");
    expect(secretRows()).toEqual(rows);
    expect(rewrapAudits()).toHaveLength(1);
  });

  it("a rewrap with a key missing from the keyring stops before it changes anything and names the key id", async () => {
    const before = secretRows();
    const r = await vault(["rewrap"], keyringText(k2));
    expect(r.code).toBe(1);
    expect(r.err).toContain("Nothing was changed: secrets are sealed with a key that VAULT_KEY does not hold: k1 (45 secrets).");
    expect(secretRows()).toEqual(before);
    expect(rewrapAudits()).toEqual([]);

    const status = await vault(["status"], keyringText(k2));
    expect(status.out).toMatch(/k1 +45 {2}NOT IN VAULT_KEY: cannot be read/);
    expect(status.out).toContain("Missing from VAULT_KEY: k1.");
  });

  it("a rewrap whose keyring holds another key under the old key's id stops before it changes anything", async () => {
    const before = secretRows();
    const wrong = keyringText(k2, newKey("k1"));
    const r = await vault(["rewrap"], wrong);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Nothing was changed: VAULT_KEY's k1 is not the key that sealed the secrets stored under that id: they do not open.");
    expect(secretRows()).toEqual(before);
    expect((await vault(["status"], wrong)).out).toMatch(/k1 +45 {2}DO NOT OPEN: VAULT_KEY's k1 is not the key that sealed them/);
  });

  it("killed in the middle of a transaction, it leaves every secret readable, and run again it finishes the job", async () => {
    const child = startCommand("vault", ["rewrap", "--batch", "10"], {
      DATABASE_PATH: dbPath,
      RECOVERY_DIR: undefined,
      VAULT_KEY: rotated,
      PAIRDESK_MODE: "test",
      PAIRDESK_TEST_REWRAP_STALL_AFTER: "25",
    });
    try {
      const out = await waitForOutput(child, "STALLED after 25 secrets");
      expect(out).toContain("20 secrets re-sealed so far");
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }

    // Two batches committed; the third, cut off mid-way, rolled back: still k1, still readable.
    expect(secretsPerKey(db.$client)).toEqual({ k2: 20, k1: 25 });
    expect(await revealAll()).toEqual(expected());
    expect(rewrapAudits()).toEqual([]);

    const r = await vault(["rewrap", "--batch", "10"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Re-sealed 25 secrets with k2 (25 from k1) in 3 transactions.");
    expect(secretsPerKey(db.$client)).toEqual({ k2: 45 });
    expect(await revealAll()).toEqual(expected());
  });

  it("a secret that does not open is left as it is and reported; the others move", async () => {
    const victim = db.$client.prepare("select id, pairing_id from pairing_secrets order by id limit 1").get() as { id: number; pairing_id: number };
    // Moved to another row's associated data: it no longer opens.
    db.$client.prepare("update pairing_secrets set ciphertext = (select ciphertext from pairing_secrets where id = ?) where id = ?").run(victim.id + 1, victim.id);
    const r = await vault(["rewrap"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Secret #${victim.id} (pairing ${victim.pairing_id}, client_secret, sealed with k1) does not open`);
    expect(secretsPerKey(db.$client)).toEqual({ k2: 44, k1: 1 });
  });

  it("says what is wrong with its arguments", async () => {
    expect((await vault([])).code).toBe(2);
    expect((await vault(["rotate"])).err).toContain('Unknown command "rotate"');
    expect((await vault(["rewrap", "--batch", "0"])).err).toContain("--batch must be a whole number from 1 to 10000.");
    const noKey = await runMain(main, ["status"], { DATABASE_PATH: path.join(testDataDir, "elsewhere", "pairdesk.db"), VAULT_KEY: "" });
    expect(noKey.code).toBe(1);
    expect(noKey.err).toContain("VAULT_KEY is not set");
  });
});
