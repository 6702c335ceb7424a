import { describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open";
import { sessions } from "../../lib/db/schema";
import { verifyPassword } from "../../lib/auth/password";
import { createSession, isSessionActive } from "../../lib/auth/sessions";
import { demoLogin } from "./demo-login";

describe("demoLogin", () => {
  it("gives an existing demo user a fresh password at each start and signs out whoever used the old one", async () => {
    const db = openDatabase(":memory:");
    const first = await demoLogin(db, { email: "admin@demo.example", name: "Demo admin", role: "admin" });
    expect(first.created).toBe(true);
    const session = await createSession(db, first.id);
    expect(await isSessionActive(db, session, first.id)).toBe(true);

    const second = await demoLogin(db, { email: "admin@demo.example", name: "Demo admin", role: "admin" });
    expect(second).toMatchObject({ id: first.id, created: false });
    expect(second.password).not.toBe(first.password);
    const hash = db.$client.prepare("select password_hash h from users where id = ?").get(first.id) as { h: string };
    expect(await verifyPassword(second.password, hash.h)).toBe(true);
    expect(await verifyPassword(first.password, hash.h)).toBe(false);
    expect(await isSessionActive(db, session, first.id)).toBe(false);
    expect(await db.select({ endReason: sessions.endReason }).from(sessions)).toEqual([{ endReason: "password_changed" }]);
  });
});
