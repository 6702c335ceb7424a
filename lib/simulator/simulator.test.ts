import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorContext } from "./context";
import { openSimulatorDatabase } from "./db";
import { clearFaults, listFaults, setFault, takeFault } from "./faults";
import {
  handleFaultsDelete,
  handleFaultsPost,
  handleOtpRequest,
  handlePairRequest,
  handleTerminalsGet,
  handleTerminalsPost,
  handleTokenRequest,
  handleUnpairRequest,
  MAX_BODY_BYTES,
  readBody,
} from "./http";
import { issueToken, pair, unpair } from "./provider";
import {
  OTP_ALPHABET,
  OTP_LIFETIME_MS,
  TERMINAL_ID_PATTERN,
  createTerminal,
  currentOtp,
  generateOtp,
  listTerminals,
  unpairOnTerminal,
} from "./terminals";

const INTEGRATOR = "integrator-sim";

let clock = Date.UTC(2025, 0, 1, 12, 0, 0);
let ctx: SimulatorContext;
let slept: number[];

beforeEach(() => {
  clock = Date.UTC(2025, 0, 1, 12, 0, 0);
  slept = [];
  ctx = {
    db: openSimulatorDatabase(":memory:"),
    now: () => clock,
    integratorIds: new Set([INTEGRATOR]),
    defaultSlowDelayMs: 17_000,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  };
});

afterEach(() => {
  ctx.db.close();
});

function headers(extra: Record<string, string> = {}, integrator: string | null = INTEGRATOR): Headers {
  const h = new Headers({ "Content-Type": "application/json", ...extra });
  if (integrator !== null) h.set("X-Pay-Connect-Integrator-Id", integrator);
  return h;
}

function pairWith(otp: string, extra: Record<string, unknown> = {}) {
  return pair(ctx, { headers: headers(), body: JSON.stringify({ name: "Front desk", otp, ...extra }) });
}

function pairedCredentials(webhookUrl?: string) {
  const t = createTerminal(ctx);
  const otp = generateOtp(ctx, t.terminalId)!.otp;
  const res = pairWith(otp, webhookUrl ? { webhook_url: webhookUrl } : {});
  expect(res.status).toBe(200);
  return { terminal: t, body: res.body as Record<string, string | null> };
}

