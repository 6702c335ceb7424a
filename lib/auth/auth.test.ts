import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeCredentials, confirmPassword, signInRules, SIGN_IN_LIMITS, TOO_LONG_LOGIN, WRONG_LOGIN, type SignInContext } from "./auth";
import { issueDeviceToken, readDeviceToken } from "./known-device";
import { isSessionActive } from "./sessions";
import { rawQuery, type DB } from "../db/open";
import { createUser } from "../users/users";
import { testMerchant } from "../test/merchants";
import { dummyPasswordHash, verifyPassword } from "./password";

// The real password checks, watched: a test can tell whether a password was hashed at all.
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword), dummyPasswordHash: vi.fn(real.dummyPasswordHash) };
});

let db: DB;
beforeEach(async () => {
  db = await openTestDatabase();
  await testMerchant(db);
});

const unknown: SignInContext = { address: null, device: null };
const at = (address: string): SignInContext => ({ address, device: null });
const SECRET = "test-auth-secret-0123456789abcdefghijklmnop";

type AuditRow = { actor_id: number | null; actor_email: string | null; action: string; target_type: string | null; target_id: string | null; details: string | null };
const audit = () => rawQuery<AuditRow>(db, "select actor_id, actor_email, action, target_type, target_id, details from audit_log order by id");

describe("authorizeCredentials", () => {
  it("an unknown email is audited without the typed text, which may be a password", async () => {
    const typed = "my-secret-password-typed-in-the-wrong-field";
    await expect(authorizeCredentials(db, { email: typed, password: "whatever-password" }, at("198.51.100.7"))).rejects.toThrow(
      WRONG_LOGIN,
    );
    expect(await audit()).toEqual([
      {
        actor_id: null,
        actor_email: null,
        action: "auth.sign_in_failed",
        target_type: "user",
        target_id: null,
        details: JSON.stringify({ reason: "unknown_email" }),
      },
    ]);
    expect(JSON.stringify(await audit())).not.toContain(typed);
  });

  it("a wrong password names the user; the right one signs in", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "support" });
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: "a-wrong-password" }, unknown)).rejects.toThrow(
      WRONG_LOGIN,
    );
    const signedIn = await authorizeCredentials(db, { email: " ANA@example.com ", password: "a-long-test-password" }, unknown);
    expect(signedIn).toMatchObject({ id: u.id, email: "ana@example.com", role: "support", sessionVersion: 1 });
    expect((await audit()).map((r) => [r.action, r.target_id, r.details])).toEqual([
      ["auth.sign_in_failed", String(u.id), JSON.stringify({ reason: "wrong_password" })],
      ["auth.sign_in", String(u.id), null],
    ]);
  });
});

const PASSWORD = "a-long-test-password";
/** As if every counted attempt had just happened (the checks themselves take time under load). */
const justNow = () => rawQuery(db, "update sign_in_failures set at = ?", [Date.now()]);
const failures = async (userId: number) =>
  Number((await rawQuery<{ n: number }>(db, "select count(*) n from audit_log where action = 'auth.sign_in_failed' and target_id = ?", [String(userId)]))[0]!.n);

