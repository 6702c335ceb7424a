import { describe, expect, it } from "vitest";
import { can, isPermission, refusal, routePermission } from "./permissions";

describe("permissions", () => {
  it("looks permissions up as own properties only", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      expect(isPermission(name), name).toBe(false);
      expect(can("admin", name as never), name).toBe(false);
      expect(refusal("viewer", name as never), name).toBe("Your role (viewer) cannot open that page.");
    }
    expect(isPermission("users:manage")).toBe(true);
    expect(refusal("viewer", "users:manage")).toBe("Your role (viewer) cannot manage users.");
  });

  it("refuses a rename in its own words, to the roles that may not pair", () => {
    expect(refusal("viewer", "pairing:rename")).toBe("Your role (viewer) cannot rename pairings.");
    expect(refusal("merchant-viewer", "pairing:rename")).toBe("Your role (merchant viewer) cannot rename pairings.");
    for (const role of ["admin", "support", "viewer", "merchant-admin", "merchant-viewer"] as const) {
      expect(can(role, "pairing:rename"), role).toBe(can(role, "pairing:create"));
    }
  });

  it("knows which permission each admin page needs", () => {
    expect(routePermission("/users")).toBe("users:manage");
    expect(routePermission("/terminals/pair")).toBe("pairing:create");
    expect(routePermission("/terminals/12")).toBe("terminals:read");
    expect(routePermission("/")).toBe("terminals:read");
    expect(routePermission("/usersx")).toBeUndefined();
  });
});