function tokenFor(clientId: string, clientSecret: string) {
  return issueToken(ctx, {
    headers: headers(),
    body: JSON.stringify({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
}

/** A request to the simulator's test-driving API at http://sim, JSON unless told otherwise. */
function simRequest(method: string, path: string, body?: string, extra: Record<string, string> = {}): Request {
  const h = new Headers(extra);
  if (body !== undefined && !h.has("Content-Type")) h.set("Content-Type", "application/json");
  return new Request(`http://sim${path}`, { method, headers: h, body });
}

describe("terminals and OTPs", () => {
  it("creates terminals with SIM- ids and default labels", () => {
    const a = createTerminal(ctx);
    const b = createTerminal(ctx, { label: "  Bar counter  " });
    expect(a.terminalId).toMatch(TERMINAL_ID_PATTERN);
    expect(a.label).toBe("Simulated terminal 1");
    expect(b.label).toBe("Bar counter");
    expect(listTerminals(ctx).map((t) => t.terminalId)).toEqual([a.terminalId, b.terminalId]);
  });

  it("generates 8-character OTPs from the alphabet, valid 5 minutes", () => {
    const t = createTerminal(ctx);
    const otp = generateOtp(ctx, t.terminalId)!;
    expect(otp.otp).toHaveLength(8);
    expect([...otp.otp].every((c) => OTP_ALPHABET.includes(c))).toBe(true);
    expect(otp.expiresAt).toBe(clock + OTP_LIFETIME_MS);
    expect(currentOtp(ctx, t.terminalId)?.otp).toBe(otp.otp);
    expect(generateOtp(ctx, "SIM-NOPE0000")).toBeNull();
  });

  it("OTPs are unique", () => {
    const t = createTerminal(ctx);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(generateOtp(ctx, t.terminalId)!.otp);
    expect(seen.size).toBe(200);
  });

  it("an OTP pairs once", () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    const first = pairWith(otp);
    expect(first.status).toBe(200);
    expect(first.body.terminal_id).toBe(t.terminalId);
    expect(currentOtp(ctx, t.terminalId)).toBeNull();
    const second = pairWith(otp);
    expect(second).toEqual({ status: 400, body: { detail: "OTP already used" } });
  });

  it("an OTP is accepted whatever its case and white space, and still only once", () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    const typed = ` ${otp.slice(0, 4).toLowerCase()} ${otp.slice(4)}\t`;
    const first = pairWith(typed);
    expect(first.status).toBe(200);
    expect(first.body.terminal_id).toBe(t.terminalId);
    expect(pairWith(otp.toLowerCase())).toEqual({ status: 400, body: { detail: "OTP already used" } });
    // Another character is another OTP.
    const next = generateOtp(ctx, t.terminalId)!.otp;
    const wrong = `${next.slice(0, 7)}${next[7] === "A" ? "B" : "A"}`;
    expect(pairWith(wrong.toLowerCase()).status).toBe(400);
    expect(currentOtp(ctx, t.terminalId)?.otp).toBe(next);
  });

  it("an OTP expires after 5 minutes", () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    clock += OTP_LIFETIME_MS - 1;
    expect(currentOtp(ctx, t.terminalId)?.otp).toBe(otp);
    clock += 1;
    expect(currentOtp(ctx, t.terminalId)).toBeNull();
    expect(pairWith(otp)).toEqual({ status: 400, body: { detail: "OTP expired" } });
  });

  it("an unknown OTP is refused", () => {
    createTerminal(ctx);
    expect(pairWith("ZZZZZZZZ")).toEqual({ status: 400, body: { detail: "Invalid OTP" } });
  });
});

describe("pair", () => {
  it("returns the documented response and stores only a hash of the client secret", () => {
    const { terminal, body } = pairedCredentials("https://pairdesk.example/api/webhooks/pay-connect/x");
    expect(Object.keys(body).sort()).toEqual(
      ["client_id", "client_secret", "pay_connect_id", "pay_connect_name", "terminal_id", "webhook_secret_key"].sort(),
    );
    expect(body.pay_connect_name).toBe("Front desk");
    expect(body.terminal_id).toBe(terminal.terminalId);
    expect(body.client_secret!.length).toBeGreaterThanOrEqual(43);
    expect(typeof body.webhook_secret_key).toBe("string");
    const row = ctx.db.prepare("SELECT * FROM pairings").get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(body.client_secret!);
    expect(row.integrator_id).toBe(INTEGRATOR);
    expect(row.status).toBe("active");
    expect(listTerminals(ctx)[0]!.pairings).toHaveLength(1);
  });

  it("answers webhook_secret_key null without a webhook URL", () => {
    expect(pairedCredentials().body.webhook_secret_key).toBeNull();
  });

  it("requires a known integrator id", () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    const body = JSON.stringify({ name: "A", otp });
    expect(pair(ctx, { headers: headers({}, null), body })).toEqual({
      status: 400,
      body: { detail: "Missing X-Pay-Connect-Integrator-Id header" },
    });
    expect(pair(ctx, { headers: headers({}, "someone-else"), body }).status).toBe(400);
    // The OTP was not consumed by the refused calls.
    expect(pairWith(otp).status).toBe(200);
  });

  it("refuses invalid JSON and missing fields", () => {
    expect(pair(ctx, { headers: headers(), body: "{nope" })).toEqual({
      status: 400,
      body: { detail: "Invalid JSON body" },
    });
    const missing = pair(ctx, { headers: headers(), body: JSON.stringify({ name: "A" }) });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain("otp");
  });
});

