/**
 * The Pay-Connect client against a real local HTTP server (node:http on 127.0.0.1, port 0):
 * no fetch mocks, so headers, bodies, timeouts and connection errors are the real thing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startStub, type StubReply, type StubRequest } from "../test/stub-server";
import { clearTokenCache, createPayConnectClient, type PayConnectClient } from "./client";
import { PayConnectError } from "./errors";

type Received = StubRequest;
type Reply = StubReply;
type Handler = (req: Received) => Reply;

let handler: Handler = () => ({ status: 404, body: { detail: "no handler" } });
const stub = await startStub((req) => handler(req));
const baseUrl = stub.url;
const received = stub.requests;
afterAll(() => stub.close());

beforeEach(() => {
  received.length = 0;
  clearTokenCache();
});

afterEach(() => {
  handler = () => ({ status: 404 });
});

const INTEGRATOR = "integrator-123";
const SECRET = "s3cr3t-Client-Secret-Value-0123456789";
const WEBHOOK_KEY = "whsec-Webhook-Key-abcdefghijklmnop";

function client(overrides: Partial<Parameters<typeof createPayConnectClient>[0]> = {}): PayConnectClient {
  return createPayConnectClient({
    environment: "sandbox",
    baseUrl,
    integratorId: INTEGRATOR,
    timeoutMs: 2000,
    ...overrides,
  });
}

const PAIRED = {
  pay_connect_id: "7b0f7f7e-4a3c-4f8e-9d7a-1d2e3f4a5b6c",
  pay_connect_name: "Front desk",
  terminal_id: "T-1001",
  client_id: "client-abc",
  client_secret: SECRET,
  webhook_secret_key: WEBHOOK_KEY,
};

async function caught(p: Promise<unknown>): Promise<PayConnectError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PayConnectError);
    return err as PayConnectError;
  }
  throw new Error("expected the call to fail");
}

function route(routes: Record<string, Handler>): Handler {
  return (req) => {
    const h = routes[req.url];
    return h ? h(req) : { status: 404, body: { detail: "Not found" } };
  };
}

describe("pair", () => {
  it("sends the documented request and maps the response", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    const result = await client().pair({
      name: "Front desk",
      otp: "ABCD2345",
      webhookUrl: "https://pairdesk.example/api/webhooks/pay-connect/tok",
    });
    expect(result).toEqual({
      payConnectId: PAIRED.pay_connect_id,
      payConnectName: "Front desk",
      terminalId: "T-1001",
      clientId: "client-abc",
      clientSecret: SECRET,
      webhookSecretKey: WEBHOOK_KEY,
    });
    expect(received).toHaveLength(1);
    const req = received[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/pay-connect/pair/");
    expect(req.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["accept"]).toBe("application/json");
    expect(req.headers.authorization).toBeUndefined();
    expect(JSON.parse(req.body)).toEqual({
      name: "Front desk",
      otp: "ABCD2345",
      webhook_url: "https://pairdesk.example/api/webhooks/pay-connect/tok",
    });
  });

  it("omits webhook_url when none is given", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    await client().pair({ name: "Front desk", otp: "ABCD2345" });
    expect(JSON.parse(received[0]!.body)).toEqual({ name: "Front desk", otp: "ABCD2345" });
  });

  it("reads webhook_secret_key null, and absent, as null", async () => {
    handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 200, body: { ...PAIRED, webhook_secret_key: null } }),
    });
    expect((await client().pair({ name: "A", otp: "ABCD2345" })).webhookSecretKey).toBeNull();

    const withoutKey: Record<string, unknown> = { ...PAIRED };
    delete withoutKey.webhook_secret_key;
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: withoutKey }) });
    expect((await client().pair({ name: "A", otp: "ABCD2345" })).webhookSecretKey).toBeNull();
  });

  it("maps a 400 to otp_rejected with the fixed message", async () => {
    handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 400, body: { detail: "Invalid OTP ABCD2345" } }),
    });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("otp_rejected");
    expect(err.status).toBe(400);
    expect(err.outcome).toBe("failed");
    expect(err.message).toBe(
      "The OTP was rejected: it may be mistyped, already used or expired. Generate a new OTP on the terminal.",
    );
  });

  it("maps a 400 about the integrator id to a configuration message, not a bad OTP", async () => {
    handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 400, body: { detail: "Unknown integrator id" } }),
    });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("bad_request");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("Pay-Connect refused the integrator id (400)");
    expect(err.message).toContain("_INTEGRATOR_ID");
    expect(err.message).not.toContain("OTP was rejected");
  });

  it("maps a 500 to unavailable, outcome failed", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 500, raw: "<html>oops</html>" }) });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("unavailable");
    expect(err.status).toBe(500);
    expect(err.outcome).toBe("failed");
    expect(err.message).toBe(
      "Pay-Connect is unavailable (HTTP 500). Nothing was paired; try again in a few minutes.",
    );
  });

  it("maps a gateway 504 to an unknown outcome", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 504 }) });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("unavailable");
    expect(err.outcome).toBe("unknown");
  });

  it("times out with outcome unknown when Pay-Connect answers too late", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED, delayMs: 1500 }) });
    const started = Date.now();
    const err = await caught(client({ timeoutMs: 200 }).pair({ name: "A", otp: "ABCD2345" }));
    expect(Date.now() - started).toBeLessThan(1200);
    expect(err.code).toBe("timeout");
    expect(err.outcome).toBe("unknown");
    expect(err.status).toBeUndefined();
    expect(err.message).toBe(
      "Pay-Connect did not answer within 0.2 seconds. The outcome is unknown: the terminal may have been paired. Check the terminal's screen; if it is not paired, generate a new OTP on the terminal and pair again.",
    );
    expect(received).toHaveLength(1);
  });

  it("reports a closed port as unreachable, outcome failed", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const err = await caught(
      client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
    );
    expect(err.code).toBe("unreachable");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain("Nothing was sent");
    expect(err.message).toContain("PAY_CONNECT_SANDBOX_URL");
  });

  it("reports a connection closed mid-request as unreachable, outcome unknown", async () => {
    const dropping = http.createServer((req) => {
      req.resume();
      req.on("end", () => req.socket.destroy());
    });
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", resolve));
    const port = (dropping.address() as AddressInfo).port;
    try {
      const err = await caught(
        client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
      );
      expect(err.code).toBe("unreachable");
      expect(err.outcome).toBe("unknown");
      expect(err.message).toContain("the terminal may have been paired");
    } finally {
      dropping.closeAllConnections();
      await new Promise<void>((resolve) => dropping.close(() => resolve()));
    }
  });

  it("maps a malformed 200 to invalid_response without echoing the body", async () => {
    handler = route({
      "/v1/pay-connect/pair/": () => ({
        status: 200,
        body: { ...PAIRED, client_id: undefined, terminal_id: 42 },
      }),
    });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("invalid_response");
    expect(err.outcome).toBe("unknown");
    expect(err.status).toBe(200);
    expect(err.message).toContain("client_id");
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(WEBHOOK_KEY);
    expect(err.message).not.toContain("ABCD2345");
  });

  it("maps a 200 that is not JSON to invalid_response", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, raw: `oops ${SECRET}` }) });
    const err = await caught(client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("invalid_response");
    expect(err.outcome).toBe("unknown");
    expect(err.message).not.toContain(SECRET);
  });

  it("refuses to call without an integrator id", async () => {
    handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    const err = await caught(client({ integratorId: undefined }).pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("not_configured");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("PAY_CONNECT_SANDBOX_INTEGRATOR_ID");
    expect(err.message).toContain("PAY_CONNECT_INTEGRATOR_ID");

    const prod = await caught(
      client({ environment: "production", integratorId: " " }).getAccessToken({
        clientId: "c",
        clientSecret: "s",
      }),
    );
    expect(prod.code).toBe("not_configured");
    expect(prod.message).toContain("PAY_CONNECT_PRODUCTION_INTEGRATOR_ID");
    expect(received).toHaveLength(0);
  });

  it("does not follow redirects", async () => {
    const redirecting = http.createServer((req, res) => {
      res.writeHead(308, { Location: "/elsewhere/" });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    const port = (redirecting.address() as AddressInfo).port;
    try {
      const err = await caught(
        client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
      );
      expect(err.code).toBe("bad_request");
      expect(err.status).toBe(308);
      expect(err.outcome).toBe("failed");
    } finally {
      redirecting.closeAllConnections();
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});

describe("getAccessToken", () => {
  const CREDS = { clientId: "client-abc", clientSecret: SECRET };

  it("sends the documented request, with the integrator header, and accepts expires_in as a string", async () => {
    handler = route({
      "/v1/auth/token/": () => ({
        status: 200,
        body: { access_token: "tok-1", expires_in: "3600", token_type: "Bearer", scope: "pay-connect" },
      }),
    });
    expect(await client().getAccessToken(CREDS)).toBe("tok-1");
    const req = received[0]!;
    expect(req.url).toBe("/v1/auth/token/");
    expect(req.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual({
      grant_type: "client_credentials",
      client_id: "client-abc",
      client_secret: SECRET,
    });
  });

  it("accepts expires_in as a number", async () => {
    handler = route({
      "/v1/auth/token/": () => ({
        status: 200,
        body: { access_token: "tok-n", expires_in: 3600, token_type: "Bearer", scope: "x" },
      }),
    });
    expect(await client().getAccessToken(CREDS)).toBe("tok-n");
  });

  it("caches the token until shortly before it expires, and shares an in-flight request", async () => {
    let calls = 0;
    handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return {
          status: 200,
          body: { access_token: `tok-${calls}`, expires_in: "3600", token_type: "Bearer", scope: "x" },
          delayMs: 50,
        };
      },
    });
    const c = client();
    const [a, b] = await Promise.all([c.getAccessToken(CREDS), c.getAccessToken(CREDS)]);
    expect([a, b]).toEqual(["tok-1", "tok-1"]);
    expect(await client().getAccessToken(CREDS)).toBe("tok-1");
    expect(calls).toBe(1);

    // Another client id, another token.
    expect(await c.getAccessToken({ clientId: "other", clientSecret: "other-secret" })).toBe("tok-2");
    // Another environment, another cache entry.
    expect(await client({ environment: "production" }).getAccessToken(CREDS)).toBe("tok-3");
    expect(calls).toBe(3);

    clearTokenCache();
    expect(await c.getAccessToken(CREDS)).toBe("tok-4");
  });

  it("does not cache a token that expires within the refresh margin", async () => {
    let calls = 0;
    handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return { status: 200, body: { access_token: `tok-${calls}`, expires_in: 30, token_type: "Bearer", scope: "x" } };
      },
    });
    await client().getAccessToken(CREDS);
    await client().getAccessToken(CREDS);
    expect(calls).toBe(2);
  });

  it("does not hand a cached token to a different secret", async () => {
    let calls = 0;
    handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return { status: 200, body: { access_token: `tok-${calls}`, expires_in: "3600", token_type: "Bearer", scope: "x" } };
      },
    });
    await client().getAccessToken(CREDS);
    expect(await client().getAccessToken({ clientId: CREDS.clientId, clientSecret: "wrong" })).toBe("tok-2");
  });

  it("maps a 401 to unauthorized without echoing the credentials", async () => {
    handler = route({
      "/v1/auth/token/": () => ({ status: 401, body: { detail: `bad secret ${SECRET}` } }),
    });
    const err = await caught(client().getAccessToken(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      "Pay-Connect refused this pairing's credentials (401): the pairing may already be unpaired on Pay-Connect's side.",
    );
  });

  it("maps a token 400 to bad_request and appends a short provider detail", async () => {
    handler = route({
      "/v1/auth/token/": () => ({ status: 400, body: { detail: "unsupported grant" } }),
    });
    const err = await caught(client().getAccessToken(CREDS));
    expect(err.code).toBe("bad_request");
    expect(err.message).toContain('Pay-Connect said: "unsupported grant"');
  });

  it("does not append a provider detail that echoes a value we sent, or is long", async () => {
    handler = route({
      "/v1/auth/token/": () => ({ status: 400, body: { detail: `bad client_secret ${SECRET}` } }),
    });
    const echoed = await caught(client().getAccessToken(CREDS));
    expect(echoed.code).toBe("bad_request");
    expect(echoed.message).not.toContain(SECRET);
    expect(echoed.message).not.toContain("Pay-Connect said");

    handler = route({ "/v1/auth/token/": () => ({ status: 400, body: { detail: "x ".repeat(150) } }) });
    expect((await caught(client().getAccessToken(CREDS))).message).not.toContain("Pay-Connect said");
  });

  it("maps a token response without access_token to invalid_response", async () => {
    handler = route({
      "/v1/auth/token/": () => ({ status: 200, body: { expires_in: "3600", token_type: "Bearer" } }),
    });
    const err = await caught(client().getAccessToken(CREDS));
    expect(err.code).toBe("invalid_response");
  });
});

describe("unpair", () => {
  const CREDS = { clientId: "client-abc", clientSecret: SECRET };

  function tokenRoute(): { handler: Handler; calls: () => number } {
    let calls = 0;
    return {
      calls: () => calls,
      handler: () => {
        calls += 1;
        return {
          status: 200,
          body: { access_token: `tok-${calls}`, expires_in: "3600", token_type: "Bearer", scope: "x" },
        };
      },
    };
  }

  it("sends the bearer token and the integrator header, then forgets the token", async () => {
    const token = tokenRoute();
    handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 200, body: { detail: "Unpaired" } }),
    });
    await client().unpair(CREDS);
    const unpairReq = received.find((r) => r.url === "/v1/pay-connect/unpair/")!;
    expect(unpairReq.method).toBe("POST");
    expect(unpairReq.headers.authorization).toBe("Bearer tok-1");
    expect(unpairReq.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
    expect(unpairReq.headers["content-type"]).toBe("application/json");
    // The token is dropped after a successful unpair.
    await client().getAccessToken(CREDS);
    expect(token.calls()).toBe(2);
  });

  it("on a 401 with a cached token, fetches a fresh token and retries once", async () => {
    const token = tokenRoute();
    handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": (req) =>
        req.headers.authorization === "Bearer tok-2"
          ? { status: 200, body: { detail: "Unpaired" } }
          : { status: 401, body: { detail: "Token expired" } },
    });
    const c = client();
    await c.getAccessToken(CREDS); // tok-1 cached
    await c.unpair(CREDS);
    expect(token.calls()).toBe(2);
    expect(received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(2);
  });

  it("maps a 401 that persists after the refresh to unauthorized", async () => {
    const token = tokenRoute();
    handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 401, body: { detail: "Invalid token" } }),
    });
    const c = client();
    await c.getAccessToken(CREDS);
    const err = await caught(c.unpair(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.outcome).toBe("failed");
    expect(token.calls()).toBe(2);
    expect(received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(2);
  });

  it("does not retry a 401 obtained with a fresh token", async () => {
    const token = tokenRoute();
    handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 401 }),
    });
    const err = await caught(client().unpair(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(token.calls()).toBe(1);
    expect(received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(1);
  });

  it("maps an unpair 500 to unavailable, outcome failed", async () => {
    handler = route({
      "/v1/auth/token/": tokenRoute().handler,
      "/v1/pay-connect/unpair/": () => ({ status: 500 }),
    });
    const err = await caught(client().unpair(CREDS));
    expect(err.code).toBe("unavailable");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("Nothing was unpaired");
  });

  it("reports a token-call timeout inside unpair as failed: unpair was never sent", async () => {
    handler = route({
      "/v1/auth/token/": () => ({ status: 200, body: { access_token: "t", expires_in: "3600" }, delayMs: 1000 }),
    });
    const err = await caught(client({ timeoutMs: 200 }).unpair(CREDS));
    expect(err.code).toBe("timeout");
    expect(err.outcome).toBe("failed");
    expect(received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(0);
  });
});
