import { sqliteSql } from "../../lib/ops/sql";
import { testDataDir } from "../../lib/test/setup-env";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open";
import { tableCounts } from "../../lib/ops/database";
import { readCredentials } from "../../lib/pairing/credentials";
import { recoveryRecord } from "../../lib/pairing/recovery";
import { writeSpoolRecord } from "../../lib/pairing/recovery-record";
import { vaultKeys } from "../../lib/pairing/vault";
import { exited, runMain, seedSealedPairings, spawnCommand, startDatabaseHolder, waitForOutput } from "../../lib/test/ops-kit";
import { main as backupMain } from "./backup";
import { main as restoreMain } from "./restore";

const liveDir = path.join(testDataDir, "live");
const dbPath = path.join(liveDir, "pairdesk.db");
const spoolDir = path.join(liveDir, "recovery");
const backups = path.join(testDataDir, "backups");
fs.mkdirSync(backups, { recursive: true });

const backupEnv = { DATABASE_PATH: dbPath, RECOVERY_DIR: undefined, VAULT_KEY: undefined };
const backup = (...args: string[]) => runMain(backupMain, args, backupEnv);
const writtenRows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    const terminals = (db.prepare("select terminal_id from terminals where terminal_id like 'W-%'").all() as { terminal_id: string }[]).map((r) => Number(r.terminal_id.slice(2)));
    const audits = (db.prepare("select details from audit_log where action = 'list.export'").all() as { details: string }[]).map((r) => Number(r.details));
    return { terminals: terminals.sort((a, b) => a - b), audits: audits.sort((a, b) => a - b) };
  } finally {
    db.close();
  }
};

const live = openDatabase(dbPath);
const seeded = seedSealedPairings(live.$client, 40, vaultKeys());
afterAll(() => live.close());

describe("npm run backup", () => {
  it("runs as `npm run backup`: a copy, its summary on standard output, exit 0", () => {
    const file = path.join(backups, "smoke.db");
    const made = spawnCommand("backup", ["--out", file], backupEnv);
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    expect(made.out).toContain(`Backed up ${dbPath} to ${file}: `);
    expect(made.out).toContain("Recovery spool: empty, nothing to copy.");
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe("SQLite format 3");
  });

  it("copies the database while another process writes in a loop: the copy is one moment, restores, and its secrets open", async () => {
    const writer = startDatabaseHolder(dbPath, { write: true });
    let before: number;
    let after: number;
    let r;
    try {
      await waitForOutput(writer, "ready");
      before = writtenRows(dbPath).terminals.length;
      r = await backup("--out", path.join(backups, "while-writing.db"));
      after = writtenRows(dbPath).terminals.length;
    } finally {
      writer.kill("SIGKILL");
      await exited(writer);
    }
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const file = path.join(backups, "while-writing.db");
    expect(r.out).toContain(`Backed up ${dbPath} to ${file}: `);
    expect(r.out).toMatch(/Rows: audit_log [\d,]+, locations 0, merchants 2, pairing_attempts 0, pairing_secrets 60, pairings 40, registers 0, sessions 0, sign_in_failures 0, terminals [\d,]+, transaction_events 0, transaction_operations 0, transactions 0, users 1, webhook_deliveries 0, workers 0\./);
    expect(r.out).toContain("Recovery spool: empty, nothing to copy.");
    expect(r.out).not.toContain(process.env.VAULT_KEY!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.readdirSync(backups).filter((f) => f.includes(".tmp"))).toEqual([]);

    // Writes went on during the backup; the copy holds every write up to one moment and none after.
    expect(after).toBeGreaterThan(before);
    const copied = writtenRows(file);
    const k = copied.terminals.length;
    expect(k).toBeGreaterThanOrEqual(before);
    expect(k).toBeLessThanOrEqual(after);
    expect(copied.terminals).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(copied.audits).toEqual(copied.terminals);

    // Restored elsewhere, it holds the same rows (and its restore's audit entry), and the secrets open.
    const restoredPath = path.join(testDataDir, "restored", "pairdesk.db");
    const restore = await runMain(restoreMain, ["--from", file], { DATABASE_PATH: restoredPath, RECOVERY_DIR: undefined });
    expect(restore.err).toBe("");
    expect(restore.code).toBe(0);
    const copy = new Database(file, { readonly: true });
    const expected = (await tableCounts(sqliteSql(copy))).map((c) => (c.table === "audit_log" ? { ...c, rows: c.rows + 1 } : c));
    copy.close();
    const restored = openDatabase(restoredPath, { migrate: false });
    try {
      expect(await tableCounts(sqliteSql(restored.$client))).toEqual(expected);
      for (const p of seeded) {
        expect(await readCredentials(restored, { id: p.pairingId, clientId: p.clientId })).toEqual({
          clientId: p.clientId,
          clientSecret: p.clientSecret,
          webhookSecretKey: p.webhookSecretKey,
        });
      }
    } finally {
      restored.close();
    }
  });

  it("copies the recovery spool beside the file, and refuses to overwrite a file unless told", async () => {
    const result = { payConnectId: "pc", payConnectName: "Till", terminalId: "T-B", clientId: "c", clientSecret: "cs_backup_spooled_0123456789", webhookSecretKey: null };
    writeSpoolRecord(spoolDir, recoveryRecord({ attemptId: 3, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: 1, failure: "x", result }));
    const file = path.join(backups, "with-spool.db");
    const first = await backup("--out", file);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Recovery spool: 1 file copied to ${file}.recovery/`);
    expect(fs.readdirSync(`${file}.recovery`)).toEqual(["attempt-3.json"]);
    expect(fs.readFileSync(`${file}.recovery/attempt-3.json`, "utf8")).toBe(fs.readFileSync(path.join(spoolDir, "attempt-3.json"), "utf8"));

    fs.writeFileSync(file, "precious");
    const again = await backup("--out", file);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`Backup not made: ${file} already exists: give another file, or pass --force to replace it.`);
    expect(fs.readFileSync(file, "utf8")).toBe("precious");

    fs.rmSync(spoolDir, { recursive: true });
    const forced = await backup("--out", file, "--force");
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe("SQLite format 3");
    expect(fs.existsSync(`${file}.recovery`)).toBe(false); // the old spool copy went with the old file
  });

  it("says what is wrong: no --out, a missing folder, the live database itself, no database", async () => {
    expect((await backup()).err).toContain("Missing --out.");
    expect((await backup("--out", path.join(testDataDir, "nope", "x.db"))).err).toContain("does not exist: create it first.");
    expect((await backup("--out", dbPath)).err).toContain("is the live database itself");
    const none = await runMain(backupMain, ["--out", path.join(backups, "none.db")], { DATABASE_PATH: path.join(testDataDir, "no-such.db") });
    expect(none.code).toBe(1);
    expect(none.err).toContain("No database at");
  });

  it("on Postgres (DATABASE_URL), backup and restore refuse and say what to use instead, touching no file", async () => {
    const env = { DATABASE_URL: "postgres://pairdesk@db.example.test:5432/pairdesk", DATABASE_PATH: path.join(testDataDir, "pg-unused.db") };
    for (const r of [await runMain(backupMain, ["--out", path.join(testDataDir, "pg-backups")], env), await runMain(restoreMain, ["--from", "x.db"], env)]) {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/DATABASE_URL names Postgres, and npm run backup \/ restore work on the SQLite file only for now\. On Postgres, use your provider's backups or pg_dump/);
    }
    expect(fs.existsSync(path.join(testDataDir, "pg-backups"))).toBe(false);
    expect(fs.existsSync(path.join(testDataDir, "pg-unused.db"))).toBe(false);
  });
});
