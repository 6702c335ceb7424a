import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "./db/open";
import { verifyPassword } from "./password";
import { createUser, UserError } from "./users";

let db: DB;
beforeEach(() => {
  db = openDatabase(":memory:");
});

describe("createUser", () => {
  it("stores a lower-cased email and an scrypt hash, never the password", async () => {
    const u = await createUser(db, { email: " Ana@Example.COM ", password: "a-long-test-password", role: "admin" });
    expect(u.email).toBe("ana@example.com");
    const row = db.$client.prepare("select password_hash from users where id = ?").get(u.id) as { password_hash: string };
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
    ).rejects.toThrow(UserError);
    await expect(createUser(db, { email: "not-an-email", password: "a-long-test-password", role: "viewer" })).rejects.toThrow(
      /valid email/,
    );
    expect((db.$client.prepare("select count(*) n from users").get() as { n: number }).n).toBe(1);
  });
});
