import { beforeEach, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../test/db";
import { DomainError } from "../errors";
import { rawQuery, type DB } from "../db/open";
import { hashPassword, verifyPassword } from "../auth/password";
import { activeSessionCount, createSession, endAllSessions, endSession, isSessionActive } from "../auth/sessions";
import { countAdmins, createUser, disableRefusal, isLastActiveAdmin, roleChangeRefusal, type UserState } from "./users";

// The real hashing, watched: a test can tell whether a password was hashed at all.
vi.mock("../auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("../auth/password")>();
  return { ...real, hashPassword: vi.fn(real.hashPassword) };
});

let db: DB;
beforeEach(async () => {
  db = await openTestDatabase();
});

describe("createUser", () => {
  it("stores a lower-cased email and an scrypt hash, never the password", async () => {
    const u = await createUser(db, { email: " Ana@Example.COM ", password: "a-long-test-password", role: "admin" });
    expect(u.email).toBe("ana@example.com");
    const row = (await rawQuery<{ password_hash: string }>(db, "select password_hash from users where id = ?", [u.id]))[0]!;
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain("a-long-test-password");
    expect(await verifyPassword("a-long-test-password", row.password_hash)).toBe(true);
    expect(await verifyPassword("a-long-test-passworD", row.password_hash)).toBe(false);
  });
  it("refuses a duplicate email, a weak password and an unknown role with clear messages", async () => {
    await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "admin" });
    await expect(createUser(db, { email: "ANA@example.com", password: "a-long-test-password", role: "viewer" })).rejects.toThrow(
      "A user with the email ana@example.com already exists.",
    );
    await expect(createUser(db, { email: "bo@example.com", password: "short", role: "viewer" })).rejects.toThrow(
      "Password must be at least 12 characters.",
    );
    await expect(createUser(db, { email: "bo@example.com", password: "aaaaaaaaaaaaaaa", role: "viewer" })).rejects.toThrow(
      /more different characters/,
    );
    await expect(
      createUser(db, { email: "bo@example.com", password: "a-long-test-password", role: "owner" as "admin" }),
    ).rejects.toThrow(DomainError);
    await expect(createUser(db, { email: "not-an-email", password: "a-long-test-password", role: "viewer" })).rejects.toThrow(
      /valid email/,
    );
    expect(Number((await rawQuery<{ n: number }>(db, "select count(*) n from users"))[0]!.n)).toBe(1);
  });
});

describe("user rules", () => {
  const state = async (db: DB, id: number): Promise<UserState> =>
    (await rawQuery<UserState>(db, "select id, email, role, disabled_at as \"disabledAt\" from users where id = ?", [id]))[0]!;

  it("the last active admin cannot be demoted or disabled; with a second active admin they can", async () => {
    const ana = await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "admin" });
    const bo = await createUser(db, { email: "bo@example.com", password: "a-long-test-password", role: "admin" });
    const actor = (await createUser(db, { email: "cy@example.com", password: "a-long-test-password", role: "viewer" })).id;
    // Bo is disabled: Ana is the only admin who can still sign in.
    await rawQuery(db, "update users set disabled_at = ? where id = ?", [Date.now(), bo.id]);
    expect(await countAdmins(db)).toBe(1);
    expect(await isLastActiveAdmin(db, await state(db, ana.id))).toBe(true);
    expect(await roleChangeRefusal(db, actor, await state(db, ana.id), "viewer")).toMatchObject({
      code: "last_admin",
      message: "ana@example.com is the last active admin and must stay an admin. Make another user an admin first.",
    });
    expect(await disableRefusal(db, actor, await state(db, ana.id))).toMatchObject({ code: "last_admin" });
    // A disabled admin is not "the last active admin".
    expect(await isLastActiveAdmin(db, await state(db, bo.id))).toBe(false);

    await rawQuery(db, "update users set disabled_at = null where id = ?", [bo.id]);
    expect(await roleChangeRefusal(db, actor, await state(db, ana.id), "viewer")).toBeNull();
    expect(await disableRefusal(db, actor, await state(db, ana.id))).toBeNull();
  });

  it("an admin cannot change their own role or disable themselves", async () => {
    const ana = await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "admin" });
    await createUser(db, { email: "bo@example.com", password: "a-long-test-password", role: "admin" });
    expect(await roleChangeRefusal(db, ana.id, await state(db, ana.id), "viewer")).toMatchObject({
      code: "self_demotion",
      fieldErrors: { role: ["You cannot change your own role."] },
    });
    expect(await disableRefusal(db, ana.id, await state(db, ana.id))).toEqual({ code: "self_disable", message: "You cannot disable your own account." });
    // No change is no refusal.
    expect(await roleChangeRefusal(db, ana.id, await state(db, ana.id), "admin")).toBeNull();
  });

  it("refuses an oversized password or email before hashing it", async () => {
    vi.mocked(hashPassword).mockClear();
    await expect(createUser(db, { email: "ana@example.com", password: "x".repeat(3 * 1024 * 1024), role: "admin" })).rejects.toThrow(
      "Password must be at most 200 characters.",
    );
    await expect(createUser(db, { email: `${"a".repeat(900 * 1024)}@example.com`, password: "a-long-test-password", role: "admin" })).rejects.toThrow(
      "Email must be at most 254 characters.",
    );
    expect(hashPassword).not.toHaveBeenCalled();
  });
});

describe("sessions", () => {
  it("signing out ends one session; disabling ends them all", async () => {
    const ana = await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "admin" });
    const [a, b, c] = [await createSession(db, ana.id), await createSession(db, ana.id), await createSession(db, ana.id)];
    expect(await endSession(db, a)).toBe(true);
    expect(await isSessionActive(db, a, ana.id)).toBe(false);
    expect(await isSessionActive(db, b, ana.id)).toBe(true);
    expect(await endAllSessions(db, ana.id, "disabled")).toBe(2);
    expect(await Promise.all([b, c].map((s) => isSessionActive(db, s, ana.id)))).toEqual([false, false]);
    expect(await activeSessionCount(db, ana.id)).toBe(0);
  });
});
