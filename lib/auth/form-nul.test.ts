import { describe, expect, it } from "vitest";
import { nulFieldErrors } from "./safe-action";

describe("a form value with a NUL byte", () => {
  it("is refused by field, before any schema reads it", () => {
    expect(nulFieldErrors({ name: "Caf\u0000e", externalRef: "ok", count: 3 })).toEqual({
      name: ["This contains a NUL character (\\0), which cannot be stored: remove it."],
    });
    expect(nulFieldErrors({ name: "Café étoile", note: "" })).toBeNull();
  });
});
