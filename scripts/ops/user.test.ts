import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password";
import { runMain, spawnCommand } from "../../lib/test/ops-kit";
import { main } from "./user";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-user-cmd-"));
const dbPath = path.join(dir, "pairdesk.db");

/** `npm run user -- …` with `stdin` on its standard input, in this process. */
const userWithInput = (stdin: string, ...args: string[]) => runMain(main, args, { DATABASE_PATH: dbPath }, stdin);
const user = (...args: string[]) => userWithInput("", ...args);

function passwordHash(email: string): string | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare("select password_hash from users where email = ?").get(email) as { password_hash: string } | undefined)
      ?.password_hash;
  } finally {
    db.close();
  }
}

describe("npm run user", () => {
  it("runs as `npm run user`: creates a user with the password read from standard input", async () => {
    const smokeDb = path.join(dir, "smoke.db");
    const made = spawnCommand("user", ["create", "--email", "Smoke@Example.com", "--password", "-", "--role", "support"], { DATABASE_PATH: smokeDb }, "a-long-piped-operator-password\n");
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^Created support smoke@example\.com \(id \d+\) in /);
    const db = new Database(smokeDb, { readonly: true });
    try {
      const row = db.prepare("select role, password_hash from users where email = 'smoke@example.com'").get() as { role: string; password_hash: string };
      expect(row.role).toBe("support");
      expect(await verifyPassword("a-long-piped-operator-password", row.password_hash)).toBe(true);
    } finally {
      db.close();
    }
  });

  it("creates a user, then refuses a duplicate, a weak password and an unknown role with clear messages", async () => {
    const ok = await user("create", "--email", "Ops@Example.com", "--password", "a-long-operator-password", "--role", "admin");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("Created admin ops@example.com");

    const dup = await user("create", "--email", "ops@example.com", "--password", "another-long-password", "--role", "viewer");
    expect(dup.code).toBe(1);
    expect(dup.err).toContain("A user with the email ops@example.com already exists.");

    const weak = await user("create", "--email", "weak@example.com", "--password", "short", "--role", "viewer");
    expect(weak.code).toBe(1);
    expect(weak.err).toContain("Password must be at least 12 characters.");

    const role = await user("create", "--email", "role@example.com", "--password", "a-long-operator-password", "--role", "owner");
    expect(role.code).toBe(2);
    expect(role.err).toContain('Unknown role "owner": use one of admin, support, viewer, merchant-admin, merchant-viewer.');

    const missing = await user("create", "--email", "x@example.com");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("Missing --password, --role.");

    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("select email, role from users").all()).toEqual([{ email: "ops@example.com", role: "admin" }]);
    db.close();
  });

  it("reads the password from the first line of standard input with --password -", async () => {
    const ok = await userWithInput(
      "a-long-piped-password\r\nsecond line is ignored\n",
      "create", "--email", "reader@example.com", "--password", "-", "--role", "viewer",
    );
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("Created viewer reader@example.com");
    const hash = passwordHash("reader@example.com")!;
    expect(await verifyPassword("a-long-piped-password", hash)).toBe(true);
    expect(await verifyPassword("-", hash)).toBe(false);

    const noNewline = await userWithInput("another-piped-password", "create", "--email", "nonl@example.com", "--password", "-", "--role", "viewer");
    expect(noNewline.code).toBe(0);
    expect(await verifyPassword("another-piped-password", passwordHash("nonl@example.com")!)).toBe(true);

    const empty = await userWithInput("", "create", "--email", "empty@example.com", "--password", "-", "--role", "viewer");
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("found no password on the first line of standard input");
    expect(passwordHash("empty@example.com")).toBeUndefined();

    const weak = await userWithInput("short\n", "create", "--email", "weak2@example.com", "--password", "-", "--role", "viewer");
    expect(weak.code).toBe(1);
    expect(weak.err).toContain("Password must be at least 12 characters.");

    expect((await user("frobnicate")).err).toContain("--password -  reads the password from the first line of standard input");
  });
});

