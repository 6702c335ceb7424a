/** The status table: what each answer means for the person at the screen, and its outcome. */
import { describe, expect, it } from "vitest";
import { mapStatus, OTP_EXPIRED_MESSAGE, OTP_REJECTED_MESSAGE, OTP_USED_MESSAGE, type Operation } from "./error-map";
import { caught, payConnectKit, route } from "../test/pay-connect-kit";

const kit = await payConnectKit();

describe("status table", () => {
  it("maps a 400 to otp_rejected with the fixed message", async () => {
    kit.handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 400, body: { detail: "Invalid OTP ABCD2345" } }),
    });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("otp_rejected");
    expect(err.status).toBe(400);
    expect(err.outcome).toBe("failed");
    // Mistyped is as likely as used or expired: the advice covers both.
    expect(err.message).toBe(
      "The OTP was rejected: it may be mistyped, or already used or expired. Check it against the terminal's screen; if it matches, generate a new OTP on the terminal.",
    );
    expect(err.message).toBe(OTP_REJECTED_MESSAGE);
    expect(err.message).not.toContain("ABCD2345");
  });

  it("says an expired and a used OTP apart where Pay-Connect's answer does, and covers every case where it does not", async () => {
    for (const [said, message] of [
      ["OTP expired", OTP_EXPIRED_MESSAGE],
      ["OTP already used", OTP_USED_MESSAGE],
      ["Invalid OTP", OTP_REJECTED_MESSAGE],
      ["Invalid or expired OTP", OTP_REJECTED_MESSAGE],
      ["", OTP_REJECTED_MESSAGE],
    ] as const) {
      kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 400, body: { detail: said } }) });
      const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
      expect(err.code, said).toBe("otp_rejected");
      expect(err.message, said).toBe(message);
    }
  });

  it("maps a 400 about the integrator id to a configuration message, not a bad OTP", async () => {
    kit.handler = route({
      "/v1/pay-connect/pair/": () => ({ status: 400, body: { detail: "Unknown integrator id" } }),
    });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("bad_request");
    expect(err.outcome).toBe("failed");
    expect(err.message).toContain("Pay-Connect refused the integrator id (400)");
    expect(err.message).toContain("_INTEGRATOR_ID");
    expect(err.message).not.toContain("OTP was rejected");
  });

  it("maps a 500 to unavailable, outcome failed", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 500, raw: "<html>oops</html>" }) });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("unavailable");
    expect(err.status).toBe(500);
    expect(err.outcome).toBe("failed");
    expect(err.message).toBe(
      "Pay-Connect is unavailable (HTTP 500). Nothing was paired; try again in a few minutes.",
    );
  });

  it("maps a gateway 504 to an unknown outcome", async () => {
    kit.handler = route({ "/v1/pay-connect/pair/": () => ({ status: 504 }) });
    const err = await caught(kit.client().pair({ name: "A", otp: "ABCD2345" }));
    expect(err.code).toBe("unavailable");
    expect(err.outcome).toBe("unknown");
  });
});

describe("STATUS_ROWS", () => {
  const map = (op: Operation, status: number, detail?: string) =>
    mapStatus({ op, status, detail: () => detail, urlVariable: "URL_VAR", integratorVariable: "INTEGRATOR_VAR" });

  it.each([
    // op, status, code, outcome
    ["pair", 302, "bad_request", "failed"],
    ["pair", 400, "otp_rejected", "failed"],
    ["pair", 401, "unauthorized", "failed"],
    ["pair", 403, "unauthorized", "failed"],
    ["pair", 404, "bad_request", "failed"],
    ["pair", 409, "bad_request", "failed"],
    ["pair", 429, "unavailable", "failed"],
    ["pair", 500, "unavailable", "failed"],
    ["pair", 502, "unavailable", "unknown"],
    ["pair", 503, "unavailable", "failed"],
    ["pair", 504, "unavailable", "unknown"],
    ["pair", 100, "invalid_response", "unknown"],
    ["token", 400, "bad_request", "failed"],
    ["token", 401, "unauthorized", "failed"],
    ["token", 502, "unavailable", "failed"],
    ["token", 100, "invalid_response", "failed"],
    ["unpair", 400, "bad_request", "failed"],
    ["unpair", 401, "unauthorized", "failed"],
    ["unpair", 504, "unavailable", "unknown"],
  ] as const)("%s %i → %s, outcome %s", (op, status, code, outcome) => {
    expect(map(op, status)).toMatchObject({ code, outcome });
  });

  it("names the setting to check, and says what was not done", () => {
    expect(map("pair", 404).message).toBe("Pay-Connect answered HTTP 404 for /v1/pay-connect/pair/. Nothing was paired; check URL_VAR.");
    expect(map("pair", 400, "Unknown integrator").message).toContain("check INTEGRATOR_VAR");
    expect(map("pair", 400, "Unknown integrator").code).toBe("bad_request");
    expect(map("unpair", 500).message).toContain("Nothing was unpaired");
  });
});
