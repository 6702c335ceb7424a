import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runMain, spawnCommand } from "../../lib/test/ops-kit";
import { main } from "./merchant";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-merchant-cmd-"));
const dbPath = path.join(dir, "pairdesk.db");

/** `npm run merchant -- …`, in this process. */
const merchant = (...args: string[]) => runMain(main, args, { DATABASE_PATH: dbPath });

function rows<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const lastLine = (out: string) => out.trimEnd().split("\n").at(-1)!;

type MerchantRow = { id: number; name: string; status: string; external_ref: string | null };
type AuditRow = { action: string; actor_id: number | null; actor_email: string | null; merchant_id: number | null; target_id: string; details: string };

const merchantNamed = (name: string) => rows<MerchantRow>("select id, name, status, external_ref from merchants where name = ?", name)[0];
const auditOf = (id: number) =>
  rows<AuditRow>(
    "select action, actor_id, actor_email, merchant_id, target_id, details from audit_log where target_type = 'merchant' and target_id = ? order by id",
    String(id),
  );

describe("npm run merchant", () => {
  it("runs as `npm run merchant`: create prints the new id on its last line, for `tail -1`", () => {
    const made = spawnCommand("merchant", ["create", "--name", "Smoke Shop"], { DATABASE_PATH: dbPath });
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^Created the merchant Smoke Shop \(id (\d+)\)\.\n\1\n$/);
    expect(merchantNamed("Smoke Shop")).toMatchObject({ id: Number(lastLine(made.out)), status: "active" });
  });

  it("create --name prints the new id on its last line; the row and an audit entry without an actor exist", async () => {
    const made = await merchant("create", "--name", "Alpha Foods", "--external-ref", "POS-17");
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    const id = Number(lastLine(made.out));
    expect(lastLine(made.out)).toMatch(/^\d+$/);
    expect(made.out).toContain(`Created the merchant Alpha Foods (id ${id}).`);

    expect(merchantNamed("Alpha Foods")).toEqual({ id, name: "Alpha Foods", status: "active", external_ref: "POS-17" });
    const audit = auditOf(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "merchant.create", actor_id: null, actor_email: null, merchant_id: id });
    expect(JSON.parse(audit[0]!.details)).toEqual({ name: "Alpha Foods", externalRef: "POS-17" });

    // Without --external-ref: none.
    const second = await merchant("create", "--name", "Bravo Books");
    expect(second.code).toBe(0);
    expect(merchantNamed("Bravo Books")).toMatchObject({ id: Number(lastLine(second.out)), external_ref: null });
  });

  it("refuses a name already taken in another case, a missing --name and a blank one, and creates nothing", async () => {
    await merchant("create", "--name", "Charlie Cafe");
    const before = rows<{ n: number }>("select count(*) n from merchants")[0]!.n;

    const dup = await merchant("create", "--name", "CHARLIE cafe");
    expect(dup.code).toBe(1);
    expect(dup.err).toContain("Could not create the merchant: A merchant named “Charlie Cafe” already exists.");
    expect(dup.out).toBe("");

    const missing = await merchant("create");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("Missing --name.");

    const blank = await merchant("create", "--name", "   ");
    expect(blank.code).not.toBe(0);
    expect(blank.err).toContain("Enter the merchant's name.");

    expect(rows<{ n: number }>("select count(*) n from merchants")[0]!.n).toBe(before);
    expect(rows("select id from merchants where name = ?", "CHARLIE cafe")).toEqual([]);
  });

  it("lists the merchants: id, status, name and external reference, by name", async () => {
    await merchant("create", "--name", "delta Deli", "--external-ref", "POS-4");
    const list = await merchant("list");
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split("\n");
    const delta = merchantNamed("delta Deli")!;
    expect(lines).toContain(`${delta.id}\tactive\tdelta Deli\t(POS-4)`);
    // Sorted by name, whatever its case.
    const names = lines.map((l) => l.split("\t")[2]);
    expect(names).toEqual([...names].sort((a, b) => a!.localeCompare(b!, "en", { sensitivity: "base" })));
  });

  it("suspends and reactivates by id and by exact name (any case), audited; says so when there is nothing to do", async () => {
    const id = Number(lastLine((await merchant("create", "--name", "Echo Electronics")).out));

    const byId = await merchant("suspend", String(id));
    expect(byId.code).toBe(0);
    expect(byId.out).toContain("Suspended Echo Electronics: its people cannot sign in (0 session(s) ended).");
    expect(merchantNamed("Echo Electronics")!.status).toBe("suspended");

    const again = await merchant("suspend", "echo electronics");
    expect(again.code).toBe(0);
    expect(again.out).toContain("Echo Electronics was already suspended.");

    const byName = await merchant("reactivate", "Echo Electronics");
    expect(byName.code).toBe(0);
    expect(byName.out).toContain("Reactivated Echo Electronics: its people can sign in again.");
    expect(merchantNamed("Echo Electronics")!.status).toBe("active");

    expect((await merchant("reactivate", String(id))).out).toContain("Echo Electronics was already active.");

    // One entry per change, none for the no-ops, none with an actor.
    expect(auditOf(id).map((a) => [a.action, a.actor_id, a.actor_email, a.merchant_id])).toEqual([
      ["merchant.create", null, null, id],
      ["merchant.suspend", null, null, id],
      ["merchant.reactivate", null, null, id],
    ]);
  });

  it("suspending ends the sessions of that merchant's people only", async () => {
    const foxId = Number(lastLine((await merchant("create", "--name", "Fox Flowers")).out));
    const golfId = Number(lastLine((await merchant("create", "--name", "Golf Gear")).out));
    const db = new Database(dbPath);
    const person = (email: string, merchantId: number) =>
      Number(
        db
          .prepare("insert into users (email, password_hash, role, merchant_id) values (?, 'x', 'merchant-admin', ?) returning id")
          .pluck()
          .get(email, merchantId),
      );
    const fox = person("boss@fox.example", foxId);
    const golf = person("boss@golf.example", golfId);
    const session = (userId: number) =>
      db
        .prepare("insert into sessions (id, user_id) values (?, ?)")
        .run(`s-${userId}-${Math.random()}`, userId);
    session(fox);
    session(fox);
    session(golf);
    db.close();

    const out = await merchant("suspend", "Fox Flowers");
    expect(out.code).toBe(0);
    expect(out.out).toContain("(2 session(s) ended)");
    const open = (userId: number) => rows<{ n: number }>("select count(*) n from sessions where user_id = ? and ended_at is null", userId)[0]!.n;
    expect(open(fox)).toBe(0);
    expect(open(golf)).toBe(1);
  });

  it("an unknown merchant, a missing one and an unknown command get clear messages and change nothing", async () => {
    const before = rows<MerchantRow>("select id, name, status, external_ref from merchants order by id");

    const unknown = await merchant("suspend", "Nobody Here");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No merchant "Nobody Here": give its id or its exact name (npm run merchant -- list shows them).');

    const unknownId = await merchant("reactivate", "99999");
    expect(unknownId.code).toBe(1);
    expect(unknownId.err).toContain('No merchant "99999"');

    const none = await merchant("suspend");
    expect(none.code).toBe(2);
    expect(none.err).toContain("Which merchant? Give its id or exact name.");

    const bad = await merchant("delete", "1");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Unknown command "delete".');

    expect(rows<MerchantRow>("select id, name, status, external_ref from merchants order by id")).toEqual(before);
  });
});