describe("npm run user with merchants", { timeout: 120_000 }, () => {
  /** A merchant straight in the database (the merchant command has its own tests). */
  async function merchantRow(name: string): Promise<number> {
    await user("create", "--email", "boot@example.com", "--password", "a-long-operator-password", "--role", "viewer"); // migrates
    const db = new Database(dbPath);
    try {
      return Number(db.prepare("insert into merchants (name) values (?) returning id").pluck().get(name));
    } finally {
      db.close();
    }
  }
  const userRow = (email: string) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db.prepare("select role, merchant_id from users where email = ?").get(email) ?? null;
    } finally {
      db.close();
    }
  };

  it("creates merchant admins and viewers with --merchant <id> or <exact name>", async () => {
    const id = await merchantRow("Harbour Hardware");

    const byId = await user("create", "--email", "boss@harbour.example", "--password", "a-long-operator-password", "--role", "merchant-admin", "--merchant", String(id));
    expect(byId.err).toBe("");
    expect(byId.code).toBe(0);
    expect(byId.out).toContain(`Created merchant-admin boss@harbour.example`);
    expect(byId.out).toContain(`of Harbour Hardware (merchant ${id})`);
    expect(userRow("boss@harbour.example")).toEqual({ role: "merchant-admin", merchant_id: id });

    const byName = await user("create", "--email", "clerk@harbour.example", "--password", "a-long-operator-password", "--role", "merchant-viewer", "--merchant", "Harbour Hardware");
    expect(byName.code).toBe(0);
    expect(userRow("clerk@harbour.example")).toEqual({ role: "merchant-viewer", merchant_id: id });
  });

  it("refuses an unknown merchant, a staff role given --merchant and a merchant role without one, creating nothing", async () => {
    const id = await merchantRow("Island Ices");

    const unknown = await user("create", "--email", "u1@island.example", "--password", "a-long-operator-password", "--role", "merchant-admin", "--merchant", "Nowhere Ltd");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No merchant "Nowhere Ltd": give its id or its exact name (npm run merchant -- list shows them).');

    const unknownId = await user("create", "--email", "u2@island.example", "--password", "a-long-operator-password", "--role", "merchant-viewer", "--merchant", "987654");
    expect(unknownId.code).toBe(1);
    expect(unknownId.err).toContain('No merchant "987654"');

    const staffWithMerchant = await user("create", "--email", "u3@island.example", "--password", "a-long-operator-password", "--role", "support", "--merchant", String(id));
    expect(staffWithMerchant.code).toBe(2);
    expect(staffWithMerchant.err).toContain("support is a staff role: staff see every merchant and take no --merchant.");

    const noMerchant = await user("create", "--email", "u4@island.example", "--password", "a-long-operator-password", "--role", "merchant-admin");
    expect(noMerchant.code).toBe(2);
    expect(noMerchant.err).toContain("The role merchant-admin needs --merchant <id or exact name>.");

    for (const n of [1, 2, 3, 4]) expect(userRow(`u${n}@island.example`)).toBeNull();
  });

  it("password: sets a new password, ends every session of that user (and only theirs), audits it, and refuses a weak one", async () => {
    expect((await user("create", "--email", "reset@example.com", "--password", "a-long-first-password", "--role", "support")).code).toBe(0);
    expect((await user("create", "--email", "bystander@example.com", "--password", "a-long-other-password", "--role", "support")).code).toBe(0);
    const db = new Database(dbPath);
    const idOf = (email: string) => (db.prepare("select id from users where email = ?").get(email) as { id: number }).id;
    const now = Date.now();
    for (const [sid, email] of [["s-reset-1", "reset@example.com"], ["s-reset-2", "reset@example.com"], ["s-other", "bystander@example.com"]] as const) {
      db.prepare("insert into sessions (id, user_id, created_at) values (?, ?, ?)").run(sid, idOf(email), now);
    }
    db.close();

    const weak = await user("password", "--email", "reset@example.com", "--password", "short");
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/^Could not set the password: /);
    const unknown = await user("password", "--email", "nobody@example.com", "--password", "a-long-second-password");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("No user nobody@example.com");

    const ok = await userWithInput("a-long-second-password\n", "password", "--email", "Reset@Example.com", "--password", "-");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain("New password set for reset@example.com; 2 sessions ended");
    expect(await verifyPassword("a-long-second-password", passwordHash("reset@example.com")!)).toBe(true);
    const check = new Database(dbPath, { readonly: true });
    try {
      expect(check.prepare("select id, end_reason from sessions where id like 's-%' order by id").all()).toEqual([
        { id: "s-other", end_reason: null },
        { id: "s-reset-1", end_reason: "password_changed" },
        { id: "s-reset-2", end_reason: "password_changed" },
      ]);
      const audit = check.prepare("select action, details from audit_log where action = 'user.password_reset'").all() as { details: string }[];
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).not.toContain("a-long-second-password");
    } finally {
      check.close();
    }
  });
});
