/** The HTTP core: timeouts, connection failures and their outcome, the integrator id, redirects. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createHttpCore } from "./http";
import { INTEGRATOR, PAIRED, caught, payConnectKit, route } from "../test/pay-connect-kit";

const kit = await payConnectKit();

describe("http core", () => {
  it("times out with outcome unknown when Pay-Connect answers too late", async () => {
    // The answer comes long after the test's own timeout: only the client's timeout ends the call.
    // That timeout is long enough for the request to reach the stub on a busy machine (the
    // stub counts it below: the call was sent, hence "outcome unknown").
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED, delayMs: 300_000 }) });
    const err = await caught(kit.client({ timeoutMs: 1_500 }).pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("timeout");
    expect(err.outcome).toBe("unknown");
    expect(err.status).toBeUndefined();
    // Advice for both answers the terminal may give.
    expect(err.message).toBe(
      "Pay-Connect did not answer within 1.5 seconds. The outcome is unknown: the terminal may have been paired. Check the terminal's screen. If it shows it is paired, its credentials did not reach Pairdesk and cannot be fetched again: unpair it on the terminal (or through Pay-Connect support), generate a new OTP and pair again. If it shows it is not paired, pair again: with the same OTP, or with a new one if that is refused.",
    );
    expect(kit.received).toHaveLength(1);
  });

  it("reports a closed port as unreachable, outcome failed", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const err = await caught(
      kit.client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
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
        kit.client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
      );
      expect(err.code).toBe("unreachable");
      expect(err.outcome).toBe("unknown");
      expect(err.message).toContain("the terminal may have been paired");
    } finally {
      dropping.closeAllConnections();
      await new Promise<void>((resolve) => dropping.close(() => resolve()));
    }
  });

  it("refuses to call without an integrator id", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    const err = await caught(kit.client({ integratorId: undefined }).pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("not_configured");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("PAY_CONNECT_SANDBOX_INTEGRATOR_ID");
    expect(err.message).toContain("PAY_CONNECT_INTEGRATOR_ID");

    const prod = await caught(
      kit.client({ environment: "production", integratorId: " " }).getAccessToken({
        clientId: "c",
        clientSecret: "s",
      }),
    );
    expect(prod.code).toBe("not_configured");
    expect(prod.message).toContain("PAY_CONNECT_PRODUCTION_INTEGRATOR_ID");
    expect(kit.received).toHaveLength(0);
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
        kit.client({ baseUrl: `http://127.0.0.1:${port}` }).pair({ name: "A", otp: "ABCD2345" }),
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

describe("timeouts", () => {
  it("gives the pair call its own, longer timeout; token calls keep the short one", async () => {
    kit.handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED, delayMs: 600 }),
      "/v1/auth/token/": () => ({ status: 200, body: { access_token: "t", expires_in: "3600" }, delayMs: 600 }),
    });
    const c = kit.client({ timeoutMs: 200, pairTimeoutMs: 3000 });
    expect(c.pairTimeoutMs).toBe(3000);
    expect((await c.pair({ name: "A", otp: "ABCD2345" })).terminalId).toBe("T-1001");
    const err = await caught(c.getAccessToken({ clientId: "c", clientSecret: "s" }));
    expect(err.code).toBe("timeout");
    expect(err.message).toContain("within 0.2 seconds");
  });

  it("names the pair timeout in the message when the pair call runs out of it", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED, delayMs: 1000 }) });
    const err = await caught(kit.client({ timeoutMs: 100, pairTimeoutMs: 300 }).pair({ name: "A", otp: "ABCD2345" }));
    expect(err).toMatchObject({ code: "timeout", outcome: "unknown" });
    expect(err.message).toContain("within 0.3 seconds");
  });
});

describe("GET", () => {
  it("sends no body and no Content-Type, with the integrator header and bearer", async () => {
    kit.handler = () => ({ status: 200, body: { status: "SUCCESS" } });
    const core = createHttpCore({ environment: "sandbox", baseUrl: kit.baseUrl, integratorId: INTEGRATOR, timeoutMs: 1000 });
    const answer = await core.request("token", { method: "GET", path: "/v1/pay-connect/transactions/t-1/", bearer: "tok" });
    expect(answer).toEqual({ status: 200, text: JSON.stringify({ status: "SUCCESS" }) });
    const req = kit.received[0]!;
    expect(req.method).toBe("GET");
    expect(req.url).toBe("/v1/pay-connect/transactions/t-1/");
    expect(req.body).toBe("");
    expect(req.headers["content-type"]).toBeUndefined();
    expect(req.headers.accept).toBe("application/json");
    expect(req.headers.authorization).toBe("Bearer tok");
    expect(req.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
  });
});

describe("as a PairingProvider", () => {
  it("says why an environment without an integrator id cannot be used, naming the variables", () => {
    expect(kit.client().unavailableReason).toBeNull();
    const reason = kit.client({ environment: "production", integratorId: " " }).unavailableReason;
    expect(reason).toContain("PAY_CONNECT_PRODUCTION_INTEGRATOR_ID");
    expect(reason).toContain("PAY_CONNECT_INTEGRATOR_ID");
    expect(kit.client({ timeoutMs: 1234 }).pairTimeoutMs).toBe(1234);
  });
});
