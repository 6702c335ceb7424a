import "../test/setup-env";
import { describe, expect, it } from "vitest";
import { webhookEndpoint, webhookForAttempt } from "./webhook-url";

describe("webhookForAttempt", () => {
  it("mints a fresh token for a URL under this app's webhook endpoint, whatever token it carried", () => {
    const submitted = "http://localhost:3000/api/webhooks/pay-connect/token-from-the-browser";
    const a = webhookForAttempt(submitted);
    const b = webhookForAttempt(submitted);
    expect(a.webhookToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a.webhookUrl).toBe(`http://localhost:3000/api/webhooks/pay-connect/${a.webhookToken}`);
    expect(b.webhookToken).not.toBe(a.webhookToken);
  });

  it("uses this app's endpoint with a fresh token when no URL is given", () => {
    const a = webhookForAttempt(null);
    expect(webhookEndpoint()).toBe("http://localhost:3000/api/webhooks/pay-connect/");
    expect(a.webhookToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a.webhookUrl).toBe(`${webhookEndpoint()}${a.webhookToken}`);
    expect(webhookForAttempt(null).webhookToken).not.toBe(a.webhookToken);
  });

  it("keeps another URL as given, with no token", () => {
    expect(webhookForAttempt("https://pos.example.com/hooks/pay")).toEqual({ webhookUrl: "https://pos.example.com/hooks/pay", webhookToken: null });
  });
});
