/**
 * Pairings and routes together, through the real pairing path: pairing a terminal again replaces
 * its pairing in one write (old secrets gone, no unpair call, its registers go on through the
 * new pairing); a pairing made from a register's page routes it in the same write; a pair again
 * that answers for another terminal is kept and flagged; unpairing leaves the registers unrouted.
 */
import { testDataDir } from "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { refuseWrites } from "../test/faults";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { merchantScope, queryContext } from "../auth/scope";
import { rawQuery, type DB } from "../db/open";
import { pairTerminal, type PairTerminalInput } from "../pairing/pair-terminal";
import { readCredentials } from "../pairing/credentials";
import { completeRecovery } from "../pairing/complete-recovery";
import { unpairPairing } from "../pairing/unpair";
import type { PairingProvider, PairResult } from "../providers/types";
import { staff, testMerchant } from "../test/merchants";
import { createUser } from "../users/users";
import { createLocation } from "./locations";
import { createRegister } from "./registers";
import { routeRegister } from "./routing";

let db: DB;
let merchant: number;
let actor: { id: number; email: string };
let unpairCalls: number;
let key = 0;
const rows = (sql: string, ...args: unknown[]) => rawQuery<Record<string, unknown>>(db, sql, args);

function provider(result: PairResult): PairingProvider {
  return {
    provider: "in-process",
    label: "Test provider",
    environment: "sandbox",
    unavailableReason: null,
    pairTimeoutMs: 1000,
    pair: async () => result,
    unpair: async () => {
      unpairCalls++;
    },
  };
}

const result = (terminalId: string, n: number): PairResult => ({
  payConnectId: `pc-${terminalId}-${n}`,
  payConnectName: `Till ${n}`,
  terminalId,
  clientId: `client-${terminalId}-${n}`,
  clientSecret: `cs_${terminalId}_${n}_0123456789abcdefghijklmnop`,
  webhookSecretKey: `whsec_${terminalId}_${n}_0123456789abcdefghij`,
});

async function pair(r: PairResult, extra: Partial<PairTerminalInput> = {}) {
  const out = await pairTerminal(
    db,
    provider(r),
    {
      requestKey: `00000000-0000-4000-a000-${String(++key).padStart(12, "0")}`,
      merchantId: merchant,
      environment: "sandbox",
      name: r.payConnectName,
      otp: "ABCD2345",
      webhookUrl: null,
      webhookToken: null,
      ...extra,
    },
    actor,
  );
  if (out.kind !== "paired") throw new Error(`not paired: ${JSON.stringify(out)}`);
  return out;
}

let till: number;
let lane: number;
let other: number;

beforeEach(async () => {
  fs.rmSync(path.join(testDataDir, "recovery"), { recursive: true, force: true });
  db = await openTestDatabase();
  merchant = await testMerchant(db);
  const u = await createUser(db, { email: "ops@example.com", password: "a-long-test-password", role: "admin" });
  actor = { id: u.id, email: u.email };
  unpairCalls = 0;
  const ctx = staff(db);
  const loc = await createLocation(ctx, merchant, { name: "Front", address: "", timeZone: "UTC" }, actor);
  till = (await createRegister(ctx, { locationId: loc.id, kind: "physical", parentId: null, name: "Till 1", externalRef: null }, actor)).id;
  lane = (await createRegister(ctx, { locationId: loc.id, kind: "virtual", parentId: till, name: "Lane A", externalRef: null }, actor)).id;
  other = (await createRegister(ctx, { locationId: loc.id, kind: "physical", parentId: null, name: "Till 2", externalRef: null }, actor)).id;
});

