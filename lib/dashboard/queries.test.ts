import { testDataDir } from "../test/setup-env";
import { openTestDatabase } from "../test/db";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { writeSpool } from "../pairing/recovery";
import { CREDENTIALS_IN_LOG } from "../pairing/recovery-record";
import { createUser } from "../users/users";
import { queryDashboard } from "./queries";
import { staff, testMerchant } from "../test/merchants";

let db: DB;
let userId: number;

const insertedId = async (sql: string, params: unknown[]) => Number((await rawQuery<{ id: number }>(db, `${sql} returning id`, params))[0]!.id);

function terminal(environment: "production" | "sandbox", terminalId: string): Promise<number> {
  return insertedId("insert into terminals (merchant_id, environment, terminal_id) values (1, ?, ?)", [environment, terminalId]);
}

function pairing(terminalRef: number, status: "active" | "replaced" | "unpaired", attemptId: number | null = null): Promise<number> {
  return insertedId(
    "insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, attempt_id, created_by_id) values (1, ?, ?, 'Till', ?, false, ?, ?, ?)",
    [terminalRef, `pc-${terminalRef}-${status}-${Math.random()}`, `c-${Math.random()}`, status, attemptId, userId],
  );
}

function attempt(status: string, errorCode: string | null = null, terminalId: string | null = null): Promise<number> {
  return insertedId(
    "insert into pairing_attempts (merchant_id, request_key, environment, name, status, error_code, terminal_id, created_by_id) values (1, ?, 'sandbox', 'Till', ?, ?, ?, ?)",
    [`k-${Math.random()}`, status, errorCode, terminalId, userId],
  );
}

const result = (terminalId: string) => ({
  payConnectId: `pc-${terminalId}`,
  payConnectName: "Till",
  terminalId,
  clientId: "c",
  clientSecret: "cs_dashboard_secret_value_0123456789",
  webhookSecretKey: null,
});

beforeEach(async () => {
  db = await openTestDatabase();
  await testMerchant(db);
  userId = (await createUser(db, { email: "admin@example.com", password: "a-long-test-password", role: "admin" })).id;
  fs.rmSync(path.join(testDataDir, "recovery"), { recursive: true, force: true });
});

describe("queryDashboard", () => {
  it("counts paired, unpaired and never-paired terminals per environment", async () => {
    // Terminal 1's pairing is pairing 1: the old query compared the pairing's id with its own
    // terminal_ref, found this one, and counted every terminal as paired.
    const p1 = await terminal("production", "P-1");
    await pairing(p1, "active");
    const p2 = await terminal("production", "P-2");
    await pairing(p2, "unpaired"); // unpaired after a pairing
    const p3 = await terminal("production", "P-3");
    await pairing(p3, "replaced"); // replaced, nothing active: unpaired
    await terminal("production", "P-4"); // never paired
    await terminal("production", "P-5"); // never paired
    const s1 = await terminal("sandbox", "S-1");
    await pairing(s1, "unpaired");
    await terminal("sandbox", "S-2"); // never paired

    const { byEnvironment } = await queryDashboard(staff(db));
    expect(byEnvironment.sort((a, b) => a.environment.localeCompare(b.environment))).toEqual([
      { environment: "production", total: 5, paired: 1, unpaired: 2, neverPaired: 2 },
      { environment: "sandbox", total: 2, paired: 0, unpaired: 1, neverPaired: 1 },
    ]);
  });

  it("lists what needs recovery with where its credentials are, and not a spool file whose pairing is saved", async () => {
    const spooled = await attempt("needs_recovery", "write_failed", "T-SPOOL");
    writeSpool({ attemptId: spooled, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: userId, failure: "x", result: result("T-SPOOL") });
    const inLog = await attempt("needs_recovery", CREDENTIALS_IN_LOG, "T-LOG");
    const missing = await attempt("needs_recovery", "write_failed", "T-MISSING");
    // Saved, but its spool file could not be removed after the commit.
    const saved = await attempt("succeeded", null, "T-SAVED");
    await pairing(await terminal("sandbox", "T-SAVED"), "active", saved);
    writeSpool({ attemptId: saved, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: userId, failure: "x", result: result("T-SAVED") });

    const { needsRecovery } = await queryDashboard(staff(db));
    expect(needsRecovery.map((r) => [r.attemptId, r.terminalId, r.source, r.by])).toEqual([
      [spooled, "T-SPOOL", "spool", "admin@example.com"],
      [inLog, "T-LOG", "log", "admin@example.com"],
      [missing, "T-MISSING", "missing", "admin@example.com"],
    ]);
  });
});
