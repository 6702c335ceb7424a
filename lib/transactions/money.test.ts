import { describe, expect, it } from "vitest";
import { currencyDigits, formatAmount, parseAmount } from "./money";

describe("amounts in minor units", () => {
  it("knows each currency's decimals", () => {
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("BHD")).toBe(3);
    expect(currencyDigits(null)).toBe(2);
    expect(currencyDigits("NOPE")).toBe(2);
  });

  it("formats minor units with the currency", () => {
    expect(formatAmount(1250, "EUR")).toBe("€12.50");
    expect(formatAmount(1250, "JPY")).toBe("JP¥1,250");
    expect(formatAmount(1250, null)).toBe("12.50");
  });

  it("parses what a person types into minor units", () => {
    expect(parseAmount("12.5", "EUR")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("12,50", "EUR")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount(" 1 234.56 ", "EUR")).toEqual({ ok: true, minor: 123456 });
    expect(parseAmount("1250", "JPY")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("0.001", "BHD")).toEqual({ ok: true, minor: 1 });
  });

  it("refuses what is not an amount, saying why", () => {
    expect(parseAmount("", "EUR")).toEqual({ ok: false, error: "Enter an amount." });
    expect(parseAmount("12.505", "EUR")).toEqual({ ok: false, error: "EUR has 2 decimals at most." });
    expect(parseAmount("12.5", "JPY")).toEqual({ ok: false, error: "JPY has no decimals: enter a whole amount." });
    expect(parseAmount("-3", "EUR")).toEqual({ ok: false, error: "Enter an amount above zero." });
    expect(parseAmount("0", "EUR")).toEqual({ ok: false, error: "Enter an amount above zero." });
    expect(parseAmount("1e3", "EUR").ok).toBe(false);
    expect(parseAmount("12.5.1", "EUR").ok).toBe(false);
    expect(parseAmount("99999999999999999999", "EUR")).toEqual({ ok: false, error: "That amount is too large." });
  });
});
