import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { terminalList } from "./lists";
import { queryAttempts, attemptRows } from "../pairing/attempt-queries";
import { queryAuditLog } from "../audit/queries";
import { queryTerminals, terminalRows } from "../pairing/terminal-queries";
import { staff, testMerchant } from "../test/merchants";

let db: DB;
let userId: number;
/** Inserts a row and gives its id. */
const run = async (sql: string, ...args: unknown[]) => Number((await rawQuery<{ id: number }>(db, `${sql} returning id`, args))[0]!.id);

beforeEach(async () => {
  db = await openTestDatabase();
  await testMerchant(db);
  userId = await run("insert into users (email, password_hash, role) values ('ana@example.com', 'x', 'admin')");
});

async function terminal(environment: string, terminalId: string, pairedAt?: number, status = "active") {
  const ref = await run("insert into terminals (merchant_id, environment, terminal_id) values (1, ?, ?)", environment, terminalId);
  if (pairedAt !== undefined) {
    await run(
      `insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id, created_at)
       values (1, ?, ?, ?, 'cl', false, ?, ?, ?)`,
      ref,
      `pc-${terminalId}`,
      `Till ${terminalId}`,
      status,
      userId,
      pairedAt,
    );
  }
  return ref;
}

const ids = (rows: { terminalId: string }[]) => rows.map((r) => r.terminalId);

describe("terminal list sorting", () => {
  beforeEach(async () => {
    await terminal("sandbox", "B", 3_000);
    await terminal("production", "C", 1_000);
    await terminal("production", "A", 2_000);
    await terminal("sandbox", "D"); // never paired
    await terminal("production", "E", 4_000, "unpaired"); // paired once, ended
  });

  it("by terminal id, either way", async () => {
    expect(ids((await queryTerminals(staff(db))).rows)).toEqual(["A", "B", "C", "D", "E"]);
    expect(ids((await queryTerminals(staff(db), { sort: "-terminal_id" })).rows)).toEqual(["E", "D", "C", "B", "A"]);
  });

  it("by environment, then terminal id", async () => {
    expect(ids((await queryTerminals(staff(db), { sort: "environment" })).rows)).toEqual(["A", "C", "E", "B", "D"]);
    expect(ids((await queryTerminals(staff(db), { sort: "-environment" })).rows)).toEqual(["B", "D", "A", "C", "E"]);
  });

  it("by paired at (the newest active pairing), unpaired terminals last either way", async () => {
    expect(ids((await queryTerminals(staff(db), { sort: "-paired_at" })).rows)).toEqual(["B", "A", "C", "D", "E"]);
    expect(ids((await queryTerminals(staff(db), { sort: "paired_at" })).rows)).toEqual(["C", "A", "B", "D", "E"]);
  });

  it("pages keep the sort, and a page past the end shows the last one", async () => {
    const second = await queryTerminals(staff(db), { sort: "-paired_at", page: 2, pageSize: 2 });
    expect(ids(second.rows)).toEqual(["C", "D"]);
    const past = await queryTerminals(staff(db), { sort: "-paired_at", page: 99, pageSize: 2 });
    expect(past.page).toBe(3);
    expect(ids(past.rows)).toEqual(["E"]);
  });

  it("export batches walk the filtered, sorted list", async () => {
    const params = terminalList.values({ environment: "production", sort: "-terminal_id" });
    expect(ids(await terminalRows(staff(db), params, { offset: 0, limit: 2 }))).toEqual(["E", "C"]);
    expect(ids(await terminalRows(staff(db), params, { offset: 2, limit: 2 }))).toEqual(["A"]);
  });
});

it("attempts sort by time (newest first by default) and by outcome", async () => {
  const attempt = async (name: string, status: string, at: number) =>
    await run(
      "insert into pairing_attempts (merchant_id, request_key, environment, name, status, created_by_id, created_at) values (1, ?, 'sandbox', ?, ?, ?, ?)",
      `rk-${name}`,
      name,
      status,
      userId,
      at,
    );
  await attempt("one", "succeeded", 1_000);
  await attempt("two", "failed", 2_000);
  await attempt("three", "pending", 3_000);
  await attempt("four", "failed", 4_000);
  const names = (rows: { name: string }[]) => rows.map((r) => r.name);
  expect(names((await queryAttempts(staff(db))).rows)).toEqual(["four", "three", "two", "one"]);
  expect(names((await queryAttempts(staff(db), { sort: "created_at" })).rows)).toEqual(["one", "two", "three", "four"]);
  expect(names((await queryAttempts(staff(db), { sort: "status" })).rows)).toEqual(["four", "two", "three", "one"]);
  expect(names(await attemptRows(staff(db), { ...(await queryAttempts(staff(db))).params, q: "  t  " }, { offset: 0, limit: 10 }))).toEqual([
    "three",
    "two",
  ]);
});

describe("audit log", () => {
  const entry = async (action: string, at: number, targetType: string | null = null, targetId: string | null = null, details: string | null = null) =>
    await run(
      "insert into audit_log (actor_email, action, target_type, target_id, details, at) values ('ana@example.com', ?, ?, ?, ?, ?)",
      action,
      targetType,
      targetId,
      details,
      at,
    );

  it("sorts by time and by action (newest first within an action)", async () => {
    await entry("user.create", 1_000);
    await entry("pairing.create", 2_000);
    await entry("user.create", 3_000);
    const order = (rows: { id: number; action: string }[]) => rows.map((r) => `${r.action}@${r.id}`);
    expect(order((await queryAuditLog(staff(db))).rows)).toEqual(["user.create@3", "pairing.create@2", "user.create@1"]);
    expect(order((await queryAuditLog(staff(db), { sort: "action" })).rows)).toEqual(["pairing.create@2", "user.create@3", "user.create@1"]);
    expect(order((await queryAuditLog(staff(db), { sort: "-action" })).rows)).toEqual(["user.create@3", "user.create@1", "pairing.create@2"]);
  });

  it("names its targets in words and says where they still exist", async () => {
    const ref = await terminal("sandbox", "T-9", 1_000);
    const pairingId = (await rawQuery<{ id: number }>(db, "select id from pairings where terminal_ref = ?", [ref]))[0]!.id;
    await entry("pairing.unpair", 1, "terminal", String(ref));
    await entry("pairing.create", 2, "pairing", String(pairingId));
    await entry("user.create", 3, "user", String(userId));
    await entry("user.disable", 4, "user", "9999");
    await entry("pairing.unpair", 5, "terminal", "9999");
    await entry("auth.sign_in", 6, null, null, JSON.stringify({ client_secret: "s3cr3t", ok: true }));
    const rows = (await queryAuditLog(staff(db), { sort: "at" })).rows;
    expect(rows.map((r) => r.target && { label: r.target.label, terminalRef: r.target.terminalRef, user: r.target.userExists })).toEqual([
      { label: "Terminal T-9", terminalRef: ref, user: false },
      { label: "Pairing “Till T-9” on T-9", terminalRef: ref, user: false },
      { label: "ana@example.com", terminalRef: null, user: true },
      { label: "User #9999", terminalRef: null, user: false },
      { label: "Terminal #9999", terminalRef: null, user: false },
      null,
    ]);
    expect(rows[5]!.details).toEqual([
      ["client_secret", "[hidden]"],
      ["ok", "true"],
    ]);
  });
});
