/**
 * Pay-Connect pairs a terminal once per integration: a second pairing replaces the first (same
 * integrator only); the call log (status, terminal, never a secret); several terminals at once
 * (ensureSimulatedTerminals). Real SQLite, the simulator's real schema, a fake clock.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listCalls } from "./calls";
import type { SimulatorContext } from "./context";
import { openSimulatorDatabase } from "./db";
import { setFault } from "./faults";
import { handleCallsGet, handlePairRequest, handleTokenRequest, handleUnpairRequest } from "./http";
import {
  createTerminal,
  ensureSimulatedTerminals,
  generateOtp,
  getTerminalsWithPairings,
  listTerminals,
} from "./terminals";

const INTEGRATOR = "integrator-sim";
const OTHER_INTEGRATOR = "integrator-other";

let clock = Date.UTC(2025, 0, 1, 12, 0, 0);
let ctx: SimulatorContext;

beforeEach(() => {
  clock = Date.UTC(2025, 0, 1, 12, 0, 0);
  ctx = {
    db: openSimulatorDatabase(":memory:"),
    now: () => clock,
    integratorIds: new Set([INTEGRATOR, OTHER_INTEGRATOR]),
    defaultSlowDelayMs: 17_000,
    sleep: async (ms) => {
      clock += ms;
    },
  };
});

afterEach(() => {
  if (ctx.db.open) ctx.db.close();
});

function post(path: string, body: unknown, extra: Record<string, string> = {}, integrator: string | null = INTEGRATOR): Request {
  const headers = new Headers({ "Content-Type": "application/json", ...extra });
  if (integrator !== null) headers.set("X-Pay-Connect-Integrator-Id", integrator);
  return new Request(`http://sim/simulator/api${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

type Credentials = { pay_connect_id: string; client_id: string; client_secret: string; terminal_id: string };

async function pairOver(terminalId: string, name: string, integrator = INTEGRATOR): Promise<Credentials & { otp: string }> {
  const otp = generateOtp(ctx, terminalId)!.otp;
  const res = await handlePairRequest(ctx, post("/v1/pay-connect/pair/", { name, otp }, {}, integrator));
  expect(res.status).toBe(200);
  return { ...((await res.json()) as Credentials), otp };
}

async function tokenOver(c: { client_id: string; client_secret: string }): Promise<Response> {
  return handleTokenRequest(
    ctx,
    post("/v1/auth/token/", { grant_type: "client_credentials", client_id: c.client_id, client_secret: c.client_secret }, {}, null),
  );
}

function unpairOver(token: string, integrator = INTEGRATOR): Promise<Response> {
  return handleUnpairRequest(ctx, post("/v1/pay-connect/unpair/", {}, { Authorization: `Bearer ${token}` }, integrator));
}

function pairingsOf(terminalId: string) {
  return getTerminalsWithPairings(ctx, [terminalId])[0]!.pairings;
}

describe("pairing a terminal again", () => {
  it("replaces the same integrator's active pairing, in the pair call: status replaced, replaced_at set", async () => {
    const t = createTerminal(ctx, { label: "Bar" });
    const first = await pairOver(t.terminalId, "First");
    clock += 60_000;
    const second = await pairOver(t.terminalId, "Second");
    expect(pairingsOf(t.terminalId)).toMatchObject([
      { payConnectId: second.pay_connect_id, name: "Second", status: "active", replacedAt: null },
      { payConnectId: first.pay_connect_id, name: "First", status: "replaced", replacedAt: clock, unpairedAt: null },
    ]);
    // Exactly one active pairing of the terminal remains.
    const active = ctx.db
      .prepare("SELECT count(*) AS n FROM pairings WHERE terminal_id = ? AND status = 'active'")
      .get(t.terminalId) as { n: number };
    expect(active.n).toBe(1);
  });

  it("the replaced pairing's credentials get the same 401 as unknown ones, and its token no longer unpairs", async () => {
    const t = createTerminal(ctx);
    const first = await pairOver(t.terminalId, "First");
    const oldToken = ((await (await tokenOver(first)).json()) as { access_token: string }).access_token;
    const second = await pairOver(t.terminalId, "Second");

    const refused = await tokenOver(first);
    const unknown = await tokenOver({ client_id: "sim_unknown", client_secret: first.client_secret });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(await unknown.json());

    const unpaired = await unpairOver(oldToken);
    expect(unpaired.status).toBe(401);
    expect(await unpaired.json()).toEqual({ detail: "Invalid or expired token" });
    // The replaced pairing stays replaced; the new one still works and was not unpaired.
    expect(pairingsOf(t.terminalId).map((p) => p.status)).toEqual(["active", "replaced"]);
    expect((await tokenOver(second)).status).toBe(200);
  });

  it("leaves another integrator's pairing of the same terminal, and other terminals, untouched", async () => {
    const t = createTerminal(ctx);
    const elsewhere = createTerminal(ctx);
    const other = await pairOver(t.terminalId, "Other integration", OTHER_INTEGRATOR);
    const kept = await pairOver(elsewhere.terminalId, "Elsewhere");
    const first = await pairOver(t.terminalId, "First");
    await pairOver(t.terminalId, "Second");
    expect(pairingsOf(t.terminalId).map((p) => [p.name, p.status])).toEqual([
      ["Second", "active"],
      ["First", "replaced"],
      ["Other integration", "active"],
    ]);
    expect(pairingsOf(elsewhere.terminalId).map((p) => p.status)).toEqual(["active"]);
    expect((await tokenOver(other)).status).toBe(200);
    expect((await tokenOver(kept)).status).toBe(200);
    expect((await tokenOver(first)).status).toBe(401);
  });

  it("a pair call refused (bad OTP, 500 fault) replaces nothing", async () => {
    const t = createTerminal(ctx);
    const first = await pairOver(t.terminalId, "First");
    const bad = await handlePairRequest(ctx, post("/v1/pay-connect/pair/", { name: "X", otp: "ZZZZZZZZ" }));
    expect(bad.status).toBe(400);
    setFault(ctx, { kind: "pair_500", terminal_id: t.terminalId });
    const otp = generateOtp(ctx, t.terminalId)!.otp;
    expect((await handlePairRequest(ctx, post("/v1/pay-connect/pair/", { name: "X", otp }))).status).toBe(500);
    expect(pairingsOf(t.terminalId).map((p) => p.status)).toEqual(["active"]);
    expect((await tokenOver(first)).status).toBe(200);
  });

  it("lists replaced_at over the terminals API", async () => {
    const t = createTerminal(ctx);
    await pairOver(t.terminalId, "First");
    await pairOver(t.terminalId, "Second");
    expect(listTerminals(ctx)[0]!.pairings.map((p) => p.status)).toEqual(["active", "replaced"]);
  });
});

describe("call log", () => {
  it("records each provider call with its terminal and status, newest first, and never a secret, OTP or token", async () => {
    const t = createTerminal(ctx);
    const first = await pairOver(t.terminalId, "First");
    clock += 1000;
    const token = ((await (await tokenOver(first)).json()) as { access_token: string }).access_token;
    clock += 1000;
    const second = await pairOver(t.terminalId, "Second");
    clock += 1000;
    expect((await tokenOver(first)).status).toBe(401);
    clock += 1000;
    expect((await unpairOver(token)).status).toBe(401);
    const secondToken = ((await (await tokenOver(second)).json()) as { access_token: string }).access_token;
    clock += 1000;
    setFault(ctx, { kind: "unpair_500", terminal_id: t.terminalId });
    expect((await unpairOver(secondToken)).status).toBe(500);
    clock += 1000;
    expect((await unpairOver(secondToken)).status).toBe(200);

    expect(listCalls(ctx, t.terminalId).map((c) => [c.call, c.status])).toEqual([
      ["unpair", 200],
      ["unpair", 500],
      ["token", 200],
      ["unpair", 401],
      ["token", 401],
      ["pair", 200],
      ["token", 200],
      ["pair", 200],
    ]);
    expect(listCalls(ctx, t.terminalId)[0]!.at).toBe(clock);

    // Over HTTP: the same, as {call, status, at}.
    const res = handleCallsGet(ctx, t.terminalId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { calls: { call: string; status: number; at: number }[] };
    expect(body.calls[0]).toEqual({ call: "unpair", status: 200, at: clock });
    expect(body.calls).toHaveLength(8);

    // Nothing secret anywhere in the table.
    const table = JSON.stringify(ctx.db.prepare("SELECT * FROM calls").all());
    for (const secret of [first.otp, second.otp, first.client_secret, second.client_secret, token, secondToken, first.client_id]) {
      expect(table).not.toContain(secret);
    }
  });

  it("records a call naming no known terminal with a null terminal, and keeps other terminals' calls apart", async () => {
    const a = createTerminal(ctx);
    const b = createTerminal(ctx);
    await pairOver(a.terminalId, "A");
    const bad = await handlePairRequest(ctx, post("/v1/pay-connect/pair/", { name: "X", otp: "ZZZZZZZZ" }));
    expect(bad.status).toBe(400);
    expect(ctx.db.prepare("SELECT call, terminal_id, status FROM calls ORDER BY id").all()).toEqual([
      { call: "pair", terminal_id: a.terminalId, status: 200 },
      { call: "pair", terminal_id: null, status: 400 },
    ]);
    expect(listCalls(ctx, b.terminalId)).toEqual([]);
  });

  it("a call log that cannot be written never costs the answer: the pair call still returns its credentials", async () => {
    const t = createTerminal(ctx);
    ctx.db.exec("CREATE TRIGGER calls_refused BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const paired = await pairOver(t.terminalId, "Kept");
    expect(paired.client_secret).toBeTruthy();
    expect(pairingsOf(t.terminalId).map((p) => p.status)).toEqual(["active"]);
    expect(listCalls(ctx, t.terminalId)).toEqual([]);
  });

  it("GET calls answers 400 for a malformed terminal id and 404 for an unknown one", async () => {
    const malformed = handleCallsGet(ctx, "nope");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ detail: "terminal_id must be a simulated terminal id like SIM-AB12CD34" });
    expect(handleCallsGet(ctx, "SIM-NOPE0000").status).toBe(404);
  });
});

describe("ensureSimulatedTerminals", () => {
  it("creates the missing terminals once: a second run returns the same ones and adds none", () => {
    const existing = createTerminal(ctx, { label: "Counter 2" });
    const first = ensureSimulatedTerminals(ctx, ["Counter 1", " Counter 2 "]);
    expect(first.map((t) => t.label)).toEqual(["Counter 1", "Counter 2"]);
    expect(first[1]!.terminalId).toBe(existing.terminalId);
    const second = ensureSimulatedTerminals(ctx, ["Counter 1", "Counter 2"]);
    expect(second).toEqual(first);
    expect(listTerminals(ctx)).toHaveLength(2);
    // The same label twice is one terminal.
    expect(ensureSimulatedTerminals(ctx, ["Counter 1", "Counter 1"]).map((t) => t.terminalId)).toEqual([
      first[0]!.terminalId,
      first[0]!.terminalId,
    ]);
    expect(listTerminals(ctx)).toHaveLength(2);
  });

  it("refuses an empty label and creates nothing", () => {
    expect(() => ensureSimulatedTerminals(ctx, ["Counter 1", "  "])).toThrow("label cannot be empty");
    expect(listTerminals(ctx)).toHaveLength(0);
  });
});

describe("a simulator file made before pairings could be replaced", () => {
  it("is rebuilt on open, keeping its pairings and tokens; opening it again changes nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-sim-"));
    try {
      const file = path.join(dir, "old.db");
      const old = new Database(file);
      old.exec(`
        CREATE TABLE terminals (terminal_id TEXT PRIMARY KEY, label TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE pairings (
          pay_connect_id TEXT PRIMARY KEY,
          terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id) ON DELETE CASCADE,
          name TEXT NOT NULL, webhook_url TEXT, integrator_id TEXT NOT NULL, client_id TEXT NOT NULL UNIQUE,
          client_secret_sha256 TEXT NOT NULL, webhook_secret_key TEXT,
          status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unpaired')),
          created_at INTEGER NOT NULL, unpaired_at INTEGER);
        CREATE TABLE tokens (token_sha256 TEXT PRIMARY KEY,
          pay_connect_id TEXT NOT NULL REFERENCES pairings(pay_connect_id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
        INSERT INTO terminals VALUES ('SIM-AAAAAAAA', 'Old', 1);
        INSERT INTO pairings (pay_connect_id, terminal_id, name, integrator_id, client_id, client_secret_sha256, created_at)
          VALUES ('p-1', 'SIM-AAAAAAAA', 'Old pairing', '${INTEGRATOR}', 'sim_old', 'ab', 1);
        INSERT INTO tokens VALUES ('cd', 'p-1', 9999999999999);
      `);
      old.close();

      ctx.db.close();
      ctx = { ...ctx, db: openSimulatorDatabase(file) };
      expect(pairingsOf("SIM-AAAAAAAA")).toMatchObject([{ payConnectId: "p-1", status: "active", replacedAt: null }]);
      expect(ctx.db.prepare("SELECT count(*) AS n FROM tokens").get()).toEqual({ n: 1 });
      // The new pairing replaces the old one: the rebuilt table accepts the status.
      await pairOver("SIM-AAAAAAAA", "New");
      expect(pairingsOf("SIM-AAAAAAAA").map((p) => p.status)).toEqual(["active", "replaced"]);
      ctx.db.close();

      ctx = { ...ctx, db: openSimulatorDatabase(file) };
      expect(pairingsOf("SIM-AAAAAAAA").map((p) => p.status)).toEqual(["active", "replaced"]);
      expect(ctx.db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(ctx.db.pragma("foreign_key_check")).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
