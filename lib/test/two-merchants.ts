/**
 * For unit tests of the merchant scope: two merchants' data in one database, through the real
 * pairing path (pairTerminal with an in-process provider) and the real audit writer. Every row
 * of Alpha carries "alpha" somewhere in its text, every row of Bravo "bravo", and nothing else
 * does: a result seen by one merchant must never contain the other's word.
 */
import { rawQuery, type DB } from "../db/open";
import { writeAudit } from "../audit/audit";
import { pairTerminal } from "../pairing/pair-terminal";
import type { PairingProvider, PairResult } from "../providers/types";
import { merchantScope, queryContext } from "../auth/scope";
import { createLocation } from "../registers/locations";
import { createRegister } from "../registers/registers";
import { routeRegister } from "../registers/routing";
import { createUser } from "../users/users";
import { transactionOperations } from "../db/schema";
import { writeBatch } from "../webhooks/inbox";
import { payConnectWebhooks } from "../pay-connect/webhook";
import { testMerchant } from "./merchants";

export function providerAnswering(result: PairResult | (() => PairResult)): PairingProvider {
  return {
    provider: "in-process",
    label: "Test provider",
    environment: "sandbox",
    unavailableReason: null,
    pairTimeoutMs: 1000,
    pair: async () => (typeof result === "function" ? result() : result),
  };
}

const result = (word: string, terminalId: string, n: number): PairResult => ({
  payConnectId: `pc-${word}-${n}`,
  payConnectName: `${word} till ${n}`,
  terminalId,
  clientId: `client-${word}-${n}`,
  clientSecret: `cs_${word}_${n}_0123456789abcdefghijklmnop`,
  webhookSecretKey: `whsec_${word}_${n}_0123456789abcdefghijkl`,
});

export type TwoMerchants = Awaited<ReturnType<typeof seedTwoMerchants>>;

let key = 0;
const requestKey = () => `00000000-0000-4000-a000-${String(++key).padStart(12, "0")}`;

