import { testDataDir } from "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { parseVaultKeys, type VaultKey } from "../env";
import { checkHealth, type HealthCache, type HealthSources } from "./health";
import { knownMigrations } from "./database";
import { takeLease } from "../poller/lease";
import { databaseSql } from "./sql";
import { recoveryRecord } from "../pairing/recovery";
import { writeSpoolRecord } from "../pairing/recovery-record";
import { keyringText, newKey, seedSealedPairings } from "../test/ops-kit";

const k1 = parseVaultKeys(process.env.VAULT_KEY!);
// On the project's disk, not in the temporary folder: a tmpfs /tmp would make the spool check say "memory file system".
const spoolDir = path.resolve("node_modules/.cache/pairdesk-health-spool");
let db: DB;

function sources(over: Partial<HealthSources> = {}): HealthSources {
  return { database: () => databaseSql(db), keys: () => k1, recoveryDir: () => spoolDir, migrations: () => knownMigrations(), ...over };
}
const run = (over: Partial<HealthSources> = {}, cache: HealthCache | null = null) => checkHealth(sources(over), cache);

beforeEach(() => {
  db = openDatabase(":memory:");
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

describe("checkHealth", () => {
  it("is ok with the database migrated, the key opening the secrets and an empty spool", async () => {
    seedSealedPairings(db.$client, 3, k1);
    const { health } = await run();
    expect(health).toEqual({
      ok: true,
      status: "ok",
      checks: {
        database: { ok: true, status: "ok", message: "The database answers." },
        migrations: { ok: true, status: "ok", message: "All migrations are applied." },
        vault: { ok: true, status: "ok", message: "VAULT_KEY is loaded and opens the stored secrets." },
        recoverySpool: { ok: true, status: "ok", message: "Empty, and writable." },
        poller: { ok: true, status: "ok", message: "Ready; no transaction to poll yet." },
        signInLimits: { ok: true, status: "ok", message: "Per account (per address needs TRUSTED_PROXY_HOPS, for a server behind a proxy)." },
      },
    });
  });

  it("needs attention on a production server without a trusted proxy: the per-address sign-in limit is off", async () => {
    const prod = (await run({ proxy: () => ({ mode: "production", trustedProxyHops: 0 }) })).health;
    expect(prod.status).toBe("attention");
    expect(prod.checks.signInLimits).toEqual({ ok: true, status: "attention", message: expect.stringContaining("set TRUSTED_PROXY_HOPS to the number of proxies in front") });
    expect((await run({ proxy: () => ({ mode: "production", trustedProxyHops: 1 }) })).health.checks.signInLimits.status).toBe("ok");
    expect((await run({ proxy: () => ({ mode: "demo", trustedProxyHops: 0 }) })).health.checks.signInLimits.status).toBe("ok");
  });

  it("is broken when VAULT_KEY cannot open the stored secrets, without naming keys or paths", async () => {
    seedSealedPairings(db.$client, 3, k1);
    const other = newKey("k1");
    for (const keys of [[other], parseVaultKeys(keyringText(newKey("k9"))), parseVaultKeys(keyringText(newKey("k2"), other))] as VaultKey[][]) {
      const { health, details } = await run({ keys: () => keys });
      expect(health.ok).toBe(false);
      expect(health.status).toBe("broken");
      expect(health.checks.vault).toEqual({
        ok: false,
        status: "broken",
        message: "VAULT_KEY does not open the stored secrets: credentials cannot be revealed or used. Run `npm run vault -- status` on the server.",
      });
      expect(health.checks.database.ok).toBe(true);
      const body = JSON.stringify(health);
      expect(body).not.toMatch(/\bk[129]\b/);
      expect(body).not.toContain(testDataDir);
      // The server log gets the key ids.
      expect(details.vault).toContain("k1 (5 secrets;");
    }
  });

  it("is ok without any secret, and says so", async () => {
    expect((await run()).health.checks.vault.message).toBe("VAULT_KEY is loaded and opens the stored secrets.");
  });

  it("needs attention, still ok, while pairings wait in the recovery spool", async () => {
    const result = { payConnectId: "pc", payConnectName: "Till", terminalId: "T-H", clientId: "c", clientSecret: "cs_health_secret_0123456789", webhookSecretKey: null };
    writeSpoolRecord(spoolDir, recoveryRecord({ attemptId: 7, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: 1, failure: "x", result }));
    const { health } = await run();
    expect(health.ok).toBe(true);
    expect(health.status).toBe("attention");
    expect(health.checks.recoverySpool).toEqual({ ok: true, status: "attention", message: "Pairings wait in the recovery spool: an admin completes them from the dashboard." });
    expect(JSON.stringify(health)).not.toContain("cs_health_secret");
  });

  it("is broken when the spool cannot be written", async () => {
    fs.writeFileSync(spoolDir, "not a folder");
    const { health, details } = await run();
    expect(health.ok).toBe(false);
    expect(health.checks.recoverySpool.status).toBe("broken");
    expect(health.checks.recoverySpool.message).toContain("The recovery spool cannot be written");
    expect(JSON.stringify(health)).not.toContain(testDataDir);
    expect(details.recoverySpool).toBeTruthy();
    fs.rmSync(spoolDir);
  });

  it.skipIf(!fs.existsSync("/dev/shm"))("needs attention when the spool is on a memory file system (lost at the machine's restart)", async () => {
    const onTmpfs = fs.mkdtempSync("/dev/shm/pairdesk-spool-");
    try {
      const { health, details } = await run({ recoveryDir: () => onTmpfs });
      expect(health.status).toBe("attention");
      expect(health.checks.recoverySpool).toEqual({
        ok: true,
        status: "attention",
        message: expect.stringContaining("The recovery spool is on a memory file system: what it holds is lost when the machine restarts."),
      });
      expect(JSON.stringify(health)).not.toContain(onTmpfs);
      expect(details.recoverySpool).toBe("file system type 0x1021994");
      // On a disk, the same check is ok.
      expect((await run()).health.checks.recoverySpool.status).toBe("ok");
    } finally {
      fs.rmSync(onTmpfs, { recursive: true, force: true });
    }
  });

  it("is broken when the database has a migration this code does not know, or lacks one", async () => {
    db.$client.prepare("insert into __drizzle_migrations (hash, created_at) values ('future', ?)").run(Date.now() + 10 ** 10);
    expect((await run()).health.checks.migrations).toMatchObject({ ok: false, message: expect.stringContaining("written by a newer version") });
    db.$client.prepare("delete from __drizzle_migrations").run();
    expect((await run()).health.checks.migrations).toMatchObject({ ok: false, message: expect.stringContaining("not applied") });
  });

  it("is broken when the database does not answer, and checks nothing that needs it", async () => {
    const { health, details } = await run({ database: () => { throw new Error(`unable to open database file ${testDataDir}/x.db`); } });
    expect(health.checks.database).toEqual({ ok: false, status: "broken", message: "The database does not answer." });
    expect(health.checks.vault.ok).toBe(false);
    expect(health.checks.migrations.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(testDataDir);
    expect(details.database).toContain(testDataDir);
  });

  it("remembers the vault check for a while: polling does not decrypt on every call", async () => {
    seedSealedPairings(db.$client, 1, k1);
    const cache: HealthCache = new Map();
    expect((await run({}, cache)).health.checks.vault.ok).toBe(true);
    let asked = 0;
    const { health } = (await run({ keys: () => (asked++, [newKey("k1")]) }, cache));
    expect(health.checks.vault.ok).toBe(true);
    expect(asked).toBe(0);
    cache.clear();
    expect((await run({ keys: () => [newKey("k1")] }, cache)).health.checks.vault.ok).toBe(false);
  });

  it("names the instance that answered and the one that holds the poller's lease (none once it expired)", async () => {
    const now = Date.now();
    const asMe = { instance: () => "pd-1", now: () => now };
    expect((await run(asMe)).health).toMatchObject({ instance: "pd-1", pollerHolder: null });
    expect((await run(asMe)).health.checks.poller.message).toMatch(/No instance holds its lease\.$/);
    await takeLease(db, "poller", "pd-1", now, 30_000);
    expect((await run(asMe)).health).toMatchObject({ instance: "pd-1", pollerHolder: "pd-1" });
    expect((await run(asMe)).health.checks.poller.message).toMatch(/This instance holds its lease\.$/);
    const asOther = { instance: () => "pd-2", now: () => now };
    expect((await run(asOther)).health).toMatchObject({ instance: "pd-2", pollerHolder: "pd-1" });
    expect((await run(asOther)).health.checks.poller.message).toMatch(/Instance pd-1 holds its lease\.$/);
    expect((await run({ instance: () => "pd-2", now: () => now + 31_000 })).health.pollerHolder).toBeNull();
    // Without an instance (an operator command's check), the answer says nothing of either.
    expect((await run({ now: () => now })).health).not.toHaveProperty("pollerHolder");
  });
});

describe("GET /api/health", () => {
  it("answers 503 when the configured key cannot open a stored secret, 200 otherwise", async () => {
    const { GET } = await import("../../app/api/health/route");
    const { getDb } = await import("../db/client");
    const first = await GET();
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    seedSealedPairings(getDb().$client, 1, [newKey("k1")]);
    (globalThis as { __pairdeskHealth?: unknown }).__pairdeskHealth = undefined; // a fresh server's cache
    const res = await GET();
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; checks: Record<string, { status: string }> };
    expect(body.ok).toBe(false);
    expect(body.checks.vault!.status).toBe("broken");
    expect(body.checks.database!.status).toBe("ok");
  });
});
