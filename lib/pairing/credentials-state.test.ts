import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../test/db";
import { EVERY_MERCHANT, queryContext } from "../auth/scope";
import { auditLog, pairings } from "../db/schema";
import { PayConnectError } from "../pay-connect/errors";
import type { TransactionProvider } from "../providers/types";
import { pairedTerminal } from "../test/transactions";
import { refreshConfiguration } from "../transactions/configuration";
import { runOperation } from "../transactions/operations";
import { queryTerminals } from "./terminal-queries";
import { firstRow } from "../db/query";

const refusedToken = () =>
  new PayConnectError("unauthorized", "Pay-Connect refused this pairing's credentials (401): the pairing may already be unpaired on Pay-Connect's side.", {
    outcome: "failed",
    status: 401,
    credentialsRefused: true,
  });

function providerThat(answer: () => Promise<unknown>) {
  const provider = new Proxy({} as TransactionProvider, { get: () => answer });
  return { provider: () => provider, credentials: async (_db: unknown, p: { clientId: string }) => ({ clientId: p.clientId, clientSecret: "s" }) };
}

describe("credentials refused", () => {
  it("a refused token marks the active pairing once (audited), the terminals list filters it, and a later accepted call clears it", async () => {
    const db = await openTestDatabase();
    const t = await pairedTerminal(db);
    const ctx = queryContext(db, EVERY_MERCHANT);
    const admin = { id: t.userId, email: "a@x", role: "admin" as const };
    const refusing = providerThat(() => Promise.reject(refusedToken()));

    expect(await refreshConfiguration(ctx, refusing, t.terminalRef, admin)).toMatchObject({ ok: false, message: expect.stringMatching(/refused this pairing's credentials/) });
    const out = await runOperation(ctx, refusing, admin, { kind: "charge", requestKey: "00000000-0000-4000-d000-000000000001", terminalRef: t.terminalRef, amount: 100 });
    expect(out).toMatchObject({ ok: false });
    const row = async () => (await firstRow(db.select().from(pairings).where(eq(pairings.id, t.pairingId)).limit(1)))!;
    expect(await row()).toMatchObject({ status: "active", credentialsRefusedReason: expect.stringMatching(/refused this pairing's credentials/) });
    expect((await row()).credentialsRefusedAt).not.toBeNull();
    const audited = async (action: string) => await db.select().from(auditLog).where(eq(auditLog.action, action as never));
    expect(await audited("pairing.credentials_refused")).toHaveLength(1);
    expect((await queryTerminals(ctx, { status: "credentials_refused" })).rows.map((r) => r.terminalId)).toEqual([t.terminalId]);
    expect((await queryTerminals(ctx, { status: "credentials_refused" })).rows[0]!.activePairing?.credentialsRefusedAt).not.toBeNull();

    // Another failure (Pay-Connect down) says nothing about the credentials.
    const down = providerThat(() => Promise.reject(new PayConnectError("unavailable", "Pay-Connect answered 503.", { outcome: "failed", status: 503 })));
    await refreshConfiguration(ctx, down, t.terminalRef, admin);
    expect((await row()).credentialsRefusedAt).not.toBeNull();

    const accepting = providerThat(() => Promise.resolve({ currency: "EUR", timeZone: "Europe/Ljubljana", paymentMethods: ["CARD"] }));
    expect(await refreshConfiguration(ctx, accepting, t.terminalRef, admin)).toMatchObject({ ok: true });
    expect(await row()).toMatchObject({ credentialsRefusedAt: null, credentialsRefusedReason: null });
    expect(await audited("pairing.credentials_accepted")).toHaveLength(1);
    expect((await queryTerminals(ctx, { status: "credentials_refused" })).rows).toEqual([]);
  });
});