export async function seedTwoMerchants(db: DB) {
  const alpha = await testMerchant(db, "Alpha Foods");
  const bravo = await testMerchant(db, "Bravo Books");
  const password = "a-long-test-password";
  const staffAdmin = await createUser(db, { email: "ops@integrator.example", password, role: "admin" });
  const alphaAdmin = await createUser(db, { email: "boss@alpha.example", password, role: "merchant-admin", merchantId: alpha });
  const alphaViewer = await createUser(db, { email: "clerk@alpha.example", password, role: "merchant-viewer", merchantId: alpha });
  const bravoAdmin = await createUser(db, { email: "boss@bravo.example", password, role: "merchant-admin", merchantId: bravo });

  const pair = async (merchantId: number, actor: { id: number; email: string }, r: PairResult, environment: "sandbox" = "sandbox") => {
    const out = await pairTerminal(
      db,
      providerAnswering(r),
      { requestKey: requestKey(), merchantId, environment, name: r.payConnectName, otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      actor,
    );
    if (out.kind !== "paired") throw new Error(`seed pairing failed: ${JSON.stringify(out)}`);
    return out;
  };
  const alphaPaired = await pair(alpha, alphaAdmin, result("alpha", "T-ALPHA-1", 1));
  const bravoPaired = await pair(bravo, bravoAdmin, result("bravo", "T-BRAVO-1", 1));
  // A failed attempt of each (the provider refuses): attempts lists and the audit log.
  for (const [merchantId, actor, word] of [
    [alpha, alphaAdmin, "alpha"],
    [bravo, bravoAdmin, "bravo"],
  ] as const) {
    await pairTerminal(
      db,
      { ...providerAnswering(result(word, "x", 0)), pair: async () => Promise.reject(new Error(`${word} refused`)) },
      { requestKey: requestKey(), merchantId, environment: "sandbox", name: `${word} failed try`, otp: "ABCD2345", webhookUrl: null, webhookToken: null },
      actor,
    ).catch(() => undefined);
  }
  // A terminal paired by Alpha first, then by Bravo: it belongs to Bravo now, and each keeps its
  // own pairing on it apart.
  const movedTerminalId = "T-MOVED-7";
  const movedByAlpha = await pair(alpha, alphaAdmin, { ...result("alpha", movedTerminalId, 2) });
  const movedByBravo = await pair(bravo, bravoAdmin, { ...result("bravo", movedTerminalId, 2) });
  // Locations and registers of each, routed to its own terminal (one unrouted virtual register).
  const places: Record<"alpha" | "bravo", { location: number; register: number; lane: number }> = {} as never;
  for (const [merchantId, actor, word, terminalRef] of [
    [alpha, alphaAdmin, "alpha", alphaPaired.terminalRef],
    [bravo, bravoAdmin, "bravo", bravoPaired.terminalRef],
  ] as const) {
    const ctx = queryContext(db, merchantScope(merchantId));
    const location = await createLocation(ctx, merchantId, { name: `${word} shop`, address: `1 ${word} street`, timeZone: "Europe/Lisbon" }, actor);
    const register = await createRegister(ctx, { locationId: location.id, kind: "physical", parentId: null, name: `${word} till`, externalRef: `${word}-pos-1` }, actor);
    const lane = await createRegister(ctx, { locationId: location.id, kind: "virtual", parentId: register.id, name: `${word} lane`, externalRef: null }, actor);
    await routeRegister(ctx, register.id, terminalRef, actor);
    places[word] = { location: location.id, register: register.id, lane: lane.id };
  }
  // A transaction of each, first seen in a webhook delivery of its pairing, with an operation on it.
  const txs = {} as Record<"alpha" | "bravo", number>;
  const deliveries = {} as Record<"alpha" | "bravo", number>;
  for (const [merchantId, word, paired, actor] of [
    [alpha, "alpha", alphaPaired, alphaAdmin],
    [bravo, "bravo", bravoPaired, bravoAdmin],
  ] as const) {
    const body = Buffer.from(
      JSON.stringify([{ id: `ptx-${word}-1`, status: "SUCCESS", amount: 1250, currency: "EUR", external_transaction_id: `${word}-ext`, tags: ["charge"] }]),
    );
    const parsed = payConnectWebhooks.parse(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [stored] = await writeBatch(db, [
      {
        pairingId: paired.pairingId,
        merchantId,
        verdict: "accepted",
        httpStatus: 200,
        sizeBytes: body.length,
        body,
        signatureForm: "raw",
        apply: { transactions: parsed.transactions, via: { pairingId: paired.pairingId, merchantId, terminalRef: paired.terminalRef, environment: "sandbox" } },
      },
    ]);
    deliveries[word] = stored!.id;
    const payment = (await rawQuery<{ id: number }>(db, "select id from transactions where provider_transaction_id = ?", [`ptx-${word}-1`]))[0]!;
    txs[word] = payment.id;
    await db.transaction((tx) => tx.insert(transactionOperations)
      .values({
        requestKey: `op-${word}`,
        kind: "refund",
        merchantId,
        environment: "sandbox",
        terminalRef: paired.terminalRef,
        pairingId: paired.pairingId,
        transactionRef: payment.id,
        amount: 100,
        status: "failed",
        reason: `${word} refund refused`,
        createdById: actor.id,
      }));
  }
  // A delivery to a URL no pairing has: staff only.
  await writeBatch(db, [{ pairingId: null, merchantId: null, verdict: "unknown_pairing", httpStatus: 404, sizeBytes: 2, body: Buffer.from("[]") }]);

  // A staff-only entry (no merchant): only staff see it.
  await writeAudit(db, { actor: staffAdmin, merchantId: null, action: "list.export", details: { list: "staffonly" } });

  return {
    alpha,
    bravo,
    users: { staffAdmin, alphaAdmin, alphaViewer, bravoAdmin },
    terminals: {
      alpha: alphaPaired.terminalRef,
      bravo: bravoPaired.terminalRef,
      moved: movedByBravo.terminalRef,
    },
    locations: { alpha: places.alpha.location, bravo: places.bravo.location },
    registers: { alpha: places.alpha.register, bravo: places.bravo.register, alphaLane: places.alpha.lane, bravoLane: places.bravo.lane },
    transactions: txs,
    deliveries,
    pairings: {
      alpha: alphaPaired.pairingId,
      bravo: bravoPaired.pairingId,
      movedAlpha: movedByAlpha.pairingId,
      movedBravo: movedByBravo.pairingId,
    },
  };
}
