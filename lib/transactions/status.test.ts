import { describe, expect, it } from "vitest";
import { FINAL_TRANSACTION_STATUSES, TRANSACTION_STATUSES } from "../domain";
import { decideStatus } from "./status";

describe("decideStatus", () => {
  it("moves an open transaction forward, to any final status", () => {
    expect(decideStatus("INITIATED", "IN_PROGRESS").effect).toBe("changed");
    for (const final of FINAL_TRANSACTION_STATUSES) {
      expect(decideStatus("INITIATED", final).effect).toBe("changed");
      expect(decideStatus("IN_PROGRESS", final).effect).toBe("changed");
    }
  });

  it("ignores a late open status", () => {
    expect(decideStatus("IN_PROGRESS", "INITIATED")).toMatchObject({ effect: "ignored" });
    for (const final of FINAL_TRANSACTION_STATUSES) {
      expect(decideStatus(final, "IN_PROGRESS")).toMatchObject({ effect: "ignored" });
      expect(decideStatus(final, "INITIATED")).toMatchObject({ effect: "ignored" });
    }
  });

  it("never leaves a final status, except SUCCESS → REVERTED", () => {
    for (const from of FINAL_TRANSACTION_STATUSES) {
      for (const to of FINAL_TRANSACTION_STATUSES) {
        if (from === to) continue;
        const expected = from === "SUCCESS" && to === "REVERTED" ? "changed" : "ignored";
        expect(decideStatus(from, to).effect, `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it("says the same status is the same", () => {
    for (const s of TRANSACTION_STATUSES) expect(decideStatus(s, s).effect).toBe("same");
  });
});
