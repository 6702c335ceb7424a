import { beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../test/db";
import { rawQuery, type DB } from "../db/open";
import { claimAttempt, delayAfter, describeWait, settleAttempt, type ThrottleRule } from "./rate-limit";

let db: DB;
beforeEach(async () => {
  db = await openTestDatabase();
});

const rule: ThrottleRule = { key: "k", free: 3, capMs: 10_000, clearOnSuccess: true };
const T0 = 1_800_000_000_000;

describe("rate limit", () => {
  it("the wait doubles after the free failures, up to the cap", () => {
    expect([0, 2, 3, 4, 5, 6, 7, 40].map((n) => delayAfter(n, rule))).toEqual([0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("refuses while waiting, does not count the refusals, and lets the next attempt in after the wait", async () => {
    for (let i = 0; i < 3; i++) expect((await claimAttempt(db, [rule], T0 + i)).ok).toBe(true);
    expect(await claimAttempt(db, [rule], T0 + 500)).toEqual({ ok: false, retryAfterMs: 502 });
    expect(await claimAttempt(db, [rule], T0 + 900)).toEqual({ ok: false, retryAfterMs: 102 });
    // Refused attempts were not counted: the 4th attempt is allowed 1 s after the 3rd.
    expect((await claimAttempt(db, [rule], T0 + 1002)).ok).toBe(true);
    expect(await claimAttempt(db, [rule], T0 + 2000)).toEqual({ ok: false, retryAfterMs: 1002 });
  });

  it("never makes an attempt within the free failures wait, even behind one counted with a later clock (racing instances)", async () => {
    expect((await claimAttempt(db, [rule], T0 + 50)).ok).toBe(true);
    expect((await claimAttempt(db, [rule], T0)).ok).toBe(true);
    expect((await claimAttempt(db, [rule], T0 + 10)).ok).toBe(true);
    expect(await claimAttempt(db, [rule], T0 + 20)).toEqual({ ok: false, retryAfterMs: 1030 });
  });

  it("forgets failures older than 15 minutes", async () => {
    for (let i = 0; i < 6; i++) await claimAttempt(db, [rule], T0 - 16 * 60_000 + i * 20_000);
    expect((await claimAttempt(db, [rule], T0)).ok).toBe(true);
  });

  it("a success takes its attempt back and clears only the keys that a success clears", async () => {
    const kept: ThrottleRule = { key: "kept", free: 3, capMs: 10_000, clearOnSuccess: false };
    for (let i = 0; i < 2; i++) await claimAttempt(db, [rule, kept], T0 + i);
    const claim = await claimAttempt(db, [rule, kept], T0 + 10);
    if (!claim.ok) throw new Error("refused");
    await settleAttempt(db, claim, true);
    expect(await rawQuery(db, "select key, count(*) n from sign_in_failures group by key")).toEqual([{ key: "kept", n: 2 }]);
  });

  it("says how long to wait", () => {
    expect([1, 999, 1000, 1001, 59_000, 60_000, 61_000, 300_000].map(describeWait)).toEqual([
      "1 second", "1 second", "1 second", "2 seconds", "59 seconds", "1 minute", "2 minutes", "5 minutes",
    ]);
  });
});
