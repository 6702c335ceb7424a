/**
 * Where a pairing goes when the form names a register or a terminal: that object's merchant
 * (never the one the form says), found only in the user's own scope; "pair again" keeps the
 * terminal's environment. Another merchant's register or terminal is "not found".
 */
import "../test/setup-env";
import { openTestDatabase } from "../test/db";
import { beforeAll, expect, it } from "vitest";
import { rawQuery, type DB } from "../db/open";
import { seedTwoMerchants, type TwoMerchants } from "../test/two-merchants";
import { pairingTarget } from "./target";

let db: DB;
let f: TwoMerchants;
beforeAll(async () => {
  db = await openTestDatabase();
  f = await seedTwoMerchants(db);
});

const alphaAdmin = () => ({ role: "merchant-admin" as const, merchantId: f.alpha });
const staffSupport = { role: "support" as const, merchantId: null };

it("a register's merchant is the pairing's, whatever merchant the form says", async () => {
  expect(await pairingTarget(db, staffSupport, { registerId: f.registers.alpha, merchantId: f.bravo, environment: "sandbox" })).toEqual({
    ok: true,
    merchantId: f.alpha,
    environment: "sandbox",
    registerRef: f.registers.alpha,
    intendedTerminalRef: null,
  });
});

it("another merchant's register or terminal is not found for a merchant's people", async () => {
  expect(await pairingTarget(db, alphaAdmin(), { registerId: f.registers.bravo, environment: "sandbox" })).toMatchObject({
    ok: false,
    field: "registerId",
  });
  expect(await pairingTarget(db, alphaAdmin(), { terminalRef: f.terminals.bravo, environment: "sandbox" })).toMatchObject({
    ok: false,
    field: "terminalRef",
  });
});

it("pair again keeps the terminal's merchant and refuses another environment", async () => {
  expect(await pairingTarget(db, staffSupport, { terminalRef: f.terminals.bravo, merchantId: f.alpha, environment: "sandbox" })).toMatchObject({
    ok: true,
    merchantId: f.bravo,
    intendedTerminalRef: f.terminals.bravo,
  });
  expect(await pairingTarget(db, staffSupport, { terminalRef: f.terminals.bravo, environment: "production" })).toMatchObject({
    ok: false,
    field: "environment",
  });
  expect(await pairingTarget(db, staffSupport, { terminalRef: f.terminals.bravo, registerId: f.registers.bravo, environment: "sandbox" })).toMatchObject({
    ok: false,
  });
});

it("an archived register cannot be paired for", async () => {
  await rawQuery(db, "update registers set archived_at = 1 where id = ?", [f.registers.alphaLane]);
  expect(await pairingTarget(db, alphaAdmin(), { registerId: f.registers.alphaLane, environment: "sandbox" })).toMatchObject({
    ok: false,
    message: expect.stringMatching(/archived/),
  });
});
