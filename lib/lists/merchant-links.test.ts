import { describe, expect, it } from "vitest";
import { parseAsMerchant } from "./kit";
import { matchMerchants, parseMerchantId, switchMerchantHref, withMerchant } from "./merchant-links";

describe("parseMerchantId", () => {
  it("reads a positive id and nothing else, as the list kit does", () => {
    for (const v of ["1", "12", "007", "999999999", "0", "-3", "1.5", "abc", "", " 4", "1e3", "1234567890"]) {
      expect(parseMerchantId(v), v).toBe(parseAsMerchant.parse(v));
    }
    expect(parseMerchantId("12")).toBe(12);
    expect(parseMerchantId("0")).toBeNull();
    expect(parseMerchantId(null)).toBeNull();
    expect(parseMerchantId(undefined)).toBeNull();
  });
});

describe("withMerchant", () => {
  it("adds, replaces and removes the merchant, keeping the rest", () => {
    expect(withMerchant("/", 3)).toBe("/?merchant=3");
    expect(withMerchant("/terminals?environment=sandbox", 3)).toBe("/terminals?environment=sandbox&merchant=3");
    expect(withMerchant("/terminals?merchant=9&status=paired", 3)).toBe("/terminals?merchant=3&status=paired");
    expect(withMerchant("/terminals?merchant=9&status=paired", null)).toBe("/terminals?status=paired");
    expect(withMerchant("/audit?merchant=9", null)).toBe("/audit");
    expect(withMerchant("/users#add", 5)).toBe("/users?merchant=5#add");
  });
});

describe("switchMerchantHref", () => {
  it("keeps the page, its filters and sort, and goes back to page 1", () => {
    expect(switchMerchantHref("/terminals", "?q=abc&status=paired&sort=-paired_at&page=3", 7)).toBe(
      "/terminals?q=abc&status=paired&sort=-paired_at&merchant=7",
    );
    expect(switchMerchantHref("/attempts", "merchant=7&page=2", 8)).toBe("/attempts?merchant=8");
    expect(switchMerchantHref("/audit", "?merchant=7&action=auth.login", null)).toBe("/audit?action=auth.login");
    expect(switchMerchantHref("/", "", 4)).toBe("/?merchant=4");
    expect(switchMerchantHref("/", "?merchant=4", null)).toBe("/");
    expect(switchMerchantHref("", "", null)).toBe("/");
  });

  it("leaves one object's page for its section's list", () => {
    expect(switchMerchantHref("/terminals/12", "?paired=1", 4)).toBe("/terminals?merchant=4");
    expect(switchMerchantHref("/merchants/3", "", null)).toBe("/merchants");
    expect(switchMerchantHref("/terminals/pair", "?merchant=2", 4)).toBe("/terminals/pair?merchant=4");
  });
});

describe("matchMerchants", () => {
  const list = [
    { id: 1, name: "Acme Coffee", status: "active" as const },
    { id: 2, name: "Bakery Brot", status: "suspended" as const },
    { id: 3, name: "acme tea", status: "active" as const },
  ];
  it("matches any part of the name, case-insensitively, up to a limit", () => {
    expect(matchMerchants(list, " ACME ", 10)).toEqual({ shown: [list[0], list[2]], more: 0 });
    expect(matchMerchants(list, "", 2)).toEqual({ shown: [list[0], list[1]], more: 1 });
    expect(matchMerchants(list, "zzz", 5)).toEqual({ shown: [], more: 0 });
  });
});