describe("token and unpair", () => {
  it("issues a token for valid credentials, expires_in as a string", () => {
    const { body } = pairedCredentials();
    const res = tokenFor(body.client_id!, body.client_secret!);
    expect(res.status).toBe(200);
    expect(res.body.expires_in).toBe("3600");
    expect(res.body.token_type).toBe("Bearer");
    expect(typeof res.body.access_token).toBe("string");
    const stored = ctx.db.prepare("SELECT token_sha256 FROM tokens").all() as { token_sha256: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_sha256).not.toBe(res.body.access_token);
  });

  it("refuses bad client credentials with 401", () => {
    const { body } = pairedCredentials();
    expect(tokenFor(body.client_id!, "wrong").status).toBe(401);
    expect(tokenFor("sim_unknown", body.client_secret!).status).toBe(401);
    const badGrant = issueToken(ctx, {
      headers: headers(),
      body: JSON.stringify({ grant_type: "password", client_id: body.client_id, client_secret: body.client_secret }),
    });
    expect(badGrant.status).toBe(400);
  });

  it("unpairs with a valid bearer, then refuses the token and the credentials", () => {
    const { terminal, body } = pairedCredentials();
    const token = tokenFor(body.client_id!, body.client_secret!).body.access_token as string;
    const req = { headers: headers({ Authorization: `Bearer ${token}` }), body: "{}" };
    expect(unpair(ctx, req)).toEqual({ status: 200, body: { detail: "Unpaired" } });
    expect(listTerminals(ctx).find((t) => t.terminalId === terminal.terminalId)!.pairings[0]!.status).toBe("unpaired");
    expect(unpair(ctx, req).status).toBe(401);
    expect(tokenFor(body.client_id!, body.client_secret!).status).toBe(401);
  });

  it("unpairing on the terminal ends its pairing: the token, the credentials and unpair are refused after it", () => {
    const { terminal, body } = pairedCredentials();
    const token = tokenFor(body.client_id!, body.client_secret!).body.access_token as string;
    const other = pairedCredentials();
    expect(unpairOnTerminal(ctx, terminal.terminalId)).toBe(1);
    expect(listTerminals(ctx).find((t) => t.terminalId === terminal.terminalId)!.pairings[0]!.status).toBe("unpaired");
    expect(unpair(ctx, { headers: headers({ Authorization: `Bearer ${token}` }), body: "{}" }).status).toBe(401);
    expect(tokenFor(body.client_id!, body.client_secret!).status).toBe(401);
    // Another terminal's pairing is untouched; a second press changes nothing.
    expect(tokenFor(other.body.client_id!, other.body.client_secret!).status).toBe(200);
    expect(unpairOnTerminal(ctx, terminal.terminalId)).toBe(0);
  });

  it("refuses a missing, unknown or expired bearer with 401", () => {
    const { body } = pairedCredentials();
    expect(unpair(ctx, { headers: headers(), body: "{}" }).status).toBe(401);
    expect(unpair(ctx, { headers: headers({ Authorization: "Bearer nope" }), body: "{}" }).status).toBe(401);
    const token = tokenFor(body.client_id!, body.client_secret!).body.access_token as string;
    clock += 3600 * 1000;
    expect(unpair(ctx, { headers: headers({ Authorization: `Bearer ${token}` }), body: "{}" }).status).toBe(401);
  });

  it("requires the integrator header on unpair", () => {
    const { body } = pairedCredentials();
    const token = tokenFor(body.client_id!, body.client_secret!).body.access_token as string;
    const res = unpair(ctx, { headers: headers({ Authorization: `Bearer ${token}` }, null), body: "{}" });
    expect(res.status).toBe(400);
  });
});

