/** The unpair resource: its bearer token, one refresh on a 401, and its outcomes. */
import { describe, expect, it } from "vitest";
import { INTEGRATOR, SECRET, caught, payConnectKit, route, type Handler } from "../test/pay-connect-kit";

const kit = await payConnectKit();

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
    kit.handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 200, body: { detail: "Unpaired" } }),
    });
    await kit.client().unpair(CREDS);
    const unpairReq = kit.received.find((r) => r.url === "/v1/pay-connect/unpair/")!;
    expect(unpairReq.method).toBe("POST");
    expect(unpairReq.headers.authorization).toBe("Bearer tok-1");
    expect(unpairReq.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
    expect(unpairReq.headers["content-type"]).toBe("application/json");
    // The token is dropped after a successful unpair.
    await kit.client().getAccessToken(CREDS);
    expect(token.calls()).toBe(2);
  });

  it("on a 401 with a cached token, fetches a fresh token and retries once", async () => {
    const token = tokenRoute();
    kit.handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": (req) =>
        req.headers.authorization === "Bearer tok-2"
          ? { status: 200, body: { detail: "Unpaired" } }
          : { status: 401, body: { detail: "Token expired" } },
    });
    const c = kit.client();
    await c.getAccessToken(CREDS); // tok-1 cached
    await c.unpair(CREDS);
    expect(token.calls()).toBe(2);
    expect(kit.received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(2);
  });

  it("maps a 401 that persists after the refresh to unauthorized", async () => {
    const token = tokenRoute();
    kit.handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 401, body: { detail: "Invalid token" } }),
    });
    const c = kit.client();
    await c.getAccessToken(CREDS);
    const err = await caught(c.unpair(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.outcome).toBe("failed");
    expect(token.calls()).toBe(2);
    expect(kit.received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(2);
  });

  it("does not retry a 401 obtained with a fresh token", async () => {
    const token = tokenRoute();
    kit.handler = route({
      "/v1/auth/token/": token.handler,
      "/v1/pay-connect/unpair/": () => ({ status: 401 }),
    });
    const err = await caught(kit.client().unpair(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(token.calls()).toBe(1);
    expect(kit.received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(1);
  });

  it("maps an unpair 500 to unavailable, outcome failed", async () => {
    kit.handler = route({
      "/v1/auth/token/": tokenRoute().handler,
      "/v1/pay-connect/unpair/": () => ({ status: 500 }),
    });
    const err = await caught(kit.client().unpair(CREDS));
    expect(err.code).toBe("unavailable");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("Nothing was unpaired");
  });

  it("reports a token-call timeout inside unpair as failed: unpair was never sent", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({ status: 200, body: { access_token: "t", expires_in: "3600" }, delayMs: 1000 }),
    });
    const err = await caught(kit.client({ timeoutMs: 200 }).unpair(CREDS));
    expect(err.code).toBe("timeout");
    expect(err.outcome).toBe("failed");
    expect(kit.received.filter((r) => r.url === "/v1/pay-connect/unpair/")).toHaveLength(0);
  });
});
