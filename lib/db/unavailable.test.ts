/**
 * When the database does not answer, Pairdesk says so quickly: a refused connection or a pool
 * exhausted past its wait is "unavailable" (isDatabaseUnavailable), the webhook endpoint answers
 * 503 with Retry-After (Pay-Connect sends the delivery again), and nothing hangs.
 */
import "../test/setup-env";
import { describe, expect, it } from "vitest";
import { ENGINE } from "./engine";
import { isDatabaseUnavailable } from "./errors";
import { openDatabase } from "./open";
import { pairings } from "./schema";
import { firstRow } from "./query";
import { openTestDatabase, testDatabaseTarget } from "../test/db";
import { payConnectWebhooks } from "../pay-connect/webhook";
import { receiveWebhook } from "../webhooks/receive";

describe.skipIf(ENGINE !== "postgres")("Postgres unavailable", () => {
  it("a server that refuses connections: the error says unavailable, and a webhook gets 503 with Retry-After", async () => {
    const db = openDatabase("postgres://pairdesk@127.0.0.1:1/nowhere", { migrate: false, connectionTimeoutMs: 1_000 });
    try {
      const err = await firstRow(db.select().from(pairings).limit(1)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(err)).toBe(true);
      const res = await receiveWebhook(
        db,
        payConnectWebhooks,
        new Request("http://pairdesk.test/api/webhooks/pay-connect/abcdefgh12345678", { method: "POST", body: "[]" }),
        "abcdefgh12345678",
      );
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toEqual({ detail: "The database is unavailable; the delivery was not stored. Send it again." });
    } finally {
      await db.end();
    }
  });

  it("a pool with every connection taken refuses the next request after its wait, instead of hanging", async () => {
    const target = await testDatabaseTarget();
    const db = openDatabase(target, { poolSize: 1, connectionTimeoutMs: 300 });
    await db.ready;
    let release: () => void = () => undefined;
    const held = db.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      await new Promise((r) => setTimeout(r, 50));
      const err = await firstRow(db.select().from(pairings).limit(1)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      release();
      await held;
      await db.end();
    }
  });
});

describe("SQLite and other errors", () => {
  it("a rule's refusal or a bug is not 'unavailable'", async () => {
    const db = await openTestDatabase();
    try {
      const err = await db.transaction((tx) => tx.insert(pairings).values({} as never)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(isDatabaseUnavailable(err)).toBe(false);
      expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    } finally {
      await db.end();
    }
  });

  it("SQLite locked past its busy timeout is 'unavailable'", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
  });
});