describe("pair again", () => {
  it("replaces the pairing in one write: old secrets gone, no unpair call, registers on the new pairing", async () => {
    const first = await pair(result("T-1", 1));
    await routeRegister(staff(db), till, first.terminalRef, actor);
    await routeRegister(staff(db), lane, first.terminalRef, actor);
    const second = await pair(result("T-1", 2), { intendedTerminalRef: first.terminalRef });

    expect(second.terminalRef).toBe(first.terminalRef);
    expect(second.replacedPairingIds).toEqual([first.pairingId]);
    expect(second.warning).toBeNull();
    expect(unpairCalls).toBe(0);
    expect(await rows("select id, status, replaced_by_id from pairings order by id")).toEqual([
      { id: first.pairingId, status: "replaced", replaced_by_id: second.pairingId },
      { id: second.pairingId, status: "active", replaced_by_id: null },
    ]);
    expect(await rows("select distinct pairing_id from pairing_secrets")).toEqual([{ pairing_id: second.pairingId }]);
    await expect(() => readCredentials(db, { id: first.pairingId, clientId: "client-T-1-1" })).rejects.toThrow();
    // The registers route to the terminal; its active pairing is the new one.
    expect(
      await rows(
        "select r.name, p.id as pairing from registers r join pairings p on p.terminal_ref = r.terminal_ref and p.status = 'active' order by r.id",
      ),
    ).toEqual([
      { name: "Till 1", pairing: second.pairingId },
      { name: "Lane A", pairing: second.pairingId },
    ]);
    expect(await rows("select action, target_id from audit_log where action = 'pairing.replace'")).toEqual([
      { action: "pairing.replace", target_id: String(first.pairingId) },
    ]);
  });

  it("keeps and flags a pairing of another terminal than the one meant; the meant one is untouched", async () => {
    const meant = await pair(result("T-1", 1));
    const out = await pair(result("T-OTHER", 1), { intendedTerminalRef: meant.terminalRef });
    expect(out.terminalRef).not.toBe(meant.terminalRef);
    expect(out.warning).toMatch(/came from terminal T-OTHER, not from T-1/);
    expect(out.warning).not.toMatch(/which replaced/);
    expect((await rows("select warning from pairing_attempts where id = ?", out.attemptId))[0]!.warning).toBe(out.warning);
    expect(await rows("select status from pairings where id = ?", meant.pairingId)).toEqual([{ status: "active" }]);
    expect(await rows("select count(*) as n from pairing_secrets where pairing_id = ?", out.pairingId)).toEqual([{ n: 2 }]);
    // Again, now that T-OTHER has a pairing: the warning names the pairing it replaced there.
    const again = await pair(result("T-OTHER", 2), { intendedTerminalRef: meant.terminalRef });
    const replacedName = (await rows("select name from pairings where id = ?", out.pairingId))[0]!.name;
    expect(again.warning).toContain(`which replaced “${replacedName}” on T-OTHER`);
    expect(again.warning).toContain("It took the name typed for T-1.");
  });

  it("a pair again whose write fails loses nothing: the old pairing stays active until the recovery replaces it", async () => {
    const first = await pair(result("T-1", 1));
    await routeRegister(staff(db), till, first.terminalRef, actor);
    // The write after Pay-Connect's 200 fails (a stop mid-write): the result waits in the spool.
    const uncut = await refuseWrites(db, "cut", "pairings", "process killed");
    const out = await pairTerminal(
      db,
      provider(result("T-1", 2)),
      {
        requestKey: "00000000-0000-4000-a000-888888888888",
        merchantId: merchant,
        environment: "sandbox",
        name: "Again",
        otp: "ABCD2345",
        webhookUrl: null,
        webhookToken: null,
        intendedTerminalRef: first.terminalRef,
      },
      actor,
    );
    expect(out.kind).toBe("needs_recovery");
    // Nothing half-done: the old pairing and its secrets and the route are as they were.
    expect(await rows("select id, status from pairings")).toEqual([{ id: first.pairingId, status: "active" }]);
    expect(await rows("select count(*) as n from pairing_secrets where pairing_id = ?", first.pairingId)).toEqual([{ n: 2 }]);
    expect(await rows("select terminal_ref from registers where id = ?", till)).toEqual([{ terminal_ref: first.terminalRef }]);
    await uncut();

    const saved = await completeRecovery(staff(db), out.attemptId, actor);
    expect(saved.replacedPairingIds).toEqual([first.pairingId]);
    expect(await rows("select id, status from pairings order by id")).toEqual([
      { id: first.pairingId, status: "replaced" },
      { id: saved.pairingId, status: "active" },
    ]);
    expect(await rows("select distinct pairing_id from pairing_secrets")).toEqual([{ pairing_id: saved.pairingId }]);
    expect(await rows("select terminal_ref from registers where id = ?", till)).toEqual([{ terminal_ref: first.terminalRef }]);
    expect(unpairCalls).toBe(0);
  });
});