describe("faults", () => {
  it("are consumed one call at a time, oldest first, per call", () => {
    setFault(ctx, { kind: "pair_500" });
    setFault(ctx, { kind: "token_500", count: 2 });
    setFault(ctx, { kind: "pair_slow", delayMs: 1234 });
    expect(takeFault(ctx, "unpair", null)).toBeNull();
    expect(takeFault(ctx, "pair", null)?.kind).toBe("pair_500");
    expect(takeFault(ctx, "pair", null)).toMatchObject({ kind: "pair_slow", delayMs: 1234 });
    expect(takeFault(ctx, "pair", null)).toBeNull();
    expect(takeFault(ctx, "token", null)?.kind).toBe("token_500");
    expect(listFaults(ctx)).toMatchObject([{ kind: "token_500", remaining: 1 }]);
    clearFaults(ctx);
    expect(listFaults(ctx)).toEqual([]);
  });

  it("a fault scoped to a terminal is taken only by that terminal's calls; a global one by any", () => {
    const a = createTerminal(ctx).terminalId;
    const b = createTerminal(ctx).terminalId;
    setFault(ctx, { kind: "pair_500", terminal_id: a });
    expect(takeFault(ctx, "pair", b)).toBeNull();
    expect(takeFault(ctx, "pair", null)).toBeNull();
    expect(takeFault(ctx, "pair", a)).toMatchObject({ kind: "pair_500", terminalId: a });
    expect(takeFault(ctx, "pair", a)).toBeNull();

    setFault(ctx, { kind: "token_500" });
    setFault(ctx, { kind: "token_slow", terminal_id: a, delayMs: 10 });
    // Oldest first among those that apply: b takes the global one, a then its own.
    expect(takeFault(ctx, "token", b)).toMatchObject({ kind: "token_500", terminalId: null });
    expect(takeFault(ctx, "token", b)).toBeNull();
    expect(takeFault(ctx, "token", a)).toMatchObject({ kind: "token_slow", terminalId: a });
  });

  it("clearing one terminal's faults leaves the others' and the global ones", () => {
    const a = createTerminal(ctx).terminalId;
    const b = createTerminal(ctx).terminalId;
    setFault(ctx, { kind: "pair_500", terminal_id: a });
    setFault(ctx, { kind: "pair_500", terminal_id: b });
    setFault(ctx, { kind: "unpair_500" });
    clearFaults(ctx, a);
    expect(listFaults(ctx).map((f) => f.terminalId)).toEqual([b, null]);
    expect(listFaults(ctx, b)).toMatchObject([{ kind: "pair_500", terminalId: b }]);
    clearFaults(ctx);
    expect(listFaults(ctx)).toEqual([]);
  });

  it("a fault for an unknown or malformed terminal is refused", async () => {
    expect(() => setFault(ctx, { kind: "pair_500", terminal_id: "SIM-NOPE0000" })).toThrow(/No simulated terminal SIM-NOPE0000/);
    const unknown = await handleFaultsPost(ctx, simRequest("POST", "/faults", JSON.stringify({ kind: "pair_500", terminal_id: "SIM-NOPE0000" })));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toBe("No simulated terminal SIM-NOPE0000");
    const malformed = await handleFaultsPost(ctx, simRequest("POST", "/faults", JSON.stringify({ kind: "pair_500", terminal_id: "x" })));
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toContain("terminal_id must be a simulated terminal id");
    expect(handleFaultsDelete(ctx, simRequest("DELETE", "/faults?terminal_id=nope")).status).toBe(400);
    expect(listFaults(ctx)).toEqual([]);
  });

  it("over HTTP, each call takes only the faults of its own terminal: pair by OTP, token by client, unpair by bearer", async () => {
    const mine = pairedCredentials();
    const other = pairedCredentials();
    const post = async (body: Record<string, unknown>) =>
      (await handleFaultsPost(ctx, simRequest("POST", "/faults", JSON.stringify(body)))).status;
    // Pair: a fault on the other terminal does not touch a pair call with my OTP.
    const t = createTerminal(ctx);
    const otp = generateOtp(ctx, t.terminalId)!.otp;
    expect(await post({ kind: "pair_500", terminal_id: other.terminal.terminalId })).toBe(201);
    expect(await post({ kind: "pair_500", terminal_id: t.terminalId })).toBe(201);
    expect((await handlePairRequest(ctx, pairRequest(otp))).status).toBe(500);
    expect((await handlePairRequest(ctx, pairRequest(otp))).status).toBe(200);
    expect(listFaults(ctx)).toMatchObject([{ kind: "pair_500", terminalId: other.terminal.terminalId }]);

    // Token: scoped by the pairing of the client credentials.
    const tokenReq = (creds: Record<string, string | null>) =>
      new Request("http://sim/v1/auth/token/", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ grant_type: "client_credentials", client_id: creds.client_id, client_secret: creds.client_secret }),
      });
    expect(await post({ kind: "token_500", terminal_id: mine.terminal.terminalId })).toBe(201);
    expect((await handleTokenRequest(ctx, tokenReq(other.body))).status).toBe(200);
    expect((await handleTokenRequest(ctx, tokenReq(mine.body))).status).toBe(500);
    const token = ((await (await handleTokenRequest(ctx, tokenReq(mine.body))).json()) as { access_token: string }).access_token;
    const otherToken = ((await (await handleTokenRequest(ctx, tokenReq(other.body))).json()) as { access_token: string }).access_token;

    // Unpair: scoped by the bearer token's pairing.
    const unpairReq = (bearer: string) =>
      new Request("http://sim/v1/pay-connect/unpair/", {
        method: "POST",
        headers: headers({ Authorization: `Bearer ${bearer}` }),
        body: "{}",
      });
    expect(await post({ kind: "unpair_500", terminal_id: mine.terminal.terminalId })).toBe(201);
    expect((await handleUnpairRequest(ctx, unpairReq(otherToken))).status).toBe(200);
    expect((await handleUnpairRequest(ctx, unpairReq(token))).status).toBe(500);
    expect((await handleUnpairRequest(ctx, unpairReq(token))).status).toBe(200);

    // Clearing over HTTP by terminal leaves the other terminal's fault.
    expect(await post({ kind: "unpair_500", terminal_id: mine.terminal.terminalId })).toBe(201);
    const cleared = handleFaultsDelete(ctx, simRequest("DELETE", `/faults?terminal_id=${mine.terminal.terminalId}`));
    expect(cleared.status).toBe(200);
    expect(listFaults(ctx).map((f) => f.terminalId)).toEqual([other.terminal.terminalId]);
  });

  it("a slow fault defaults to the configured delay", () => {
    expect(setFault(ctx, { kind: "pair_slow" }).delayMs).toBe(17_000);
    expect(setFault(ctx, { kind: "pair_500" }).delayMs).toBeNull();
  });

  it("pair_500 answers 500 and leaves the OTP usable", async () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    setFault(ctx, { kind: "pair_500" });
    const res = await handlePairRequest(ctx, pairRequest(otp));
    expect(res.status).toBe(500);
    expect(listTerminals(ctx)[0]!.pairings).toHaveLength(0);
    expect((await handlePairRequest(ctx, pairRequest(otp))).status).toBe(200);
  });

  it("pair_slow waits, then still pairs", async () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    setFault(ctx, { kind: "pair_slow", delayMs: 20_000 });
    const res = await handlePairRequest(ctx, pairRequest(otp));
    expect(slept).toEqual([20_000]);
    expect(res.status).toBe(200);
    expect(listTerminals(ctx)[0]!.pairings).toHaveLength(1);
  });

  it("pair_malformed pairs but answers without client_secret", async () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    setFault(ctx, { kind: "pair_malformed" });
    const res = await handlePairRequest(ctx, pairRequest(otp));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.client_secret).toBeUndefined();
    expect(body.client_id).toBeTypeOf("string");
    expect(listTerminals(ctx)[0]!.pairings).toHaveLength(1);
  });

  it("token_500 and unpair_500 answer 500", async () => {
    const { body } = pairedCredentials();
    setFault(ctx, { kind: "token_500" });
    const tokenReq = () =>
      new Request("http://sim/v1/auth/token/", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ grant_type: "client_credentials", client_id: body.client_id, client_secret: body.client_secret }),
      });
    expect((await handleTokenRequest(ctx, tokenReq())).status).toBe(500);
    const token = ((await (await handleTokenRequest(ctx, tokenReq())).json()) as { access_token: string }).access_token;
    setFault(ctx, { kind: "unpair_500" });
    const unpairReq = () =>
      new Request("http://sim/v1/pay-connect/unpair/", {
        method: "POST",
        headers: headers({ Authorization: `Bearer ${token}` }),
        body: "{}",
      });
    expect((await handleUnpairRequest(ctx, unpairReq())).status).toBe(500);
    expect((await handleUnpairRequest(ctx, unpairReq())).status).toBe(200);
  });

  it("POST /faults validates its body", async () => {
    const post = (body: string) => handleFaultsPost(ctx, simRequest("POST", "/faults", body));
    expect((await post("{")).status).toBe(400);
    expect((await post(JSON.stringify({ kind: "nope" }))).status).toBe(400);
    expect((await post(JSON.stringify({ kind: "pair_slow", delayMs: 500 }))).status).toBe(201);
    expect(listFaults(ctx)).toMatchObject([{ kind: "pair_slow", delayMs: 500 }]);
  });
});

