import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/auth";
import { rawQuery, type DB } from "../db/open";
import { providerAnswering } from "../test/two-merchants";
import { createUser } from "../users/users";
import { pairTerminal } from "./pair-terminal";
import { revealCredentials, VAULT_READ_FAILED } from "./reveal";
import { staff, testMerchant } from "../test/merchants";

const SECRET = "cs_reveal_0123456789abcdefghijklmnopqrstuv";
const PASSWORD = "correct-horse-battery-staple";

let db: DB;
let admin: SessionUser;
let pairingId: number;
const audit = async () => (await rawQuery(db, "select action, actor_id, details from audit_log where action like 'pairing.reveal%' order by id"));

beforeEach(async () => {
  db = await openTestDatabase();
  await testMerchant(db);
  const u = await createUser(db, { email: "admin@example.com", password: PASSWORD, role: "admin" });
  admin = { id: u.id, email: "admin@example.com", name: "", role: "admin", merchantId: null, merchantName: null };
  const out = await pairTerminal(
    db,
    providerAnswering({
      payConnectId: "pc-1",
      payConnectName: "Till",
      terminalId: "T-REVEAL",
      clientId: "client-1",
      clientSecret: SECRET,
      webhookSecretKey: null,
    }),
    { requestKey: crypto.randomUUID(), merchantId: 1, environment: "sandbox", name: "Till", otp: "ABCD2345", webhookUrl: null, webhookToken: null },
    admin,
  );
  if (out.kind !== "paired") throw new Error(`not paired: ${out.kind}`);
  pairingId = out.pairingId;
});

describe("revealCredentials", () => {
  it("returns the credentials to an admin with the right password, audited without them", async () => {
    const out = await revealCredentials(staff(db), pairingId, admin, PASSWORD);
    expect(out).toEqual({ ok: true, credentials: { clientId: "client-1", clientSecret: SECRET, webhookSecretKey: null } });
    expect(await audit()).toEqual([
      {
        action: "pairing.reveal",
        actor_id: admin.id,
        details: JSON.stringify({ environment: "sandbox", terminalId: "T-REVEAL", name: "Till" }),
      },
    ]);
    expect(JSON.stringify(await rawQuery(db, "select * from audit_log"))).not.toContain(SECRET);
  });

  it("returns a wrong password as a field error, audited as denied, and shows nothing", async () => {
    const out = await revealCredentials(staff(db), pairingId, admin, "not-my-password");
    expect(out).toEqual({ ok: false, code: "wrong_password", message: "That password is incorrect.", field: "password" });
    expect(await audit()).toMatchObject([{ action: "pairing.reveal_denied", actor_id: admin.id }]);
  });

  it("returns refusals for a role that may not reveal, an unknown and an ended pairing", async () => {
    const support: SessionUser = { ...admin, role: "support" };
    expect(await revealCredentials(staff(db), pairingId, support, PASSWORD)).toEqual({
      ok: false,
      code: "forbidden",
      message: "Your role (support) cannot reveal credentials.",
    });
    expect(await revealCredentials(staff(db), 9999, admin, PASSWORD)).toMatchObject({ ok: false, code: "not_found" });
    await rawQuery(db, "update pairings set status = 'unpaired' where id = ?", [pairingId]);
    expect(await revealCredentials(staff(db), pairingId, admin, PASSWORD)).toEqual({
      ok: false,
      code: "not_active",
      message: "This pairing is unpaired: its credentials were destroyed when it ended.",
    });
    expect(await audit()).toEqual([]);
  });

  it("returns a vault failure without the secret when the ciphertext is damaged", async () => {
    const [{ n }] = (await rawQuery<{ n: number }>(db, "select length(ciphertext) n from pairing_secrets where pairing_id = ?", [pairingId])) as [{ n: number }];
    await rawQuery(db, "update pairing_secrets set ciphertext = ? where pairing_id = ?", [Buffer.alloc(n), pairingId]);
    const out = await revealCredentials(staff(db), pairingId, admin, PASSWORD);
    expect(out).toEqual({ ok: false, code: "vault", message: VAULT_READ_FAILED });
    expect(await audit()).toEqual([]);
  });
});
