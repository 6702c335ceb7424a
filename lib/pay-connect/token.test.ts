/** The token resource and the token cache. */
import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_REFRESH_MARGIN_SECONDS } from "./assumptions";
import { clearTokenCache, tokenLifetimeSeconds } from "./client";
import { INTEGRATOR, SECRET, caught, payConnectKit, route } from "../test/pay-connect-kit";

const kit = await payConnectKit();

describe("getAccessToken", () => {
  const CREDS = { clientId: "client-abc", clientSecret: SECRET };
  it("sends the documented request, with the integrator header, and accepts expires_in as a string", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({
        status: 200,
        body: { access_token: "tok-1", expires_in: "3600", token_type: "Bearer", scope: "pay-connect" },
      }),
    });
    expect(await kit.client().getAccessToken(CREDS)).toBe("tok-1");
    const req = kit.received[0]!;
    expect(req.url).toBe("/v1/auth/token/");
    expect(req.headers["x-pay-connect-integrator-id"]).toBe(INTEGRATOR);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual({
      grant_type: "client_credentials",
      client_id: "client-abc",
      client_secret: SECRET,
    });
  });

  it("uses a token whose response has no expires_in, for the default lifetime (assumption 4)", async () => {
    let calls = 0;
    kit.handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return { status: 200, body: { access_token: `tok-${calls}`, token_type: "Bearer" } };
      },
    });
    expect(await kit.client().getAccessToken(CREDS)).toBe("tok-1");
    // Cached: the default lifetime is longer than the refresh margin.
    expect(DEFAULT_TOKEN_LIFETIME_SECONDS).toBeGreaterThan(TOKEN_REFRESH_MARGIN_SECONDS);
    expect(await kit.client().getAccessToken(CREDS)).toBe("tok-1");
    expect(calls).toBe(1);
    expect(tokenLifetimeSeconds(undefined)).toBe(DEFAULT_TOKEN_LIFETIME_SECONDS);
    expect(tokenLifetimeSeconds(null)).toBe(DEFAULT_TOKEN_LIFETIME_SECONDS);
    expect(tokenLifetimeSeconds("soon")).toBe(DEFAULT_TOKEN_LIFETIME_SECONDS);
    expect(tokenLifetimeSeconds("3600")).toBe(3600);
  });

  it("accepts expires_in as a number", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({
        status: 200,
        body: { access_token: "tok-n", expires_in: 3600, token_type: "Bearer", scope: "x" },
      }),
    });
    expect(await kit.client().getAccessToken(CREDS)).toBe("tok-n");
  });

  it("caches the token until shortly before it expires, and shares an in-flight request", async () => {
    let calls = 0;
    kit.handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return {
          status: 200,
          body: { access_token: `tok-${calls}`, expires_in: "3600", token_type: "Bearer", scope: "x" },
          delayMs: 50,
        };
      },
    });
    const c = kit.client();
    const [a, b] = await Promise.all([c.getAccessToken(CREDS), c.getAccessToken(CREDS)]);
    expect([a, b]).toEqual(["tok-1", "tok-1"]);
    expect(await kit.client().getAccessToken(CREDS)).toBe("tok-1");
    expect(calls).toBe(1);

    // Another client id, another token.
    expect(await c.getAccessToken({ clientId: "other", clientSecret: "other-secret" })).toBe("tok-2");
    // Another environment, another cache entry.
    expect(await kit.client({ environment: "production" }).getAccessToken(CREDS)).toBe("tok-3");
    expect(calls).toBe(3);

    clearTokenCache();
    expect(await c.getAccessToken(CREDS)).toBe("tok-4");
  });

  it("does not cache a token that expires within the refresh margin", async () => {
    let calls = 0;
    kit.handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return { status: 200, body: { access_token: `tok-${calls}`, expires_in: 30, token_type: "Bearer", scope: "x" } };
      },
    });
    await kit.client().getAccessToken(CREDS);
    await kit.client().getAccessToken(CREDS);
    expect(calls).toBe(2);
  });

  it("does not hand a cached token to a different secret", async () => {
    let calls = 0;
    kit.handler = route({
      "/v1/auth/token/": () => {
        calls += 1;
        return { status: 200, body: { access_token: `tok-${calls}`, expires_in: "3600", token_type: "Bearer", scope: "x" } };
      },
    });
    await kit.client().getAccessToken(CREDS);
    expect(await kit.client().getAccessToken({ clientId: CREDS.clientId, clientSecret: "wrong" })).toBe("tok-2");
  });

  it("maps a 401 to unauthorized without echoing the credentials", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({ status: 401, body: { detail: `bad secret ${SECRET}` } }),
    });
    const err = await caught(kit.client().getAccessToken(CREDS));
    expect(err.code).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      "Pay-Connect refused this pairing's credentials (401): the pairing may already be unpaired on Pay-Connect's side.",
    );
    expect(err.credentialsRefused).toBe(true);
  });

  it("says the credentials themselves are refused only for a refused token, not for a 5xx or a 400", async () => {
    for (const status of [400, 500]) {
      kit.handler = route({ "/v1/auth/token/": () => ({ status, body: { detail: "no" } }) });
      expect((await caught(kit.client().getAccessToken(CREDS))).credentialsRefused, String(status)).toBe(false);
    }
    kit.handler = route({ "/v1/auth/token/": () => ({ status: 403, body: {} }) });
    expect((await caught(kit.client().getAccessToken(CREDS))).credentialsRefused).toBe(true);
  });

  it("maps a token 400 to bad_request and appends a short provider detail", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({ status: 400, body: { detail: "unsupported grant" } }),
    });
    const err = await caught(kit.client().getAccessToken(CREDS));
    expect(err.code).toBe("bad_request");
    expect(err.message).toContain('Pay-Connect said: "unsupported grant"');
  });

  it("does not append a provider detail that echoes a value we sent, or is long", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({ status: 400, body: { detail: `bad client_secret ${SECRET}` } }),
    });
    const echoed = await caught(kit.client().getAccessToken(CREDS));
    expect(echoed.code).toBe("bad_request");
    expect(echoed.message).not.toContain(SECRET);
    expect(echoed.message).not.toContain("Pay-Connect said");

    kit.handler = route({ "/v1/auth/token/": () => ({ status: 400, body: { detail: "x ".repeat(150) } }) });
    expect((await caught(kit.client().getAccessToken(CREDS))).message).not.toContain("Pay-Connect said");
  });

  it("maps a token response without access_token to invalid_response", async () => {
    kit.handler = route({
      "/v1/auth/token/": () => ({ status: 200, body: { expires_in: "3600", token_type: "Bearer" } }),
    });
    const err = await caught(kit.client().getAccessToken(CREDS));
    expect(err.code).toBe("invalid_response");
  });
});
