import "../test/setup-env";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../test/db";
import type { DB } from "../db/open";
import { DomainError } from "../errors";
import { auditLog, merchants, pairings } from "../db/schema";
import type { PairResult } from "../providers/types";
import { merchantCtx, staff } from "../test/merchants";
import { pairedTerminal } from "../test/transactions";
import { providerAnswering } from "../test/two-merchants";
import { pairTerminal } from "./pair-terminal";
import { hasOtherTerminalsName, pairingCheck } from "./pairing-check";
import { renamePairing } from "./rename";
import { pairingNameSchema } from "./schemas";
import { queryTerminalDetail } from "./terminal-detail-queries";
import { firstRow } from "../db/query";

describe("renamePairing", () => {
  const setup = async () => {
    const db = await openTestDatabase();
    const mine = await pairedTerminal(db);
    const theirs = await pairedTerminal(db);
    const actor = { id: mine.userId, email: "a@x" };
    const nameOf = async (id: number) => (await firstRow(db.select({ name: pairings.name }).from(pairings).where(eq(pairings.id, id)).limit(1)))!.name;
    const renames = async () => await db.select().from(auditLog).where(eq(auditLog.action, "pairing.rename"));
    return { db, mine, theirs, actor, nameOf, renames };
  };

  it("renames an active pairing of the caller's merchant, audited with the old and new names", async () => {
    const { db, mine, actor, nameOf, renames } = await setup();
    const out = await renamePairing(merchantCtx(db, mine.merchantId), mine.pairingId, { name: "Bar till", expectedName: await nameOf(mine.pairingId) }, actor);
    expect(out).toEqual({ name: "Bar till", message: "Renamed to “Bar till” in Pairdesk. Pay-Connect keeps the name it was paired with." });
    expect(await nameOf(mine.pairingId)).toBe("Bar till");
    expect(await renames()).toHaveLength(1);
    expect((await renames())[0]).toMatchObject({ merchantId: mine.merchantId, targetType: "pairing", targetId: String(mine.pairingId) });
    expect(JSON.parse((await renames())[0]!.details!)).toMatchObject({ from: expect.stringMatching(/^Till /), to: "Bar till", terminalId: mine.terminalId });
    // The same name again changes nothing and writes no entry.
    expect(await renamePairing(staff(db), mine.pairingId, { name: "Bar till" }, actor)).toMatchObject({ name: "Bar till" });
    expect(await renames()).toHaveLength(1);
  });

  it("another merchant's pairing is not found, and a replaced one, a suspended merchant's or a stale page is refused; nothing changes", async () => {
    const { db, mine, theirs, actor, nameOf, renames } = await setup();
    const before = await nameOf(theirs.pairingId);
    const refusal = async (run: () => unknown) => {
      try {
        await run();
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        return { code: (err as DomainError).code, message: (err as DomainError).message };
      }
      throw new Error("not refused");
    };
    expect(await refusal(async () => renamePairing(merchantCtx(db, mine.merchantId), theirs.pairingId, { name: "Mine now" }, actor))).toEqual({
      code: "not_found",
      message: "That pairing does not exist.",
    });
    expect(await refusal(async () => renamePairing(merchantCtx(db, mine.merchantId), 999_999, { name: "X" }, actor))).toMatchObject({ code: "not_found" });
    expect(await refusal(async () => renamePairing(staff(db), theirs.pairingId, { name: "New", expectedName: "Someone else's idea" }, actor))).toEqual({
      code: "stale",
      message: `Someone renamed this pairing to “${before}” meanwhile. Reload the page to rename it again.`,
    });
    await db.transaction((tx) => tx.update(pairings).set({ status: "replaced", endedAt: new Date() }).where(eq(pairings.id, theirs.pairingId)));
    expect(await refusal(async () => renamePairing(staff(db), theirs.pairingId, { name: "New" }, actor))).toMatchObject({ code: "not_active" });
    await db.transaction((tx) => tx.update(merchants).set({ status: "suspended" }).where(eq(merchants.id, mine.merchantId)));
    expect(await refusal(async () => renamePairing(staff(db), mine.pairingId, { name: "New" }, actor))).toMatchObject({ code: "merchant_suspended" });
    expect(await nameOf(theirs.pairingId)).toBe(before);
    expect(await nameOf(mine.pairingId)).toMatch(/^Till /);
    expect(await renames()).toEqual([]);
  });

  it("after a Pair again answered for another terminal, the Check line drops the sentence about the name once it is renamed", async () => {
    const { db, mine, actor } = await setup();
    const pairAs = async (terminalId: string, name: string, intendedTerminalRef?: number) => {
      const answer: PairResult = { payConnectId: `pc-${terminalId}`, payConnectName: name, terminalId, clientId: `client-${terminalId}`, clientSecret: "cs_0123456789abcdefghijklmnop", webhookSecretKey: null };
      const out = await pairTerminal(db, providerAnswering(answer), { requestKey: crypto.randomUUID(), merchantId: mine.merchantId, environment: "sandbox", name, otp: "ABCD2345", webhookUrl: null, webhookToken: null, intendedTerminalRef }, actor);
      if (out.kind !== "paired") throw new Error(`not paired: ${JSON.stringify(out)}`);
      return out;
    };
    // Pair again of mine.terminalId, with an OTP that came from T-OTHER: it took the name typed for mine.
    const other = await pairAs("T-OTHER", "Typed for mine", mine.terminalRef);
    const shown = async (d: DB) => {
      const p = (await queryTerminalDetail(staff(d), other.terminalRef))!.pairings[0]!;
      return { check: pairingCheck(p), asksForName: hasOtherTerminalsName(p) };
    };
    expect((await shown(db)).check).toContain(`It took the name typed for ${mine.terminalId}. If this was a mistake, unpair T-OTHER.`);
    expect((await shown(db)).asksForName).toBe(true);

    await renamePairing(staff(db), other.pairingId, { name: "Other till" }, actor);
    expect(await shown(db)).toEqual({
      check:
        `This OTP came from terminal T-OTHER, not from ${mine.terminalId}. Pairdesk kept the new pairing of T-OTHER (its credentials cannot be fetched again); ` +
        `${mine.terminalId} was not changed. If this was a mistake, unpair T-OTHER.`,
      asksForName: false,
    });
    // Named back as typed: the sentence is true again.
    await renamePairing(staff(db), other.pairingId, { name: "Typed for mine" }, actor);
    expect((await shown(db)).check).toContain(`It took the name typed for ${mine.terminalId}.`);
    // A pairing without a warning has no Check line; one whose warning is not about the name keeps it whole.
    const plain = await pairAs("T-PLAIN", "Plain till");
    expect(pairingCheck((await queryTerminalDetail(staff(db), plain.terminalRef))!.pairings[0]!)).toBeNull();
    expect(pairingCheck({ name: "X", warning: "The register could not be routed.", meantAnotherTerminal: false, pairedAs: "Y" })).toBe(
      "The register could not be routed.",
    );
  });

  it("the name is checked like the pairing form's", () => {
    expect(pairingNameSchema.safeParse("   ").error?.issues[0]?.message).toBe("Enter a name for this pairing.");
    expect(pairingNameSchema.safeParse("x".repeat(101)).error?.issues[0]?.message).toBe("Name must be at most 100 characters.");
    expect(pairingNameSchema.parse("  Bar  ")).toBe("Bar");
    for (const sneaky of ["Bar\u202E", "Bar\u0000", "Bar\nTill", "\u2066Bar"]) {
      expect(pairingNameSchema.safeParse(sneaky).error?.issues[0]?.message).toBe("A name cannot contain control characters or text-direction marks.");
    }
  });
});
