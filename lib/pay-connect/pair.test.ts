/** The pair resource: the documented request, and what a 2xx answer becomes. */
import { describe, expect, it } from "vitest";
import { INTEGRATOR, PAIRED, SECRET, WEBHOOK_KEY, caught, payConnectKit, route } from "../test/pay-connect-kit";

const kit = await payConnectKit();

describe("pair", () => {
  it("sends the documented request and maps the response", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    const result = await kit.client().pair({
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
    expect(kit.received).toHaveLength(1);
    const req = kit.received[0]!;
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
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: PAIRED }) });
    await kit.client().pair({ name: "Front desk", otp: "ABCD2345" });
    expect(JSON.parse(kit.received[0]!.body)).toEqual({ name: "Front desk", otp: "ABCD2345" });
  });

  it("reads webhook_secret_key null, and absent, as null", async () => {
    kit.handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 200, body: { ...PAIRED, webhook_secret_key: null } }),
    });
    expect((await kit.client().pair({ name: "A", otp: "ABCD2345" })).webhookSecretKey).toBeNull();

    const withoutKey: Record<string, unknown> = { ...PAIRED };
    delete withoutKey.webhook_secret_key;
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, body: withoutKey }) });
    expect((await kit.client().pair({ name: "A", otp: "ABCD2345" })).webhookSecretKey).toBeNull();
  });

  it("maps a malformed 200 to invalid_response without echoing the body", async () => {
    kit.handler = route({
      "/v1/pay-connect/pair/": () => ({
        status: 200,
        body: { ...PAIRED, client_id: undefined, terminal_id: 42 },
      }),
    });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("invalid_response");
    expect(err.outcome).toBe("unknown");
    expect(err.status).toBe(200);
    expect(err.message).toContain("client_id");
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(WEBHOOK_KEY);
    expect(err.message).not.toContain("ABCD2345");
  });

  it("maps a 200 that is not JSON to invalid_response", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 200, raw: `oops ${SECRET}` }) });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("invalid_response");
    expect(err.outcome).toBe("unknown");
    expect(err.message).not.toContain(SECRET);
  });
});
