import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditActionLabel, environmentLabel, ENVIRONMENT_OPTIONS, OPERATION_LABELS } from "./labels";

describe("lib/labels", () => {
  it("is client-safe: at runtime it imports lib/domain alone", () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, "labels.ts"), "utf8");
    const runtime = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    expect(runtime).toEqual(["./domain"]);
  });

  it("words environments once, for chips and the filter alike", () => {
    expect(environmentLabel("production")).toBe("Production");
    expect(environmentLabel("mars")).toBe("mars");
    expect(ENVIRONMENT_OPTIONS.map((o) => o.label)).toEqual(["All environments", "Production", "Sandbox"]);
  });

  it("names an audit action in words, and one without a label readably", () => {
    expect(auditActionLabel("pairing.create")).toBe("Pairing created");
    expect(auditActionLabel("transaction.preauth_increment")).toBe("Transaction preauth increment");
  });

  it("names an operation the way the transaction page's buttons do", () => {
    expect(OPERATION_LABELS.preauth_increment).toBe("Increase");
    expect(OPERATION_LABELS.preauth_complete).toBe("Completion");
  });
});
