import { testDataDir } from "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { writeSpool } from "../pairing/recovery";
import { CREDENTIALS_IN_LOG } from "../pairing/recovery-record";
import { createUser } from "../users/users";
import { queryDashboard } from "./queries";
import { staff, testMerchant } from "../test/merchants";

let db: DB;
let userId: number;

function terminal(environment: "production" | "sandbox", terminalId: string): number {
  return Number(
    db.$client.prepare("insert into terminals (merchant_id, environment, terminal_id) values (1, ?, ?)").run(environment, terminalId).lastInsertRowid,
  );
}

function pairing(terminalRef: number, status: "active" | "replaced" | "unpaired", attemptId: number | null = null): number {
  return Number(
    db.$client
      .prepare(
        "insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, attempt_id, created_by_id) values (1, ?, ?, 'Till', ?, 0, ?, ?, ?)",
      )
      .run(terminalRef, `pc-${terminalRef}-${status}-${Math.random()}`, `c-${Math.random()}`, status, attemptId, userId).lastInsertRowid,
  );
}

function attempt(status: string, errorCode: string | null = null, terminalId: string | null = null): number {
  return Number(
    db.$client
      .prepare(
        "insert into pairing_attempts (merchant_id, request_key, environment, name, status, error_code, terminal_id, created_by_id) values (1, ?, 'sandbox', 'Till', ?, ?, ?, ?)",
      )
      .run(`k-${Math.random()}`, status, errorCode, terminalId, userId).lastInsertRowid,
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
  db = openDatabase(":memory:");
  await testMerchant(db);
  userId = (await createUser(db, { email: "admin@example.com", password: "a-long-test-password", role: "admin" })).id;
  fs.rmSync(path.join(testDataDir, "recovery"), { recursive: true, force: true });
});

describe("queryDashboard", () => {
  it("counts paired, unpaired and never-paired terminals per environment", async () => {
    // Terminal 1's pairing is pairing 1: the old query compared the pairing's id with its own
    // terminal_ref, found this one, and counted every terminal as paired.
    const p1 = terminal("production", "P-1");
    pairing(p1, "active");
    const p2 = terminal("production", "P-2");
    pairing(p2, "unpaired"); // unpaired after a pairing
    const p3 = terminal("production", "P-3");
    pairing(p3, "replaced"); // replaced, nothing active: unpaired
    terminal("production", "P-4"); // never paired
    terminal("production", "P-5"); // never paired
    const s1 = terminal("sandbox", "S-1");
    pairing(s1, "unpaired");
    terminal("sandbox", "S-2"); // never paired

    const { byEnvironment } = await queryDashboard(staff(db));
    expect(byEnvironment.sort((a, b) => a.environment.localeCompare(b.environment))).toEqual([
      { environment: "production", total: 5, paired: 1, unpaired: 2, neverPaired: 2 },
      { environment: "sandbox", total: 2, paired: 0, unpaired: 1, neverPaired: 1 },
    ]);
  });

  it("lists what needs recovery with where its credentials are, and not a spool file whose pairing is saved", async () => {
    const spooled = attempt("needs_recovery", "write_failed", "T-SPOOL");
    writeSpool({ attemptId: spooled, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: userId, failure: "x", result: result("T-SPOOL") });
    const inLog = attempt("needs_recovery", CREDENTIALS_IN_LOG, "T-LOG");
    const missing = attempt("needs_recovery", "write_failed", "T-MISSING");
    // Saved, but its spool file could not be removed after the commit.
    const saved = attempt("succeeded", null, "T-SAVED");
    pairing(terminal("sandbox", "T-SAVED"), "active", saved);
    writeSpool({ attemptId: saved, environment: "sandbox", webhookUrl: null, webhookToken: null, createdById: userId, failure: "x", result: result("T-SAVED") });

    const { needsRecovery } = await queryDashboard(staff(db));
    expect(needsRecovery.map((r) => [r.attemptId, r.terminalId, r.source, r.by])).toEqual([
      [spooled, "T-SPOOL", "spool", "admin@example.com"],
      [inLog, "T-LOG", "log", "admin@example.com"],
      [missing, "T-MISSING", "missing", "admin@example.com"],
    ]);
  });
});
