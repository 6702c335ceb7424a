import { testDataDir } from "../../lib/test/setup-env";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open";
import { parseVaultKeys } from "../../lib/env";
import { knownMigrations } from "../../lib/ops/database";
import { readCredentials } from "../../lib/pairing/credentials";
import { recoveryRecord } from "../../lib/pairing/recovery";
import { readSpoolRecord, writeSpoolRecord } from "../../lib/pairing/recovery-record";
import { databaseBefore, migrationTags } from "../../lib/test/migrations";
import { seal, secretContext } from "../../lib/pairing/vault";
import { exited, keyringText, newKey, runMain, seedSealedPairings, spawnCommand, startDatabaseHolder, waitForOutput, type SeededPairing } from "../../lib/test/ops-kit";
import { main as backupMain } from "./backup";
import { main as restoreMain } from "./restore";

const keyText = process.env.VAULT_KEY!;
const k1 = { ...parseVaultKeys(keyText)[0]!, b64: keyText };
const liveDir = path.join(testDataDir, "live");
const dbPath = path.join(liveDir, "pairdesk.db");
const spoolDir = path.join(liveDir, "recovery");
const backups = path.join(testDataDir, "backups");
const backupFile = path.join(backups, "pairdesk.db");

const restoreEnv = (vaultKey: string) => ({ DATABASE_PATH: dbPath, RECOVERY_DIR: undefined, VAULT_KEY: vaultKey });
const restore = (args: string[], vaultKey = keyText) => runMain(restoreMain, args, restoreEnv(vaultKey));
/** Every byte of the live database, to prove a refusal changed nothing. */
const liveBytes = () => Buffer.concat([dbPath, `${dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
const terminalIds = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("select terminal_id from terminals order by id").all() as { terminal_id: string }[]).map((r) => r.terminal_id);
  } finally {
    db.close();
  }
};

let seeded: SeededPairing[];
const spooled = { payConnectId: "pc-r", payConnectName: "Till", terminalId: "T-SPOOLED", clientId: "c-r", clientSecret: "cs_restore_spooled_0123456789", webhookSecretKey: null };

/** A live database with sealed pairings and a spooled pairing, backed up; then a terminal added after the backup. */
beforeEach(async () => {
  for (const d of [liveDir, backups]) fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(backups, { recursive: true });
  const db = openDatabase(dbPath);
  seeded = seedSealedPairings(db.$client, 12, [k1], "T-BACKED-UP");
  writeSpoolRecord(spoolDir, recoveryRecord({ attemptId: 41, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: 1, failure: "x", result: spooled }));
  const made = await runMain(backupMain, ["--out", backupFile], { DATABASE_PATH: dbPath, RECOVERY_DIR: undefined });
  if (made.code !== 0) throw new Error(made.err);
  fs.rmSync(spoolDir, { recursive: true }); // completed since
  db.$client.prepare("insert into terminals (merchant_id, environment, terminal_id) values ((select min(id) from merchants), 'sandbox', 'T-AFTER-BACKUP')").run();
  db.close();
});

describe("npm run restore", () => {
  it("runs as `npm run restore`: puts the backup in place, keeps the replaced database beside it, and brings back the spool", async () => {
    const r = spawnCommand("restore", ["--from", backupFile], restoreEnv(keyText));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Restored ${backupFile} into ${dbPath}`);
    expect(r.out).toContain("Vault: keyring k1 (encrypts new secrets) from VAULT_KEY.");
    expect(r.out).toContain("18 secrets sealed with k1: open with VAULT_KEY.");
    expect(r.out).toContain(`Recovery spool: 1 record added to ${spoolDir}`);
    expect(r.out).not.toContain(keyText);

    const kept = fs.readdirSync(liveDir).filter((f) => f.startsWith("pairdesk.db.replaced-"));
    expect(kept).toHaveLength(1);
    expect(r.out).toContain(`The replaced database is kept as ${path.join(liveDir, kept[0]!)}.`);
    expect(terminalIds(path.join(liveDir, kept[0]!))).toContain("T-AFTER-BACKUP");
    expect(terminalIds(dbPath)).not.toContain("T-AFTER-BACKUP");
    expect(terminalIds(dbPath)).toHaveLength(12);

    const [file] = fs.readdirSync(spoolDir);
    expect(readSpoolRecord(path.join(spoolDir, file!))).toMatchObject({ attemptId: 41, terminalId: "T-SPOOLED" });

    const db = openDatabase(dbPath, { migrate: false });
    try {
      for (const p of seeded) {
        expect((await readCredentials(db, { id: p.pairingId, clientId: p.clientId })).clientSecret).toBe(p.clientSecret);
      }
      const audit = db.$client.prepare("select actor_id, details from audit_log where action = 'database.restore'").all() as { actor_id: null; details: string }[];
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.details)).toEqual({ by: "operator (npm run restore)", backupFile: "pairdesk.db", migrationsApplied: 0, secrets: 18 });
    } finally {
      db.close();
    }
  });

  it("refuses while a process has the database open, and restores once that process is killed (-9)", async () => {
    const holder = startDatabaseHolder(dbPath);
    try {
      await waitForOutput(holder, "ready");
      const before = liveBytes();
      const r = await restore(["--from", backupFile]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Restore refused, nothing was changed: The database ${dbPath} is in use by another process — a running Pairdesk server, or a command such as npm run backup. Stop the server`);
      expect(liveBytes().equals(before)).toBe(true);
      expect(fs.readdirSync(liveDir).filter((f) => !f.startsWith("pairdesk.db"))).toEqual([]);
    } finally {
      holder.kill("SIGKILL"); // a crash: no clean close, no lock left behind
      await exited(holder);
    }
    const r = await restore(["--from", backupFile]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(terminalIds(dbPath)).not.toContain("T-AFTER-BACKUP");
  });

  it("refuses a file that is not a Pairdesk database, and a database newer than this code, changing nothing", async () => {
    const before = liveBytes();
    const text = path.join(backups, "notes.txt");
    fs.writeFileSync(text, "these are not the backups you are looking for\n".repeat(200));
    expect((await restore(["--from", text])).err).toContain(`Restore refused, nothing was changed: ${text} is not a SQLite database (file is not a database).`);

    const other = path.join(backups, "other.db");
    const o = new Database(other);
    o.exec("create table users (id integer primary key); create table notes (body text)");
    o.close();
    expect((await restore(["--from", other])).err).toContain(
      `${other} is not a Pairdesk database: it has no terminals, pairings, pairing_secrets, pairing_attempts, audit_log, __drizzle_migrations table.`,
    );

    const newer = path.join(backups, "newer.db");
    fs.copyFileSync(backupFile, newer);
    const n = new Database(newer);
    n.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(knownMigrations().at(-1)!.createdAt + 1000);
    n.close();
    const r = await restore(["--from", newer]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${newer} was written by a newer Pairdesk (or another branch): it has 1 migration this code does not know (it knows ${knownMigrations().length}).`);

    expect((await restore(["--from", path.join(backups, "missing.db")])).err).toContain("No backup file at");
    expect(liveBytes().equals(before)).toBe(true);
    expect(fs.readdirSync(liveDir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("refuses a VAULT_KEY that opens none of the backup's secrets, and names the key ids it needs", async () => {
    const before = liveBytes();
    const wrong = await restore(["--from", backupFile], newKey("x").b64);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(
      `VAULT_KEY opens none of the 18 secrets in ${backupFile}. The backup needs the key k1 (18 secrets; VAULT_KEY has a key named k1, but not the one that sealed them).`,
    );
    const rotated = await restore(["--from", backupFile], keyringText(newKey("k3"), newKey("k2")));
    expect(rotated.code).toBe(1);
    expect(rotated.err).toContain("The backup needs the key k1 (18 secrets; not in VAULT_KEY).");
    expect(rotated.err).not.toContain(k1.b64);
    expect(liveBytes().equals(before)).toBe(true);

    // With the old key in the keyring, it restores.
    expect((await restore(["--from", backupFile], keyringText(newKey("k3"), k1))).code).toBe(0);
  });

  it("brings an older backup to this code's schema, and --check changes nothing", async () => {
    // A backup made by the previous version: every migration but the latest, and a sealed secret.
    const older = path.join(backups, "older.db");
    const o = databaseBefore(older, migrationTags().at(-1)!);
    o.exec("insert into users (email, password_hash, role) values ('old@example.com', 'x', 'admin')");
    const m = o.prepare("select name from sqlite_master where type = 'table' and name = 'merchants'").get() ? "1" : null;
    if (m) o.exec("insert into merchants (name) values ('Old merchant')");
    o.exec(`insert into terminals (${m ? "merchant_id, " : ""}environment, terminal_id) values (${m ? "1, " : ""}'sandbox', 'T-OLD')`);
    o.exec(`insert into pairings (${m ? "merchant_id, " : ""}terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, created_by_id) values (${m ? "1, " : ""}1, 'pc-old', 'Till', 'cl-old', 0, 1)`);
    const sealed = seal("cs_old_0123456789abcdef", secretContext("pairings", 1, "client_secret"), [k1]);
    o.prepare("insert into pairing_secrets (pairing_id, field, key_id, nonce, ciphertext) values (1, 'client_secret', ?, ?, ?)").run(sealed.keyId, sealed.nonce, sealed.ciphertext);
    o.close();

    const before = liveBytes();
    const check = await restore(["--from", older, "--check"]);
    expect(check.code).toBe(0);
    expect(check.out).toContain(`${older} can be restored (checked only; nothing changed).`);
    expect(check.out).toContain(`Schema: ${knownMigrations().length - 1} of this version's ${knownMigrations().length} migrations; a restore applies the other 1.`);
    expect(liveBytes().equals(before)).toBe(true);

    const r = await restore(["--from", older]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("applied the other 1.");
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: knownMigrations().length });
    expect(db.prepare("select terminal_id from terminals").all()).toEqual([{ terminal_id: "T-OLD" }]);
    db.close();
  });
});
