/**
 * The Pay-Connect client against the simulator's handlers: every transaction call goes through
 * the real client (createPayConnectClient) and the simulator's own request handling (strict
 * bodies, bearer of an active pairing), over an in-process fetch. Timers are driven by hand.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createPayConnectClient, PayConnectError, type PayConnectClient } from "../pay-connect/client";
import { clearTokenCache } from "../pay-connect/token-cache";
import { verifyWebhookSignature } from "../pay-connect/webhook";
import type { ClientCredentials } from "../providers/types";
import type { SimulatorContext } from "./context";
import { openSimulatorDatabase } from "./db";
import { setFault } from "./faults";
import { handlePairRequest, handleTokenRequest } from "./http";
import { terminalsWithOpenPayments } from "./payment-rows";
import { expireOverdue, moveTransaction } from "./payments";
import { DEFAULT_PAYMENT_EXPIRY_MS, setAutoApprove } from "./terminal-settings";
import { handlePaymentRequest } from "./payments-http";
import { handleScreenPaymentMove, handleScreenPaymentsGet, handleScreenSettingsGet, handleScreenSettingsPut } from "./screen-http";
import { createTerminal, generateOtp } from "./terminals";
import { deliverDue, RETRY_DELAYS_MS, terminalWebhooks } from "./webhooks";

const INTEGRATOR = "int-test";
const BASE = "http://sim.test/simulator/api";
const HOOK = "http://app.test/api/webhooks/pay-connect/tok";

type Timer = { at: number; fn: () => void };

function setup(hookAnswers: number[] = []) {
  let now = 1_700_000_000_000;
  const timers: Timer[] = [];
  const received: { body: string; headers: Headers }[] = [];
  const ctx: SimulatorContext = {
    db: openSimulatorDatabase(":memory:"),
    now: () => now,
    integratorIds: new Set([INTEGRATOR]),
    defaultSlowDelayMs: 10,
    webhookRetryScale: 1,
    schedule: (ms, fn) => timers.push({ at: now + ms, fn }),
    fetch: async (_url, init) => {
      received.push({ body: String(init?.body), headers: new Headers(init?.headers) });
      return new Response(null, { status: hookAnswers.shift() ?? 200 });
    },
  };
  const simFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.slice("/simulator/api".length);
    if (path === "/v1/pay-connect/pair/") return handlePairRequest(ctx, request);
    if (path === "/v1/auth/token/") return handleTokenRequest(ctx, request);
    return handlePaymentRequest(ctx, request, path.slice("/v1/pay-connect/".length));
  };
  const client = createPayConnectClient({ environment: "sandbox", baseUrl: BASE, integratorId: INTEGRATOR, timeoutMs: 2000, fetch: simFetch });
  /** Runs every timer due within `ms`, in time order (timers they add included). */
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = Math.max(now, next.at);
      next.fn();
      await new Promise((r) => setTimeout(r, 0));
    }
    now = until;
  };
  return { ctx, client, received, advance };
}

async function pairTerminal(ctx: SimulatorContext, client: PayConnectClient) {
  const terminal = createTerminal(ctx, { label: "Desk" });
  const otp = generateOtp(ctx, terminal.terminalId)!;
  const result = await client.pair({ name: "Desk", otp: otp.otp, webhookUrl: HOOK });
  const creds: ClientCredentials = { clientId: result.clientId, clientSecret: result.clientSecret };
  return { terminalId: terminal.terminalId, creds, secret: result.webhookSecretKey! };
}

beforeEach(() => clearTokenCache());

