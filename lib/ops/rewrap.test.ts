/**
 * `npm run vault -- rewrap` on either engine: every stored secret re-sealed with the keyring's
 * first key, in batches, each opened again before it replaced the old one; the status then
 * says nothing is left to re-seal, and the old key alone opens nothing. Both engines (the
 * command's own tests, with a killed run, are scripts/ops/vault.test.ts, on SQLite).
 */
import "../test/setup-env";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../db/open";
import { parseVaultKeys } from "../env";
import { openTestDatabase } from "../test/db";
import { seedTwoMerchants } from "../test/two-merchants";
import { newKey } from "../test/ops-kit";
import { testDataDir } from "../test/setup-env";
import { checkSecretsOpen } from "./secrets";
import { rewrapVault, vaultStatus } from "./rewrap";
import { databaseSql } from "./sql";

const k1 = parseVaultKeys(process.env.VAULT_KEY!)[0]!;
const spoolDir = path.join(testDataDir, "rewrap-spool");
let db: DB;

beforeEach(async () => {
  db = await openTestDatabase();
  fs.mkdirSync(spoolDir, { recursive: true });
});
afterEach(async () => {
  await db.end();
});

describe("rewrapVault", () => {
  it("re-seals every secret with the new first key, batch by batch, and says so in the audit log", async () => {
    await seedTwoMerchants(db);
    const k2 = newKey("k2");
    const keyring = [k2, k1];
    const before = await vaultStatus(databaseSql(db), keyring, spoolDir);
    expect(before.total).toBeGreaterThan(0);
    expect(before.toRewrap).toBe(before.total);

    const batches: number[] = [];
    const r = await rewrapVault(db, keyring, { spoolDir, batchSize: 2, onBatch: (n) => batches.push(n) });
    expect(r).toMatchObject({ toKeyId: "k2", rewrapped: before.total, changedMeanwhile: 0, unreadable: [], audited: true });
    expect(r.batches).toBe(Math.ceil(before.total / 2));
    expect(batches.at(-1)).toBe(before.total);

    const after = await vaultStatus(databaseSql(db), keyring, spoolDir);
    expect(after).toMatchObject({ toRewrap: 0, missing: [], wrongKey: [] });
    expect(after.secrets).toEqual([{ keyId: "k2", count: before.total, configured: true, active: true }]);
    // The new key alone opens them; the old one alone no longer knows any.
    expect((await checkSecretsOpen(databaseSql(db), [k2])).opened).toEqual(["k2"]);
    expect((await checkSecretsOpen(databaseSql(db), [k1])).missing).toEqual(["k2"]);
    // Run again: nothing to do.
    expect((await rewrapVault(db, keyring, { spoolDir })).rewrapped).toBe(0);
  });
});
