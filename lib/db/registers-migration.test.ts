/**
 * Migration 0003 (registers) on a database from before it: "superseded" becomes "replaced", and
 * of several active pairings of one terminal the newest stays active while the older ones are
 * replaced by it (secrets destroyed, one audit entry each), so that the one-active-pairing rule
 * can hold; other terminals' pairings and secrets are untouched.
 */
import "../test/setup-env";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { expect, it } from "vitest";
import { databaseBefore } from "../test/migrations";
import { migrateDatabase, type DB } from "./open";
import * as schema from "./schema";

const rows = (db: DB, sql: string) => db.$client.prepare(sql).all() as Record<string, unknown>[];

it("migration 0003 leaves one active pairing per terminal: the newest; older ones and superseded ones are replaced", () => {
  const db = drizzle(databaseBefore(":memory:", "0003_registers"), { schema }) as unknown as DB;
  const run = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).run(...args);
  run("insert into merchants (name) values ('Default merchant')");
  run("insert into users (email, password_hash, role) values ('ops@example.com', 'x', 'admin')");
  run("insert into terminals (merchant_id, environment, terminal_id) values (1, 'sandbox', 'T-1'), (1, 'sandbox', 'T-2')");
  const pairing = (terminalRef: number, status: string, createdAt: number) =>
    run(
      "insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id, created_at) values (?, 1, ?, 'Till', ?, 0, ?, 1, ?)",
      terminalRef,
      `pc-${createdAt}`,
      `cl-${createdAt}`,
      status,
      createdAt,
    );
  pairing(1, "superseded", 1000); // 1
  pairing(1, "active", 2000); // 2: older active
  pairing(1, "active", 3000); // 3: newest active, stays
  pairing(2, "active", 1500); // 4: alone, stays
  pairing(2, "unpaired", 1200); // 5
  for (const id of [2, 3, 4]) {
    run("insert into pairing_secrets (pairing_id, field, key_id, nonce, ciphertext) values (?, 'client_secret', 'k1', x'00', x'01')", id);
  }

  migrateDatabase(db.$client);

  expect(rows(db, "select id, status, replaced_by_id, ended_at is not null as ended from pairings order by id")).toEqual([
    { id: 1, status: "replaced", replaced_by_id: null, ended: 0 },
    { id: 2, status: "replaced", replaced_by_id: 3, ended: 1 },
    { id: 3, status: "active", replaced_by_id: null, ended: 0 },
    { id: 4, status: "active", replaced_by_id: null, ended: 0 },
    { id: 5, status: "unpaired", replaced_by_id: null, ended: 0 },
  ]);
  expect(rows(db, "select pairing_id from pairing_secrets order by pairing_id")).toEqual([{ pairing_id: 3 }, { pairing_id: 4 }]);
  expect(rows(db, "select action, merchant_id, target_id, actor_id from audit_log")).toEqual([
    { action: "pairing.replace", merchant_id: 1, target_id: "2", actor_id: null },
  ]);
  expect(db.$client.pragma("foreign_key_check")).toEqual([]);
  // The rule holds from now on.
  expect(() => pairing(2, "active", 4000)).toThrow(/UNIQUE constraint failed: pairings.terminal_ref/);
});
