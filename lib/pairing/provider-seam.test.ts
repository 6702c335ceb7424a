/**
 * lib/pairing against the provider-neutral interface only: a provider that is not Pay-Connect
 * (shaped like SmartConnect: no unpair API) plugs in without any change here.
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeEach, describe, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { ProviderError, type PairingProvider, type PairRequest } from "../providers/types";
import { createUser } from "../users/users";
import { pairTerminal } from "./pair-terminal";
import { unpairPairing } from "./unpair";
import { staff, testMerchant } from "../test/merchants";

let db: DB;
let actor: { id: number; email: string };
const calls: PairRequest[] = [];

const otherProvider = (pair: PairingProvider["pair"]): PairingProvider => ({
  provider: "smartconnect",
  label: "SmartConnect",
  environment: "sandbox",
  unavailableReason: null,
  pairTimeoutMs: 5000,
  pair: async (req) => {
    calls.push(req);
    return pair(req);
  },
});
const input = (name: string) => ({
  merchantId: 1,
  requestKey: crypto.randomUUID(),
  environment: "sandbox" as const,
  name,
  otp: "483 912",
  webhookUrl: null,
  webhookToken: null,
});

beforeEach(async () => {
  db = await openTestDatabase();
  await testMerchant(db);
  calls.length = 0;
  const u = await createUser(db, { email: "support@example.com", password: "a-long-test-password", role: "admin" });
  actor = { id: u.id, email: u.email };
});

describe("the provider seam", () => {
  it("pairs through another provider and records its refusal with the provider's own message", async () => {
    const paired = await pairTerminal(
      db,
      otherProvider(async () => ({
        payConnectId: "register-1",
        payConnectName: "Till 1",
        terminalId: "device-7",
        clientId: "register-1",
        clientSecret: "no-credentials-here-but-sealed",
        webhookSecretKey: null,
      })),
      input("Till 1"),
      actor,
    );
    expect(paired.kind).toBe("paired");
    expect(calls).toEqual([{ name: "Till 1", otp: "483 912", webhookUrl: undefined }]);

    const refused = await pairTerminal(
      db,
      otherProvider(async () => {
        throw new ProviderError("smartconnect", "otp_rejected", "The pairing code was refused.", { outcome: "failed", status: 400 });
      }),
      input("Till 2"),
      actor,
    );
    expect(refused).toMatchObject({ kind: "failed", code: "otp_rejected", message: "The pairing code was refused." });
    expect((await rawQuery(db, "select status, error_code, reason from pairing_attempts where name = 'Till 2'"))[0]).toEqual({
      status: "failed",
      error_code: "otp_rejected",
      reason: "The pairing code was refused.",
    });

    const unknown = await pairTerminal(
      db,
      otherProvider(async () => {
        throw new ProviderError("smartconnect", "timeout", "No answer.", { outcome: "unknown" });
      }),
      input("Till 3"),
      actor,
    );
    expect(unknown).toMatchObject({ kind: "outcome_unknown", code: "timeout" });
  });

  it("a provider without an unpair call gets a clear refusal and the pairing is not changed", async () => {
    const provider = otherProvider(async () => ({
      payConnectId: "register-2",
      payConnectName: "Till",
      terminalId: "device-8",
      clientId: "register-2",
      clientSecret: "sealed-anyway",
      webhookSecretKey: null,
    }));
    const paired = await pairTerminal(db, provider, input("Till"), actor);
    if (paired.kind !== "paired") throw new Error("not paired");
    const out = await unpairPairing(staff(db), () => provider, paired.pairingId, actor);
    expect(out).toEqual({
      ok: false,
      code: "unsupported",
      message: "SmartConnect has no unpair call: unpair the terminal on its own screen. The pairing was not changed.",
    });
    expect((await rawQuery(db, "select status from pairings where id = ?", [paired.pairingId]))[0]).toEqual({ status: "active" });
    expect(Number((await rawQuery<{ n: number }>(db, "select count(*) n from pairing_secrets where pairing_id = ?", [paired.pairingId]))[0]!.n)).toBe(1);
  });
});
