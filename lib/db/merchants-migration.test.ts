/**
 * Migration 0002 (merchants) on a database from before it: the existing terminals, pairings,
 * attempts and their audit entries move into "Default merchant", the vault's rows survive the
 * table rebuilds (a rebuild with foreign keys on would cascade-delete them), every foreign key
 * holds, and the new rules are held by the database.
 */
import "../test/setup-env";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { describe, expect, it } from "vitest";
import { databaseBefore } from "../test/migrations";
import { migrateDatabase, openDatabase, type DB } from "./open";
import * as schema from "./schema";

function oldDatabase(): DB {
  return drizzle(databaseBefore(":memory:", "0002_merchants"), { schema }) as unknown as DB;
}

const rows = (db: DB, sql: string) => db.$client.prepare(sql).all() as Record<string, unknown>[];

describe("migration 0002: merchants", () => {
  it("moves existing data into Default merchant, keeps the vault's rows, and every reference holds", () => {
    const db = oldDatabase();
    const run = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).run(...args);
    run("insert into users (email, password_hash, role) values ('ops@example.com', 'x', 'admin')");
    run("insert into terminals (environment, terminal_id) values ('sandbox', 'T-OLD-1'), ('production', 'T-OLD-2')");
    run("insert into pairing_attempts (request_key, environment, name, status, terminal_id, created_by_id) values ('k1', 'sandbox', 'Till', 'succeeded', 'T-OLD-1', 1)");
    run("insert into pairings (terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, attempt_id, created_by_id) values (1, 'pc-1', 'Till', 'cl-1', 1, 1, 1)");
    run("update pairing_attempts set pairing_id = 1");
    run("insert into pairing_secrets (pairing_id, field, key_id, nonce, ciphertext) values (1, 'client_secret', 'k1', x'00', x'01'), (1, 'webhook_secret_key', 'k1', x'00', x'02')");
    run("insert into sessions (id, user_id) values ('s1', 1)");
    run("insert into audit_log (actor_id, actor_email, action, target_type, target_id) values (1, 'ops@example.com', 'pairing.create', 'pairing', '1'), (1, 'ops@example.com', 'auth.sign_in', 'user', '1')");

    migrateDatabase(db.$client);

    expect(rows(db, "select id, name, status from merchants")).toEqual([{ id: 1, name: "Default merchant", status: "active" }]);
    expect(rows(db, "select terminal_id, merchant_id from terminals order by id")).toEqual([
      { terminal_id: "T-OLD-1", merchant_id: 1 },
      { terminal_id: "T-OLD-2", merchant_id: 1 },
    ]);
    expect(rows(db, "select merchant_id, pairing_id from pairing_attempts")).toEqual([{ merchant_id: 1, pairing_id: 1 }]);
    expect(rows(db, "select merchant_id, attempt_id, terminal_ref from pairings")).toEqual([{ merchant_id: 1, attempt_id: 1, terminal_ref: 1 }]);
    // The vault survived the rebuild of `pairings` (its foreign key cascades on delete).
    expect(rows(db, "select pairing_id, field from pairing_secrets order by field")).toEqual([
      { pairing_id: 1, field: "client_secret" },
      { pairing_id: 1, field: "webhook_secret_key" },
    ]);
    expect(rows(db, "select user_id from sessions")).toEqual([{ user_id: 1 }]);
    expect(rows(db, "select role, merchant_id from users")).toEqual([{ role: "admin", merchant_id: null }]);
    expect(rows(db, "select action, merchant_id from audit_log order by id")).toEqual([
      { action: "pairing.create", merchant_id: 1 },
      { action: "auth.sign_in", merchant_id: null },
    ]);
    expect(db.$client.pragma("foreign_key_check")).toEqual([]);
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    // New rows keep counting after the old ones.
    run("insert into terminals (merchant_id, environment, terminal_id) values (1, 'sandbox', 'T-NEW')");
    expect(rows(db, "select id from terminals where terminal_id = 'T-NEW'")).toEqual([{ id: 3 }]);
  });

  it("makes no merchant on a fresh database", () => {
    const db = openDatabase(":memory:");
    expect(rows(db, "select * from merchants")).toEqual([]);
  });

  it("holds the rules in the database: a terminal needs a merchant, a merchant role a merchant, a staff role none", () => {
    const db = openDatabase(":memory:");
    const run = (sql: string) => () => db.$client.prepare(sql).run();
    run("insert into merchants (name) values ('Alpha')")();
    expect(run("insert into terminals (environment, terminal_id) values ('sandbox', 'T-1')")).toThrow(/NOT NULL constraint failed: terminals.merchant_id/);
    expect(run("insert into terminals (merchant_id, environment, terminal_id) values (99, 'sandbox', 'T-1')")).toThrow(/FOREIGN KEY/);
    expect(run("insert into users (email, password_hash, role) values ('m@example.com', 'x', 'merchant-admin')")).toThrow(/CHECK constraint failed: users_role_merchant_check/);
    expect(run("insert into users (email, password_hash, role, merchant_id) values ('s@example.com', 'x', 'support', 1)")).toThrow(/CHECK constraint failed/);
    expect(run("insert into users (email, password_hash, role, merchant_id) values ('v@example.com', 'x', 'merchant-viewer', 1)")).not.toThrow();
    expect(run("insert into merchants (name) values ('ALPHA')")).toThrow(/UNIQUE/);
    expect(run("insert into merchants (name, status) values ('Beta', 'closed')")).toThrow(/CHECK constraint failed: merchants_status_check/);
  });
});
