/**
 * A failed query's error never carries the values it ran with: not in its message, its fields
 * or its cause's detail (a webhook token in a unique violation, here), while what the code needs
 * to read it (the constraint, the table, the key's columns) is still there. Both engines.
 */
import "../test/setup-env";
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../test/db";
import { pairedTerminal } from "../test/transactions";
import { pairings } from "./schema";
import { eq } from "drizzle-orm";
import { errorForLog, isUniqueViolation, violationOf } from "./errors";

/** Everything an error logger could print: message, stack, own fields, the cause's, recursively. */
function printable(err: unknown, depth = 0): string {
  if (!err || typeof err !== "object" || depth > 4) return String(err);
  const fields = Object.getOwnPropertyNames(err).map((k) => `${k}=${k === "cause" ? printable((err as Record<string, unknown>)[k], depth + 1) : String((err as Record<string, unknown>)[k])}`);
  return fields.join("\n");
}

describe("errors without values", () => {
  it("a unique violation on a secret column says which, not what", async () => {
    const db = await openTestDatabase();
    try {
      const t = await pairedTerminal(db);
      const token = "tok_SECRET_value_0123456789";
      await db.transaction((tx) => tx.update(pairings).set({ webhookToken: token }).where(eq(pairings.id, t.pairingId)));
      const err = await db
        .transaction((tx) =>
          tx.insert(pairings).values({
            terminalRef: t.terminalRef,
            merchantId: t.merchantId,
            payConnectId: "pc-dup",
            name: "Dup",
            clientId: "client-dup",
            hasWebhookSecret: false,
            status: "replaced",
            webhookToken: token,
            createdById: t.userId,
          }),
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).not.toBeNull();
      expect(printable(err)).not.toContain(token);
      expect(String((err as Error).stack)).not.toContain(token);
      expect(isUniqueViolation(err, "pairings")).toBe(true);
      expect(violationOf(err)).toEqual({ kind: "unique", table: "pairings", columns: ["webhook_token"] });
      // What a log line gets: the messages and the driver's code, never the value.
      const forLog = errorForLog(err);
      expect(forLog.code).toMatch(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/);
      expect(JSON.stringify(forLog)).not.toContain(token);
    } finally {
      await db.end();
    }
  });
});
