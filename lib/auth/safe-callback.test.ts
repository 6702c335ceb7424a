import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it("keeps a path of this site, with its query", () => {
    expect(safeCallbackPath("/terminals?q=T-1", ORIGIN)).toBe("/terminals?q=T-1");
    expect(safeCallbackPath("http://localhost:3000/users", ORIGIN)).toBe("/users");
    expect(safeCallbackPath("/a/../terminals", ORIGIN)).toBe("/terminals");
  });

  it("never a path that leaves the site once normalised", () => {
    for (const bad of [
      "/.//evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/./../..//evil.example/x",
      "https://evil.example/",
      "http://localhost:3001/",
      "javascript:alert(1)",
      "data:text/html,hi",
      "",
      null,
    ]) {
      const path = safeCallbackPath(bad, ORIGIN);
      expect(path, String(bad)).toMatch(/^\/(?![/\\])/);
      expect(new URL(path, ORIGIN).origin, String(bad)).toBe(ORIGIN);
    }
    expect(safeCallbackPath("/.//evil.example", ORIGIN)).toBe("/");
  });
});
