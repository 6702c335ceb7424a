/**
 * `npm run db -- copy --to postgres://…` on a SQLite file holding every kind of row Pairdesk
 * writes: the copy is row for row, the vault's rows still sealed and opened by the same key, the
 * identity sequences moved past the copied ids, the rules back on; a target that is not empty,
 * or a key that does not open the secrets, is refused with nothing written. Postgres suite only.
 */
import "../../lib/test/setup-env";
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../lib/db/engine";
import { openDatabase, rawQuery, type DB } from "../../lib/db/open";
import { readCredentials } from "../../lib/pairing/credentials";
import { ruleOf } from "../../lib/registers/rules";
import { keyringText, newKey, runMain, spawnCommand } from "../../lib/test/ops-kit";
import { adminUrl, databaseUrl, withAdmin } from "../../lib/test/postgres";
import { testDataDir } from "../../lib/test/setup-env";
import { main } from "./db";

type Row = Record<string, unknown>;

/** A new database with nothing in it at all (not even the schema). */
async function emptyDatabase(): Promise<string> {
  const name = `pdt_copy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  return databaseUrl(adminUrl(), name);
}

/** A row as both engines would print it: booleans as 0/1, buffers as hex. */
function normalize(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : Buffer.isBuffer(v) ? v.toString("hex") : v]),
  );
}

describe.skipIf(ENGINE !== "postgres")("npm run db -- copy", () => {
  const file = path.join(testDataDir, "copy-source.db");
  const opened: DB[] = [];
  /** The source, opened for a moment (a handle kept open would hold the file as a server does). */
  const fromSource = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  const open = (url: string) => {
    const db = openDatabase(url, { migrate: false });
    opened.push(db);
    return db;
  };

  beforeAll(() => {
    // The source is written by a process on the SQLite engine (this run's is Postgres).
    const seeded = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/test/seed-sqlite-child.ts", file], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "" },
      timeout: 120_000,
    });
    expect(seeded.status, seeded.stderr).toBe(0);
  });
  afterAll(async () => {
    for (const db of opened) await db.end();
  });

  const tables = () =>
    fromSource((source) =>
      (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations' order by name").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );

  it("copies every table row for row, the secrets still sealed and opened by the same key, and says what to change", async () => {
    // Every table has something to copy: the test covers every kind of row.
    for (const t of tables()) expect(fromSource((source) => (source.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n), t).toBeGreaterThan(0);
    expect(tables().length).toBeGreaterThanOrEqual(16);

    const to = await emptyDatabase();
    const r = await runMain(main, ["copy", "--to", to, "--from", file]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/the counts match/);
    expect(r.out).toMatch(/opens the 6 copied secrets/);
    expect(r.out).toMatch(/set DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/pdt_copy_/);
    expect(r.out).toMatch(/keep PUBLIC_URL the address Pay-Connect already sends webhooks to/);
    expect(r.out).not.toContain("whsec_");

    const target = open(to);
    for (const t of tables()) {
      const key = fromSource((source) => (source.prepare(`select name from pragma_table_info('${t}') where pk = 1`).get() as { name: string }).name);
      const before = fromSource((source) => source.prepare(`select * from "${t}" order by "${key}"`).all() as Row[]).map(normalize);
      const after = (await rawQuery<Row>(target, `select * from "${t}" order by "${key}"`)).map(normalize);
      expect(after, t).toEqual(before);
    }

    // The vault's rows open with the key, to the secrets Pay-Connect gave.
    const [pairing] = await rawQuery<{ id: number; client_id: string }>(target, "select id, client_id from pairings where client_id = 'client-alpha-1'");
    const credentials = await readCredentials(target, { id: pairing!.id, clientId: pairing!.client_id });
    expect(credentials.clientSecret).toBe("cs_alpha_1_0123456789abcdefghijklmnop");

    // New rows continue after the copied ids; the rules hold again.
    const maxId = fromSource((source) => (source.prepare("select max(id) as m from audit_log").get() as { m: number }).m);
    const [next] = await rawQuery<{ id: number }>(target, "insert into audit_log (action) values ('copy.check') returning id");
    expect(next!.id).toBe(maxId + 1);
    let refused: unknown = null;
    await rawQuery(target, "update registers set register_id = 'changed' where id = 1").catch((err: unknown) => (refused = err));
    expect(ruleOf(refused)).toBe("register_fixed");
  });

  it("refuses a target that is not empty, and changes nothing there", async () => {
    const to = await emptyDatabase();
    expect((await runMain(main, ["copy", "--to", to, "--from", file])).code).toBe(0);
    const target = open(to);
    const before = await rawQuery<{ n: number }>(target, "select count(*) as n from transactions");
    const again = await runMain(main, ["copy", "--to", to, "--from", file]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty \(its table \w+ has rows\): copy into a new, empty database/);
    expect(await rawQuery<{ n: number }>(target, "select count(*) as n from transactions")).toEqual(before);
  });

  it("refuses a VAULT_KEY that does not open the secrets, before writing anything", async () => {
    const to = await emptyDatabase();
    const r = await runMain(main, ["copy", "--to", to, "--from", file], { VAULT_KEY: keyringText(newKey("k1")) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/VAULT_KEY does not open the secrets/);
    const tablesThere = await withAdmin(async () => {
      const probe = open(to);
      return rawQuery<{ n: number }>(probe, "select count(*) as n from information_schema.tables where table_schema = 'public'");
    });
    expect(Number(tablesThere[0]!.n)).toBe(0);
  });

  it("refuses while a server has the SQLite file open: what it writes after the copy would be lost", async () => {
    const server = new Database(file);
    try {
      server.prepare("select count(*) from users").get();
      const to = await emptyDatabase();
      const r = await runMain(main, ["copy", "--to", to, "--from", file]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is in use by another process .* Stop the server first, then copy/);
    } finally {
      server.close();
    }
  });

  it("refuses bad arguments with the usage", async () => {
    expect((await runMain(main, ["copy", "--to", "mysql://x"])).code).toBe(2);
    expect((await runMain(main, ["copy", "--to", "mysql://x"])).err).toMatch(/--to must be a postgres:\/\//);
    expect((await runMain(main, ["move", "--to", "postgres://x/y"])).code).toBe(2);
    const missing = await runMain(main, ["copy", "--to", "postgres://127.0.0.1:1/none", "--from", path.join(testDataDir, "nothing.db")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No SQLite database at/);
  });

  it("runs as `npm run db -- copy`", async () => {
    const to = await emptyDatabase();
    const r = spawnCommand("db", ["copy", "--to", to, "--from", file], {});
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Copied \d+ rows in 16 tables/);
  });
});