describe("sign-in throttling", () => {
  it("an email with a NUL byte is simply wrong, on either engine (never a database error)", async () => {
    await expect(authorizeCredentials(db, { email: "ana\u0000@example.com", password: "a-wrong-password" }, unknown)).rejects.toThrow(WRONG_LOGIN);
  });

  it("a flood of wrong sign-ins for different emails all get 'incorrect', none a database error (Postgres' conflicts are retried)", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        authorizeCredentials(db, { email: `nobody-${i}@example.com`, password: "a-wrong-password" }, at(`203.0.113.${i % 250}`)).then(
          () => "signed in",
          (err: Error) => err.message,
        ),
      ),
    );
    expect(new Set(outcomes)).toEqual(new Set([WRONG_LOGIN]));
  });

  it("counts parallel wrong passwords before verifying them: 12 at once, only the free 5 are checked", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => authorizeCredentials(db, { email: "ana@example.com", password: `wrong-password-${i}` }, unknown)),
    );
    const messages = results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "signed in"));
    expect(messages.filter((m) => m === WRONG_LOGIN)).toHaveLength(SIGN_IN_LIMITS.emailAddress.free);
    expect(messages.filter((m) => /^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/.test(m))).toHaveLength(7);
    expect(await failures(u.id)).toBe(SIGN_IN_LIMITS.emailAddress.free);
  });

  it("slows rather than locks: after the free failures the owner waits seconds, not 15 minutes", async () => {
    await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    for (let i = 0; i < 5; i++) {
      await expect(authorizeCredentials(db, { email: "ana@example.com", password: `wrong-${i}-password` }, unknown)).rejects.toThrow(WRONG_LOGIN);
    }
    await justNow();
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown)).rejects.toThrow(
      "Too many failed sign-in attempts. Try again in 1 second.",
    );
    // The failures are 1.1 s older: the owner is let in.
    await rawQuery(db, "update sign_in_failures set at = at - 1100");
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown)).resolves.toMatchObject({
      email: "ana@example.com",
    });
  });

  it("a forged address cannot escape the limit: with no trusted proxy the email keys hold, and no shared key lets one client slow down the others", async () => {
    await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    for (let i = 0; i < 5; i++) {
      // What a forged X-Forwarded-For gives with TRUSTED_PROXY_HOPS=0: no address (lib/auth/client-address.ts).
      await expect(authorizeCredentials(db, { email: "ana@example.com", password: `wrong-${i}-password` }, unknown)).rejects.toThrow(WRONG_LOGIN);
    }
    await justNow();
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: "wrong-again-password" }, unknown)).rejects.toThrow(/Too many/);
    // Another (trusted) address has its own email+address key, but the per-email ceiling still counts.
    const keys = await rawQuery(db, "select key, count(*) n from sign_in_failures group by key order by key");
    expect(keys).toEqual([
      { key: "email+address:ana@example.com|unknown", n: 5 },
      { key: "email:ana@example.com", n: 5 },
    ]);
  });

  it("a spray of wrong sign-ins over many emails, with no trusted proxy, does not slow down anyone else's new browser", async () => {
    await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    for (let i = 0; i < 120; i++) {
      // Counted straight into the limiter (as authorizeCredentials does before verifying), to
      // keep the test fast: 120 failures on 120 made-up emails from unknown addresses.
      for (const rule of signInRules(`spray${i}@x.test`, undefined, unknown)) {
        await rawQuery(db, "insert into sign_in_failures (key) values (?)", [rule.key]);
      }
    }
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown)).resolves.toMatchObject({
      email: "ana@example.com",
    });
  });

  it("someone who knows an email cannot lock its owner out of their usual browser (a known device)", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    // The owner signed in on this browser before: it carries a known-device cookie.
    const device = readDeviceToken(SECRET, issueDeviceToken(SECRET, u.id))!;
    // An attacker fails again and again, from anywhere.
    for (let i = 0; i < 12; i++) {
      await authorizeCredentials(db, { email: "ana@example.com", password: `guess-${i}-password` }, at(`203.0.113.${i}`)).catch(() => undefined);
    }
    await justNow();
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: "guess-x-password" }, at("203.0.113.99"))).rejects.toThrow(/Too many/);
    // The owner, on their browser: in at once.
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, { address: "198.51.100.1", device })).resolves.toMatchObject({ id: u.id });
    // A device cookie of another user counts for nothing.
    const other = readDeviceToken(SECRET, issueDeviceToken(SECRET, u.id + 1))!;
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, { address: "198.51.100.1", device: other })).rejects.toThrow(/Too many/);
  });

  it("wrong passwords at the reveal re-entry never slow down or lock the user's sign-in", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "admin" });
    const user = { id: u.id, email: u.email, name: "", role: u.role, merchantId: null, merchantName: null };
    for (let i = 0; i < 3; i++) expect(await confirmPassword(db, user, `wrong-${i}-password`)).toBe("That password is incorrect.");
    await justNow();
    expect(await confirmPassword(db, user, PASSWORD)).toMatch(/^Too many wrong passwords\. Try again in \d+ seconds?\.$/);
    // Eight more wrong ones, each after waiting out its delay (1 s, 2 s, 4 s…: the clock moved by
    // rewriting the rows), so that 11 failures are counted.
    for (let i = 0; i < 8; i++) {
      await rawQuery(db, "update sign_in_failures set at = at - ?", [2 ** i * 1000 + 100]);
      expect(await confirmPassword(db, user, `wrong-${i}-password`)).toBe("That password is incorrect.");
    }
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown)).resolves.toMatchObject({ id: u.id });
  });

  it("parallel wrong reveal passwords are counted before they are verified", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "admin" });
    const user = { id: u.id, email: u.email, name: "", role: u.role, merchantId: null, merchantName: null };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => confirmPassword(db, user, `wrong-${i}-password`)));
    expect(results.filter((r) => r === "That password is incorrect.")).toHaveLength(SIGN_IN_LIMITS.reveal.free);
  });

  it("refuses an oversized email or password at once, without hashing or counting it", async () => {
    await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    vi.mocked(verifyPassword).mockClear();
    vi.mocked(dummyPasswordHash).mockClear();
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: "x".repeat(3 * 1024 * 1024) }, unknown)).rejects.toThrow(TOO_LONG_LOGIN);
    await expect(authorizeCredentials(db, { email: `${"a".repeat(900 * 1024)}@example.com`, password: PASSWORD }, unknown)).rejects.toThrow(TOO_LONG_LOGIN);
    expect(verifyPassword).not.toHaveBeenCalled();
    expect(dummyPasswordHash).not.toHaveBeenCalled();
    expect((await rawQuery(db, "select count(*) n from sign_in_failures"))[0]).toEqual({ n: 0 });
    expect(await audit()).toEqual([]);
  });

  it("ignores credentials that are not strings", async () => {
    await expect(authorizeCredentials(db, { email: ["a@example.com"], password: { x: 1 } }, unknown)).rejects.toThrow(WRONG_LOGIN);
  });
});

describe("sessions", () => {
  it("each sign-in opens its own server-side session", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: PASSWORD, role: "support" });
    const a = await authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown);
    const b = await authorizeCredentials(db, { email: "ana@example.com", password: PASSWORD }, unknown);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(await isSessionActive(db, a.sessionId, u.id)).toBe(true);
    expect(await isSessionActive(db, a.sessionId, u.id + 1)).toBe(false);
    expect(await isSessionActive(db, "made-up", u.id)).toBe(false);
  });
});