describe("a recovery completed after the terminal was paired again", () => {
  it("keeps the newer pairing active and the recovered one as replaced, without its dead credentials", async () => {
    const first = await pair(result("T-1", 1));
    await routeRegister(staff(db), till, first.terminalRef, actor);
    const uncut = await refuseWrites(db, "cut", "pairings", "process killed");
    const spooled = await pairTerminal(
      db,
      provider(result("T-1", 2)),
      { requestKey: "00000000-0000-4000-a000-777777777777", merchantId: merchant, environment: "sandbox", name: "Lost", otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      actor,
    );
    expect(spooled.kind).toBe("needs_recovery");
    await uncut();
    await new Promise((r) => setTimeout(r, 5));
    // Meanwhile someone pairs the terminal again: Pay-Connect now holds this third pairing.
    const third = await pair(result("T-1", 3));
    expect(third.replacedPairingIds).toEqual([first.pairingId]);

    const saved = await completeRecovery(staff(db), spooled.attemptId, actor);
    expect(saved.warning).toMatch(/paired again/);
    expect(await rows("select id, status, replaced_by_id from pairings order by id")).toEqual([
      { id: first.pairingId, status: "replaced", replaced_by_id: third.pairingId },
      { id: third.pairingId, status: "active", replaced_by_id: null },
      { id: saved.pairingId, status: "replaced", replaced_by_id: third.pairingId },
    ]);
    // The newer pairing's credentials are untouched; the recovered one's were not stored.
    expect(await rows("select distinct pairing_id from pairing_secrets")).toEqual([{ pairing_id: third.pairingId }]);
    expect(await rows("select terminal_ref from registers where id = ?", till)).toEqual([{ terminal_ref: first.terminalRef }]);
    const [recovered] = await rows("select status, warning is not null as warned from pairing_attempts where id = ?", spooled.attemptId);
    expect({ ...recovered, warned: Boolean(recovered!.warned) }).toEqual({ status: "succeeded", warned: true });
  });
});

describe("pairing from a register's page", () => {
  it("routes the register to the terminal in the same write", async () => {
    const out = await pair(result("T-9", 1), { registerRef: lane });
    expect(out.routed).toMatchObject({ changed: true, to: { ref: out.terminalRef } });
    expect(await rows("select terminal_ref from registers where id = ?", lane)).toEqual([{ terminal_ref: out.terminalRef }]);
    expect(await rows("select action from audit_log where action in ('pairing.create', 'register.route') order by id")).toEqual([
      { action: "pairing.create" },
      { action: "register.route" },
    ]);
  });

  it("keeps the pairing when the register cannot be routed (archived meanwhile), and says so", async () => {
    await rawQuery(db, "update registers set archived_at = 1 where id = ?", [other]);
    const out = await pair(result("T-9", 1), { registerRef: other });
    expect(out.routed).toBeNull();
    expect(out.warning).toMatch(/paired, but the register could not be routed/);
    expect(await rows("select status from pairings where id = ?", out.pairingId)).toEqual([{ status: "active" }]);
    expect(await rows("select terminal_ref from registers where id = ?", other)).toEqual([{ terminal_ref: null }]);
  });

  it("a terminal paired into another merchant leaves the first merchant's registers unrouted", async () => {
    const first = await pair(result("T-1", 1));
    await routeRegister(staff(db), till, first.terminalRef, actor);
    const elsewhere = await testMerchant(db, "Elsewhere");
    const moved = await pairTerminal(
      db,
      provider(result("T-1", 2)),
      { requestKey: "00000000-0000-4000-a000-999999999999", merchantId: elsewhere, environment: "sandbox", name: "Theirs", otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      actor,
    );
    expect(moved.kind).toBe("paired");
    expect(await rows("select terminal_ref from registers where id = ?", till)).toEqual([{ terminal_ref: null }]);
    expect(await rows("select status, ended_by_id from pairings where id = ?", first.pairingId)).toEqual([{ status: "replaced", ended_by_id: null }]);
    expect(await rows("select merchant_id, actor_id from audit_log where action = 'register.unroute'")).toEqual([{ merchant_id: merchant, actor_id: null }]);
  });
});

describe("unpair", () => {
  it("leaves the registers that routed to the terminal unrouted, and says how many", async () => {
    const p = await pair(result("T-1", 1));
    await routeRegister(staff(db), till, p.terminalRef, actor);
    await routeRegister(staff(db), lane, p.terminalRef, actor);
    const out = await unpairPairing(queryContext(db, merchantScope(merchant)), () => provider(result("T-1", 1)), p.pairingId, actor);
    expect(out).toMatchObject({ ok: true, unrouted: 2, message: expect.stringMatching(/2 registers that sent their payments to it are now unrouted/) });
    expect(unpairCalls).toBe(1);
    expect(await rows("select terminal_ref from registers order by id")).toEqual([{ terminal_ref: null }, { terminal_ref: null }, { terminal_ref: null }]);
    expect(await rows("select count(*) as n from audit_log where action = 'register.unroute'")).toEqual([{ n: 2 }]);
  });
});