describe("request bodies", () => {
  /** A body streamed in 8 KiB chunks, with no Content-Length; counts the chunks pulled. */
  function streamed(total: number) {
    let pulled = 0;
    const chunk = new Uint8Array(8 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (sent >= total) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    return { body, pulled: () => pulled };
  }

  it("a body over the cap gets 413 with a clear message, is not read to the end, and changes nothing", async () => {
    const t = createTerminal(ctx);
    const { otp } = generateOtp(ctx, t.terminalId)!;
    const stream = streamed(10 * 1024 * 1024);
    const res = await handlePairRequest(
      ctx,
      new Request("http://sim/v1/pay-connect/pair/", { method: "POST", headers: headers(), body: stream.body, duplex: "half" } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      `Request body too large: the simulator accepts at most ${MAX_BODY_BYTES} bytes (64 KiB).`,
    );
    // Stopped right after the cap: 10 MiB would be 1280 chunks.
    expect(stream.pulled()).toBeLessThan(MAX_BODY_BYTES / 8192 + 4);
    expect(currentOtp(ctx, t.terminalId)?.otp).toBe(otp);
    expect(listTerminals(ctx)[0]!.pairings).toHaveLength(0);
  });

  it("a declared Content-Length over the cap is refused before reading; the test-driving endpoints cap too", async () => {
    const big = JSON.stringify({ kind: "pair_500", pad: "x".repeat(MAX_BODY_BYTES) });
    const faults = await handleFaultsPost(ctx, simRequest("POST", "/faults", big));
    expect(faults.status).toBe(413);
    expect(listFaults(ctx)).toEqual([]);
    const terminals = await handleTerminalsPost(ctx, simRequest("POST", "/terminals", JSON.stringify({ label: "x".repeat(MAX_BODY_BYTES) })));
    expect(terminals.status).toBe(413);
    expect(listTerminals(ctx)).toEqual([]);
    const declared = new Request("http://sim/v1/auth/token/", {
      method: "POST",
      headers: headers({ "Content-Length": String(MAX_BODY_BYTES + 1) }),
      body: "{}",
    });
    expect(await readBody(declared)).toBeNull();
    // At the cap exactly is fine.
    const atCap = "x".repeat(MAX_BODY_BYTES);
    expect(await readBody(new Request("http://sim/", { method: "POST", body: atCap }))).toBe(atCap);
  });
});

describe("test-driving endpoints", () => {
  it("create a terminal, generate its OTP, list it without secrets", async () => {
    const created = (await (
      await handleTerminalsPost(ctx, simRequest("POST", "/terminals", '{"label":"Till 1"}'))
    ).json()) as { terminal_id: string; label: string };
    expect(created.terminal_id).toMatch(TERMINAL_ID_PATTERN);
    expect(created.label).toBe("Till 1");

    const otpRes = handleOtpRequest(ctx, simRequest("POST", `/terminals/${created.terminal_id}/otp`, "{}"), created.terminal_id);
    expect(otpRes.status).toBe(201);
    const { otp, expires_at } = (await otpRes.json()) as { otp: string; expires_at: string };
    expect(Date.parse(expires_at)).toBe(clock + OTP_LIFETIME_MS);
    expect(handleOtpRequest(ctx, simRequest("POST", "/terminals/SIM-NOPE0000/otp", "{}"), "SIM-NOPE0000").status).toBe(404);

    const paired = await handlePairRequest(ctx, pairRequest(otp));
    const secret = ((await paired.json()) as { client_secret: string }).client_secret;
    const listing = await handleTerminalsGet(ctx).text();
    expect(listing).toContain("Front desk");
    expect(listing).not.toContain(secret);
    expect(listing).not.toContain(otp);
  });
});

describe("test-driving endpoints refuse other sites", () => {
  /** Each state-changing endpoint, called with a request built by `make`. */
  const endpoints = (make: (method: string, path: string, body?: string) => Request) => {
    const t = createTerminal(ctx);
    return {
      "POST /faults": () => handleFaultsPost(ctx, make("POST", "/faults", JSON.stringify({ kind: "pair_500" }))),
      "DELETE /faults": async () => handleFaultsDelete(ctx, make("DELETE", "/faults")),
      "POST /terminals": () => handleTerminalsPost(ctx, make("POST", "/terminals", "{}")),
      "POST /terminals/{id}/otp": async () => handleOtpRequest(ctx, make("POST", `/terminals/${t.terminalId}/otp`, "{}"), t.terminalId),
    };
  };
  const state = () => ({ faults: listFaults(ctx).length, terminals: listTerminals(ctx).length, otp: currentOtp(ctx, listTerminals(ctx)[0]!.terminalId) });

  it("refuse a request from another origin with 403 and change nothing", async () => {
    setFault(ctx, { kind: "token_500" });
    for (const [name, call] of Object.entries(
      endpoints((method, path, body) => simRequest(method, path, body, { Origin: "https://evil.example" })),
    )) {
      const before = state();
      const res = await call();
      expect(res.status, name).toBe(403);
      expect(((await res.json()) as { detail: string }).detail, name).toMatch(/Cross-origin/);
      expect(state(), name).toEqual(before);
    }
    // "null" (a sandboxed frame, a file) is another origin too.
    const nullOrigin = await handleTerminalsPost(ctx, simRequest("POST", "/terminals", "{}", { Origin: "null" }));
    expect(nullOrigin.status).toBe(403);
  });

  it("refuse a POST that is not JSON (a cross-site form or simple fetch) with 415", async () => {
    for (const type of [null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const make = (method: string, path: string, body?: string) =>
        new Request(`http://sim${path}`, { method, body, headers: type ? { "Content-Type": type } : {} });
      const calls = endpoints(make);
      for (const name of ["POST /faults", "POST /terminals", "POST /terminals/{id}/otp"] as const) {
        const before = state();
        const res = await calls[name]();
        expect(res.status, `${name} ${type}`).toBe(415);
        expect(((await res.json()) as { detail: string }).detail).toContain("application/json");
        expect(state(), name).toEqual(before);
      }
    }
  });

  it("accept same-origin JSON, with or without an Origin header; DELETE needs no body", async () => {
    ctx.publicOrigin = "https://pairdesk.example.com";
    const sameOrigin = endpoints((method, path, body) => simRequest(method, path, body, { Origin: "http://sim" }));
    const publicOrigin = endpoints((method, path, body) =>
      simRequest(method, path, body, { Origin: "https://pairdesk.example.com" }),
    );
    const noOrigin = endpoints((method, path, body) =>
      simRequest(method, path, body, { "Content-Type": "application/json; charset=utf-8" }),
    );
    for (const calls of [sameOrigin, publicOrigin, noOrigin]) {
      expect((await calls["POST /faults"]()).status).toBe(201);
      expect((await calls["DELETE /faults"]()).status).toBe(200);
      expect((await calls["POST /terminals"]()).status).toBe(201);
      expect((await calls["POST /terminals/{id}/otp"]()).status).toBe(201);
    }
    setFault(ctx, { kind: "pair_500" });
    expect(handleFaultsDelete(ctx, new Request("http://sim/faults", { method: "DELETE" })).status).toBe(200);
    expect(listFaults(ctx)).toEqual([]);
  });
});

describe("database file", () => {
  it("adds the faults' terminal_id column to a file made before it existed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-sim-"));
    try {
      const file = path.join(dir, "old.db");
      const old = new Database(file);
      old.exec(
        "CREATE TABLE faults (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, remaining INTEGER NOT NULL, delay_ms INTEGER, created_at INTEGER NOT NULL);" +
          "INSERT INTO faults (kind, remaining, created_at) VALUES ('pair_500', 1, 1);",
      );
      old.close();
      const db = openSimulatorDatabase(file);
      ctx.db.close();
      ctx = { ...ctx, db };
      expect(listFaults(ctx)).toMatchObject([{ kind: "pair_500", terminalId: null }]);
      const t = createTerminal(ctx).terminalId;
      expect(setFault(ctx, { kind: "unpair_500", terminal_id: t }).terminalId).toBe(t);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens a file database in WAL mode and reopens it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-sim-"));
    try {
      const file = path.join(dir, "nested", "sim.db");
      const db = openSimulatorDatabase(file);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.prepare("INSERT INTO terminals (terminal_id, label, created_at) VALUES ('SIM-AAAAAAAA', 'x', 1)").run();
      db.close();
      const again = openSimulatorDatabase(file);
      expect(again.prepare("SELECT count(*) AS n FROM terminals").get()).toEqual({ n: 1 });
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function pairRequest(otp: string): Request {
  return new Request("http://sim/v1/pay-connect/pair/", {
    method: "POST",
    headers: headers(),
    body: JSON.stringify({ name: "Front desk", otp }),
  });
}
