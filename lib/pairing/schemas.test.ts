import { describe, expect, it } from "vitest";
import { pairFormSchema } from "./schemas";

const base = {
  requestKey: "3b241101-e2bb-4255-8caf-4136c566a962",
  name: "Front till",
  otp: "ABCD2345",
  environment: "sandbox",
  webhookUrl: "https://pairdesk.example.com/api/webhooks/pay-connect/abc",
};
const errors = (over: Record<string, unknown>) => {
  const r = pairFormSchema.safeParse({ ...base, ...over });
  return r.success ? {} : r.error.flatten().fieldErrors;
};

describe("pairFormSchema", () => {
  it("accepts a good form and trims the OTP and name", () => {
    const r = pairFormSchema.parse({ ...base, otp: "  ABCD2345 ", name: "  Till 1 " });
    expect(r.otp).toBe("ABCD2345");
    expect(r.name).toBe("Till 1");
  });
  it("strips white space anywhere in the OTP and never changes its case", () => {
    expect(pairFormSchema.parse({ ...base, otp: " 464a 3qhd\t" }).otp).toBe("464a3qhd");
    expect(pairFormSchema.parse({ ...base, otp: "ABCD 2345" }).otp).toBe("ABCD2345");
    expect(errors({ otp: "  \n " }).otp).toEqual(["Enter the OTP shown on the terminal."]);
  });
  it("refuses a missing, too long or odd OTP", () => {
    expect(errors({ otp: "" }).otp).toEqual(["Enter the OTP shown on the terminal."]);
    expect(errors({ otp: "AB" }).otp?.[0]).toMatch(/4 to 32 letters/);
    expect(errors({ otp: "ABCD<script>" }).otp?.[0]).toMatch(/4 to 32 letters/);
    expect(errors({ otp: "A".repeat(33) }).otp?.[0]).toMatch(/4 to 32 letters/);
  });
  it("needs a name of 1 to 100 characters", () => {
    expect(errors({ name: "   " }).name).toEqual(["Enter a name for this pairing."]);
    expect(errors({ name: "x".repeat(101) }).name).toEqual(["Name must be at most 100 characters."]);
  });
  it("accepts https webhook URLs, and http only for localhost", () => {
    expect(errors({ webhookUrl: "http://localhost:3000/api/webhooks/pay-connect/x" })).toEqual({});
    expect(errors({ webhookUrl: "http://127.0.0.1/x" })).toEqual({});
    expect(errors({ webhookUrl: "http://example.com/x" }).webhookUrl?.[0]).toMatch(/must use https/);
    expect(errors({ webhookUrl: "ftp://example.com/x" }).webhookUrl?.[0]).toMatch(/must use https/);
    expect(errors({ webhookUrl: "not a url" }).webhookUrl?.[0]).toMatch(/Enter a full URL/);
    expect(errors({ webhookUrl: "https://user:pw@example.com/x" }).webhookUrl?.[0]).toMatch(/user name or password/);
    expect(pairFormSchema.parse({ ...base, webhookUrl: "" }).webhookUrl).toBeNull();
  });
  it("knows only production and sandbox", () => {
    expect(errors({ environment: "staging" }).environment).toEqual(["Choose production or sandbox."]);
  });
});
