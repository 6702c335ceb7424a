import "./test/setup-env";
import { beforeEach, describe, expect, it } from "vitest";
import { authorizeCredentials, WRONG_LOGIN } from "./auth";
import { openDatabase, type DB } from "./db/open";
import { createUser } from "./users";

let db: DB;
beforeEach(() => {
  db = openDatabase(":memory:");
});

type AuditRow = { actor_id: number | null; actor_email: string | null; action: string; target_type: string | null; target_id: string | null; details: string | null };
const audit = () => db.$client.prepare("select actor_id, actor_email, action, target_type, target_id, details from audit_log order by id").all() as AuditRow[];

describe("authorizeCredentials", () => {
  it("an unknown email is audited without the typed text, which may be a password", async () => {
    const typed = "my-secret-password-typed-in-the-wrong-field";
    await expect(authorizeCredentials(db, { email: typed, password: "whatever-password" }, "198.51.100.7")).rejects.toThrow(
      WRONG_LOGIN,
    );
    expect(audit()).toEqual([
      {
        actor_id: null,
        actor_email: null,
        action: "auth.sign_in_failed",
        target_type: "user",
        target_id: null,
        details: JSON.stringify({ reason: "unknown_email" }),
      },
    ]);
    expect(JSON.stringify(audit())).not.toContain(typed);
  });

  it("a wrong password names the user; the right one signs in", async () => {
    const u = await createUser(db, { email: "ana@example.com", password: "a-long-test-password", role: "support" });
    await expect(authorizeCredentials(db, { email: "ana@example.com", password: "a-wrong-password" }, "local")).rejects.toThrow(
      WRONG_LOGIN,
    );
    const signedIn = await authorizeCredentials(db, { email: " ANA@example.com ", password: "a-long-test-password" }, "local");
    expect(signedIn).toMatchObject({ id: u.id, email: "ana@example.com", role: "support", sessionVersion: 1 });
    expect(audit().map((r) => [r.action, r.target_id, r.details])).toEqual([
      ["auth.sign_in_failed", String(u.id), JSON.stringify({ reason: "wrong_password" })],
      ["auth.sign_in", String(u.id), null],
    ]);
  });
});
