/**
 * The merchant rules that live in lib/ (not in the Next action wrappers), with two merchants'
 * data made through the real pairing path (lib/test/two-merchants.ts): another merchant's
 * pairing or attempt is not found and nothing changes; the merchant a pairing goes into;
 * suspending ends its own people's sessions only; a terminal that moves keeps each merchant's
 * history apart.
 */
import { testDataDir } from "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { refuseWrites } from "../test/faults";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/auth";
import { rawQuery, type DB } from "../db/open";
import { merchantScope, queryContext } from "../auth/scope";
import { completeRecovery } from "../pairing/complete-recovery";
import { DomainError } from "../errors";
import { pairTerminal } from "../pairing/pair-terminal";
import { listRecoverySpool } from "../pairing/recovery";
import { revealCredentials } from "../pairing/reveal";
import { unpairPairing } from "../pairing/unpair";
import type { PairingProvider } from "../providers/types";
import { activeSessionCount, createSession } from "../auth/sessions";
import { merchantCtx, testMerchant } from "../test/merchants";
import { providerAnswering, seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { CHOOSE_MERCHANT, merchantToPairInto, setMerchantStatus } from "./merchants";

const PASSWORD = "a-long-test-password";
const spoolDir = path.join(testDataDir, "recovery");

let db: DB;
let f: TwoMerchants;
type Row = Record<string, unknown>;
const all = (sql: string, ...args: unknown[]) => rawQuery<Row>(db, sql, args);
const one = async (sql: string, ...args: unknown[]): Promise<Row | undefined> => (await all(sql, ...args))[0];

/** Everything a refused call must leave as it was. */
const snapshot = async () => ({
  pairings: await all("select id, status, merchant_id, ended_by_id, ended_at from pairings order by id"),
  secrets: await all("select pairing_id, field from pairing_secrets order by pairing_id, field"),
  attempts: await all("select id, status, pairing_id, recovered_at from pairing_attempts order by id"),
  audit: await all("select id from audit_log order by id"),
});

function sessionUser(u: { id: number; email: string }, role: SessionUser["role"], merchantId: number | null): SessionUser {
  return { id: u.id, email: u.email, name: "", role, merchantId, merchantName: null };
}

/** A provider whose unpair must never be reached. */
let unpairCalls = 0;
const provider = (): PairingProvider => ({
  ...providerAnswering(() => {
    throw new Error("no pair call expected");
  }),
  unpair: async () => {
    unpairCalls++;
  },
});

beforeEach(async () => {
  db = await openTestDatabase();
  f = await seedTwoMerchants(db);
  unpairCalls = 0;
  fs.rmSync(spoolDir, { recursive: true, force: true });
});
afterEach(() => fs.rmSync(spoolDir, { recursive: true, force: true }));

describe("another merchant's objects are not found, and nothing changes", () => {
  it("unpairPairing: Alpha's scope cannot end Bravo's pairing (nor reach the provider); Bravo's can", async () => {
    const before = await snapshot();
    const refused = await unpairPairing(merchantCtx(db, f.alpha), provider, f.pairings.bravo, f.users.alphaAdmin);
    expect(refused).toEqual({ ok: false, code: "not_found", message: "That pairing does not exist." });
    expect(unpairCalls).toBe(0);
    expect(await snapshot()).toEqual(before);

    // Bravo's own pairing on the moved terminal is Bravo's; Alpha's old one there is not Bravo's.
    const movedAlpha = await unpairPairing(merchantCtx(db, f.bravo), provider, f.pairings.movedAlpha, f.users.bravoAdmin);
    expect(movedAlpha).toMatchObject({ ok: false, code: "not_found" });
    expect(await snapshot()).toEqual(before);

    const done = await unpairPairing(merchantCtx(db, f.bravo), provider, f.pairings.bravo, f.users.bravoAdmin);
    expect(done).toMatchObject({ ok: true });
    expect(unpairCalls).toBe(1);
    expect(await one("select status, ended_by_id from pairings where id = ?", f.pairings.bravo)).toEqual({
      status: "unpaired",
      ended_by_id: f.users.bravoAdmin.id,
    });
  });

  it("revealCredentials: even a staff admin's call, in Alpha's scope, does not find Bravo's pairing nor check the password", async () => {
    const admin = sessionUser(f.users.staffAdmin, "admin", null);
    const before = await snapshot();
    const refused = await revealCredentials(merchantCtx(db, f.alpha), f.pairings.bravo, admin, PASSWORD);
    expect(refused).toEqual({ ok: false, code: "not_found", message: "That pairing does not exist." });
    // No reveal and no denied-reveal entry: the audit log did not move.
    expect(await snapshot()).toEqual(before);
    const wrong = await revealCredentials(merchantCtx(db, f.alpha), f.pairings.bravo, admin, "not the password");
    expect(wrong).toMatchObject({ code: "not_found" });
    expect(await snapshot()).toEqual(before);

    const shown = await revealCredentials(merchantCtx(db, f.bravo), f.pairings.bravo, admin, PASSWORD);
    expect(shown).toMatchObject({ ok: true, credentials: { clientId: "client-bravo-1" } });
  });

  it("completeRecovery: Alpha's scope cannot complete Bravo's attempt; the spool file stays for Bravo's", async () => {
    // Bravo's pairing whose database write is cut off after the spool write.
    const uncutPairing = await refuseWrites(db, "cut_pairing", "pairings", "process killed");
    const uncutAttempt = await refuseWrites(db, "cut_attempt", "pairing_attempts", "process killed", "update");
    const cut = await pairTerminal(
      db,
      providerAnswering({
        payConnectId: "pc-bravo-9",
        payConnectName: "bravo till 9",
        terminalId: "T-BRAVO-9",
        clientId: "client-bravo-9",
        clientSecret: "cs_bravo_9_0123456789abcdefghijklmnop",
        webhookSecretKey: "whsec_bravo_9_0123456789abcdefghijkl",
      }),
      { requestKey: "00000000-0000-4000-b000-000000000009", merchantId: f.bravo, environment: "sandbox", name: "bravo till 9", otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      f.users.bravoAdmin,
    );
    await uncutPairing();
    await uncutAttempt();
    expect(listRecoverySpool().map((e) => e.attemptId)).toEqual([cut.attemptId]);
    const before = await snapshot();

    await expect(() => completeRecovery(merchantCtx(db, f.alpha), cut.attemptId, f.users.alphaAdmin)).rejects.toThrow(DomainError);
    expect(await snapshot()).toEqual(before);
    expect(listRecoverySpool().map((e) => e.attemptId)).toEqual([cut.attemptId]);
    expect(await one("select count(*) n from terminals where terminal_id = 'T-BRAVO-9'")).toEqual({ n: 0 });

    const saved = await completeRecovery(queryContext(db, merchantScope(f.bravo)), cut.attemptId, f.users.bravoAdmin);
    expect(await one("select merchant_id from pairings where id = ?", saved.pairingId)).toEqual({ merchant_id: f.bravo });
    expect(listRecoverySpool()).toEqual([]);
  });
});

describe("merchantToPairInto", () => {
  it("a merchant's people pair into their own merchant, whatever they chose", async () => {
    expect(await merchantToPairInto(db, { role: "merchant-admin", merchantId: f.alpha }, f.bravo)).toEqual({ ok: true, merchantId: f.alpha });
    expect(await merchantToPairInto(db, { role: "merchant-admin", merchantId: f.alpha }, undefined)).toEqual({ ok: true, merchantId: f.alpha });
    expect(await merchantToPairInto(db, { role: "merchant-admin", merchantId: f.alpha }, 999_999)).toEqual({ ok: true, merchantId: f.alpha });
  });

  it("staff pair into the merchant they chose, and must choose one", async () => {
    expect(await merchantToPairInto(db, { role: "support", merchantId: null }, f.bravo)).toEqual({ ok: true, merchantId: f.bravo });
    expect(await merchantToPairInto(db, { role: "admin", merchantId: null }, undefined)).toEqual({ ok: false, message: CHOOSE_MERCHANT });
    expect(await merchantToPairInto(db, { role: "admin", merchantId: null }, null)).toEqual({ ok: false, message: CHOOSE_MERCHANT });
  });

  it("an unknown or suspended merchant is refused, for staff and for its own people", async () => {
    expect(await merchantToPairInto(db, { role: "support", merchantId: null }, 999_999)).toEqual({
      ok: false,
      message: "That merchant does not exist. Reload the page and choose again.",
    });
    const closed = await testMerchant(db, "Closed Cafe", "suspended");
    expect(await merchantToPairInto(db, { role: "support", merchantId: null }, closed)).toEqual({
      ok: false,
      message: "Closed Cafe is suspended: nothing can be paired into it. Reactivate it on the Merchants page first.",
    });
    expect(await merchantToPairInto(db, { role: "merchant-admin", merchantId: closed }, f.alpha)).toEqual({
      ok: false,
      message: "Your merchant is suspended: nothing can be paired into it.",
    });
  });
});

describe("setMerchantStatus", () => {
  it("suspending ends the sessions of that merchant's people only; reactivating opens nothing again", async () => {
    const sessions = {
      alphaAdmin: await createSession(db, f.users.alphaAdmin.id),
      alphaViewer: await createSession(db, f.users.alphaViewer.id),
      bravoAdmin: await createSession(db, f.users.bravoAdmin.id),
      staffAdmin: await createSession(db, f.users.staffAdmin.id),
    };
    await createSession(db, f.users.alphaAdmin.id);
    expect(Object.keys(sessions)).toHaveLength(4);

    const out = await setMerchantStatus(db, f.alpha, "suspended", { id: f.users.staffAdmin.id, email: f.users.staffAdmin.email });
    expect(out).toMatchObject({ changed: true, sessionsEnded: 3, merchant: { id: f.alpha, status: "suspended" } });
    expect(await activeSessionCount(db, f.users.alphaAdmin.id)).toBe(0);
    expect(await activeSessionCount(db, f.users.alphaViewer.id)).toBe(0);
    expect(await activeSessionCount(db, f.users.bravoAdmin.id)).toBe(1);
    expect(await activeSessionCount(db, f.users.staffAdmin.id)).toBe(1);
    expect(await all("select end_reason r from sessions where user_id in (?, ?)", f.users.alphaAdmin.id, f.users.alphaViewer.id)).toEqual([
      { r: "merchant_suspended" },
      { r: "merchant_suspended" },
      { r: "merchant_suspended" },
    ]);
    // The audit entry is Alpha's, with the number of sessions ended.
    const entry = (await one("select action, merchant_id, details from audit_log where action = 'merchant.suspend'"))!;
    expect(entry).toMatchObject({ action: "merchant.suspend", merchant_id: f.alpha });
    expect(JSON.parse(String(entry.details))).toEqual({ name: "Alpha Foods", sessionsEnded: 3 });

    const back = await setMerchantStatus(db, f.alpha, "active", null);
    expect(back).toMatchObject({ changed: true, sessionsEnded: 0 });
    expect(await activeSessionCount(db, f.users.alphaAdmin.id)).toBe(0);
  });
});

describe("a terminal paired by another merchant", () => {
  it("moves to the new merchant; each merchant's audit entry is its own and never names the other", async () => {
    expect(await one("select merchant_id from terminals where id = ?", f.terminals.moved)).toEqual({ merchant_id: f.bravo });
    expect(await all("select id, merchant_id, status from pairings where terminal_ref = ? order by id", f.terminals.moved)).toEqual([
      { id: f.pairings.movedAlpha, merchant_id: f.alpha, status: expect.any(String) },
      { id: f.pairings.movedBravo, merchant_id: f.bravo, status: "active" },
    ]);
    const entries = await all(
      "select merchant_id, actor_id, actor_email, details from audit_log where action = 'pairing.create' and target_id in (?, ?) order by id",
      String(f.pairings.movedAlpha),
      String(f.pairings.movedBravo),
    );
    expect(entries.map((e) => [e.merchant_id, e.actor_id])).toEqual([
      [f.alpha, f.users.alphaAdmin.id],
      [f.bravo, f.users.bravoAdmin.id],
    ]);
    const [alphaEntry, bravoEntry] = entries.map((e) => JSON.stringify(e).toLowerCase());
    expect(alphaEntry).not.toContain("bravo");
    expect(bravoEntry).not.toContain("alpha");
    // Every audit entry filed under a merchant names only that merchant's word.
    for (const e of await all("select merchant_id, actor_email, details from audit_log where merchant_id is not null")) {
      const text = JSON.stringify(e).toLowerCase();
      expect(text).not.toContain(e.merchant_id === f.alpha ? "bravo" : "alpha");
    }
  });
});

describe("a merchant suspended while one of its terminals is being paired", () => {
  it("saves nothing into it: the result waits in the recovery spool until it is reactivated, then completes", async () => {
    const admin = { id: f.users.staffAdmin.id, email: f.users.staffAdmin.email };
    // The suspension lands during the pair call, after the check before it.
    const provider: PairingProvider = {
      ...providerAnswering({
        payConnectId: "pc-alpha-suspended",
        payConnectName: "alpha late till",
        terminalId: "T-ALPHA-LATE",
        clientId: "client-alpha-late",
        clientSecret: "cs_alpha_late_0123456789abcdefghij",
        webhookSecretKey: null,
      }),
    };
    const pair = provider.pair;
    provider.pair = async (input) => {
      await setMerchantStatus(db, f.alpha, "suspended", admin);
      return pair(input);
    };
    const out = await pairTerminal(
      db,
      provider,
      { requestKey: crypto.randomUUID(), merchantId: f.alpha, environment: "sandbox", name: "alpha late till", otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      admin,
    );
    expect(out).toMatchObject({ kind: "needs_recovery", code: "merchant_suspended" });
    expect(await one("select count(*) as n from terminals where terminal_id = 'T-ALPHA-LATE'")).toEqual({ n: 0 });
    expect(listRecoverySpool().map((s) => s.attemptId)).toContain(out.attemptId);

    const staff = queryContext(db, { kind: "all" });
    await expect(() => completeRecovery(staff, out.attemptId, admin)).rejects.toThrow(/merchant is suspended/);
    await setMerchantStatus(db, f.alpha, "active", admin);
    const saved = await completeRecovery(staff, out.attemptId, admin);
    expect(await one("select merchant_id, status from pairings where id = ?", saved.pairingId)).toEqual({ merchant_id: f.alpha, status: "active" });
  });
});