describe("simulated payments through the Pay-Connect client", () => {
  it("charges, takes and approves a payment, and reads its status, slip and configuration", async () => {
    const { ctx, client, advance, received } = setup();
    const { terminalId, creds, secret } = await pairTerminal(ctx, client);
    const { transactionId } = await client.charge(creds, { amount: 1250, clientTransactionId: "ctid-1" });
    expect((await client.getTransaction(creds, transactionId)).status).toBe("INITIATED");
    await advance(500);
    expect((await client.getTransaction(creds, transactionId)).status).toBe("IN_PROGRESS");
    moveTransaction(ctx, transactionId, "SUCCESS");
    const status = await client.getTransaction(creds, transactionId);
    expect(status).toMatchObject({ status: "SUCCESS", amount: 1250, currency: "EUR", clientTransactionId: "ctid-1", terminalId });
    expect(status.details.card_last4).toBe("4242");
    const slip = await client.getPrintSlip(creds, transactionId);
    expect(slip).toMatchObject({ cardLast4: "4242", approveCode: "SIM123", totalAmount: 1250 });
    expect(await client.getConfiguration(creds)).toEqual({ currency: "EUR", timeZone: "Europe/Ljubljana", paymentMethods: ["CARD", "MBILLS", "VALU", "GOCRYPTO"] });

    // Every status change was sent, signed with the pairing's key.
    await advance(10);
    const statuses = received.map((r) => JSON.parse(r.body)[0].status);
    expect(statuses).toEqual(["INITIATED", "IN_PROGRESS", "SUCCESS"]);
    for (const r of received) expect(verifyWebhookSignature(r.headers, Buffer.from(r.body), secret)).toEqual({ ok: true, form: "raw" });
  });

  it("answers a repeated client_transaction_id with the same transaction", async () => {
    const { ctx, client } = setup();
    const { creds } = await pairTerminal(ctx, client);
    const a = await client.charge(creds, { amount: 500, clientTransactionId: "same" });
    const b = await client.charge(creds, { amount: 500, clientTransactionId: "same" });
    expect(b.transactionId).toBe(a.transactionId);
  });

  it("auto-approves when the terminal's switch is on", async () => {
    const { ctx, client, advance } = setup();
    const { terminalId, creds } = await pairTerminal(ctx, client);
    setAutoApprove(ctx, terminalId, true);
    const { transactionId } = await client.charge(creds, { amount: 700, clientTransactionId: "auto" });
    await advance(1_100);
    expect((await client.getTransaction(creds, transactionId)).status).toBe("SUCCESS");
  });

  it("expires a payment nobody answers: by its timer, or by the sweep after a restart lost it", async () => {
    const { ctx, client, advance, received } = setup();
    const { creds } = await pairTerminal(ctx, client);
    const { transactionId } = await client.charge(creds, { amount: 900, clientTransactionId: "exp-1" });
    await advance(DEFAULT_PAYMENT_EXPIRY_MS - 1_000);
    expect((await client.getTransaction(creds, transactionId)).status).toBe("IN_PROGRESS");
    await advance(1_000);
    expect((await client.getTransaction(creds, transactionId)).status).toBe("EXPIRED");
    await advance(10);
    expect(received.map((r) => JSON.parse(r.body)[0].status)).toContain("EXPIRED");

    // A restart loses the timers: the next request sweeps what is overdue.
    const second = await client.charge(creds, { amount: 900, clientTransactionId: "exp-2" });
    ctx.schedule = () => undefined;
    const third = await client.charge(creds, { amount: 900, clientTransactionId: "exp-3" });
    ctx.db.prepare("UPDATE sim_transactions SET expires_at = ? WHERE transaction_id = ?").run(ctx.now() - 1, third.transactionId);
    expect((await client.getTransaction(creds, third.transactionId)).status).toBe("EXPIRED");
    expect(expireOverdue(ctx)).toBe(0);
    expect((await client.getTransaction(creds, second.transactionId)).status).toBe("INITIATED");
  });

  it("names the terminals where a payment waits, the latest first (what the bare /simulator shows first)", async () => {
    const { ctx, client, advance } = setup();
    const one = await pairTerminal(ctx, client);
    const two = await pairTerminal(ctx, client);
    expect(terminalsWithOpenPayments(ctx, 3)).toEqual([]);
    const a = await client.charge(one.creds, { amount: 100, clientTransactionId: "w-1" });
    await advance(10);
    await client.charge(two.creds, { amount: 100, clientTransactionId: "w-2" });
    expect(terminalsWithOpenPayments(ctx, 3)).toEqual([two.terminalId, one.terminalId]);
    expect(terminalsWithOpenPayments(ctx, 1)).toEqual([two.terminalId]);
    moveTransaction(ctx, a.transactionId, "DECLINED");
    expect(terminalsWithOpenPayments(ctx, 3)).toEqual([two.terminalId]);
  });

  it("test driving: lists a terminal's payments, approves and declines them, refuses a final one, and sets its switches", async () => {
    const { ctx, client, advance } = setup();
    const { terminalId, creds } = await pairTerminal(ctx, client);
    const url = (path: string) => `http://sim.test/simulator/api/terminals/${terminalId}${path}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      new Request(url(path), { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
    const a = await client.charge(creds, { amount: 100, clientTransactionId: "td-a" });
    const b = await client.charge(creds, { amount: 200, clientTransactionId: "td-b" });
    const listed = (await handleScreenPaymentsGet(ctx, terminalId).json()) as { payments: { id: string; status: string; amount: number }[] };
    expect(listed.payments.map((p) => [p.amount, p.status])).toEqual([
      [200, "INITIATED"],
      [100, "INITIATED"],
    ]);

    const approved = await handleScreenPaymentMove(ctx, post(`/payments/${a.transactionId}`, { move: "approve" }), terminalId, a.transactionId);
    expect(approved.status).toBe(200);
    expect((await client.getTransaction(creds, a.transactionId)).status).toBe("SUCCESS");
    const again = await handleScreenPaymentMove(ctx, post(`/payments/${a.transactionId}`, { move: "decline" }), terminalId, a.transactionId);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ status: "SUCCESS" });
    expect((await handleScreenPaymentMove(ctx, post(`/payments/${b.transactionId}`, { move: "decline" }), terminalId, b.transactionId)).status).toBe(200);
    expect((await client.getTransaction(creds, b.transactionId)).status).toBe("DECLINED");

    // Bad moves, another terminal's payment, another site, not JSON: refused, nothing changes.
    expect((await handleScreenPaymentMove(ctx, post("/payments/x", { move: "refund" }), terminalId, b.transactionId)).status).toBe(400);
    const other = createTerminal(ctx, { label: "Other" });
    expect((await handleScreenPaymentMove(ctx, post("/payments/x", { move: "approve" }), other.terminalId, b.transactionId)).status).toBe(404);
    expect((await handleScreenPaymentMove(ctx, post("/payments/x", { move: "approve" }, { Origin: "http://evil.test" }), terminalId, b.transactionId)).status).toBe(403);

    // Switches: auto-approve and a short expiry, for the next payments only.
    const put = (body: unknown) => handleScreenSettingsPut(ctx, new Request(url("/settings"), { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }), terminalId);
    expect((await put({ payment_expiry_seconds: 1 })).status).toBe(400);
    expect(await (await put({ auto_approve: true, payment_expiry_seconds: 30 })).json()).toEqual({ terminal_id: terminalId, auto_approve: true, payment_expiry_seconds: 30 });
    const c = await client.charge(creds, { amount: 300, clientTransactionId: "td-c" });
    await advance(1_100);
    expect((await client.getTransaction(creds, c.transactionId)).status).toBe("SUCCESS");
    expect(await (await put({ auto_approve: false })).json()).toMatchObject({ auto_approve: false, payment_expiry_seconds: 30 });
    const d = await client.charge(creds, { amount: 400, clientTransactionId: "td-d" });
    await advance(30_000);
    expect((await client.getTransaction(creds, d.transactionId)).status).toBe("EXPIRED");
    expect(await (await put({ payment_expiry_seconds: null })).json()).toMatchObject({ payment_expiry_seconds: DEFAULT_PAYMENT_EXPIRY_MS / 1000 });
    expect(await handleScreenSettingsGet(ctx, terminalId).json()).toMatchObject({ auto_approve: false });
  });

  it("refunds partially, refuses a refund above what remains, and reverts only the latest success", async () => {
    const { ctx, client, advance } = setup();
    const { terminalId, creds } = await pairTerminal(ctx, client);
    setAutoApprove(ctx, terminalId, true);
    const first = await client.charge(creds, { amount: 1000, clientTransactionId: "c1" });
    await advance(1_100);
    const refund = await client.refund(creds, first.transactionId, { amount: 400 });
    await advance(1_100);
    expect((await client.getTransaction(creds, refund.transactionId)).linkedTransactionId).toBe(first.transactionId);
    expect((await client.getTransaction(creds, first.transactionId)).refundTotalAmount).toBe(400);
    const tooMuch = await client.refund(creds, first.transactionId, { amount: 700 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(PayConnectError);
    expect((tooMuch as PayConnectError).message).toContain("Refund amount exceeds the refundable amount (600)");

    const second = await client.charge(creds, { amount: 300, clientTransactionId: "c2" });
    await advance(1_100);
    const old = await client.revert(creds, first.transactionId).catch((e: unknown) => e);
    expect((old as PayConnectError).message).toContain("most recent successful transaction");
    const op = await client.revert(creds, second.transactionId);
    expect((await client.getOperation(creds, op.operationId)).status).toBe("INITIATED");
    await advance(1_000);
    expect((await client.getOperation(creds, op.operationId)).status).toBe("SUCCESS");
    expect((await client.getTransaction(creds, second.transactionId)).status).toBe("REVERTED");
  });

  it("cancels an INITIATED charge at once and refuses to cancel a final one", async () => {
    const { ctx, client } = setup();
    const { creds } = await pairTerminal(ctx, client);
    const { transactionId } = await client.charge(creds, { amount: 100, clientTransactionId: "x" });
    await client.cancel(creds, transactionId);
    expect((await client.getTransaction(creds, transactionId)).status).toBe("CANCELED");
    await expect(client.cancel(creds, transactionId)).rejects.toThrow(/already CANCELED/);
  });

  it("keeps each pairing to its own terminal's transactions", async () => {
    const { ctx, client } = setup();
    const a = await pairTerminal(ctx, client);
    const b = await pairTerminal(ctx, client);
    const { transactionId } = await client.charge(a.creds, { amount: 100, clientTransactionId: "mine" });
    await expect(client.getTransaction(b.creds, transactionId)).rejects.toThrow(/does not know this transaction/);
  });

  it("retries a webhook on 500 after 5 s, 10 s … and gives up after five retries", async () => {
    const { ctx, client, advance, received } = setup([500, 500, 500, 500, 500, 500]);
    const { terminalId, creds } = await pairTerminal(ctx, client);
    await client.charge(creds, { amount: 100, clientTransactionId: "r" });
    await advance(0);
    expect(received).toHaveLength(1);
    // The IN_PROGRESS that follows is dropped, so only the first one's retries are seen.
    setFault(ctx, { kind: "webhook_drop", terminal_id: terminalId });
    let elapsed = 0;
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      await advance(delay - 1);
      expect(received.map((r) => JSON.parse(r.body)[0].status), `before retry ${i + 1}`).toHaveLength(i + 1);
      await advance(1);
      elapsed += delay;
      expect(received, `retry ${i + 1} at ${elapsed} ms`).toHaveLength(i + 2);
    }
    const hooks = terminalWebhooks(ctx, terminalId);
    expect(hooks.map((h) => h.state).sort()).toEqual(["dropped", "failed"]);
  });

  it("applies each terminal's webhook faults to its own webhooks only", async () => {
    const { ctx, client, advance, received } = setup();
    const a = await pairTerminal(ctx, client);
    const b = await pairTerminal(ctx, client);
    setFault(ctx, { kind: "webhook_duplicate", terminal_id: a.terminalId });
    setFault(ctx, { kind: "webhook_bad_signature", terminal_id: b.terminalId });
    await client.charge(a.creds, { amount: 100, clientTransactionId: "a" });
    await client.charge(b.creds, { amount: 200, clientTransactionId: "b" });
    await advance(10);
    const amounts = received.map((r) => JSON.parse(r.body)[0].amount);
    expect(amounts.sort()).toEqual([100, 100, 200]);
    const forged = received.find((r) => JSON.parse(r.body)[0].amount === 200)!;
    expect(verifyWebhookSignature(forged.headers, Buffer.from(forged.body), b.secret)).toMatchObject({ ok: false });
    expect(await deliverDue(ctx)).toBe(0);
  });

  it("answers 500 without doing anything when the terminal's charge_500 fault is armed", async () => {
    const { ctx, client } = setup();
    const { terminalId, creds } = await pairTerminal(ctx, client);
    setFault(ctx, { kind: "charge_500", terminal_id: terminalId });
    await expect(client.charge(creds, { amount: 100, clientTransactionId: "f" })).rejects.toThrow(/unavailable \(HTTP 500\)/);
    const count = ctx.db.prepare("SELECT count(*) AS n FROM sim_transactions").get() as { n: number };
    expect(count.n).toBe(0);
  });
});
