/**
 * The operator tools against real `next start` servers of this spec's own: a backup taken from a
 * running server, a restore refused while it runs and done once it is killed, and /api/health's
 * 503 when the server's VAULT_KEY cannot open the stored secrets.
 */
import type { Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, signIn, simOtp, simTerminal, submitPairForm, test } from "./fixtures";
import { createOwnUser, OWN_URL, ownDataDir, ownDb, ownServerLifecycle, until, type OwnServer } from "./own-server";

const { start, kill9 } = ownServerLifecycle();

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");

/** `npm run <script> -- …` as an operator runs it, on a server's data. */
function operator(script: "backup" | "restore", args: string[], server: Pick<OwnServer, "dbPath">, vaultKey: string) {
  const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", `scripts/ops/${script}.ts`, ...args], {
    env: { ...process.env, DATABASE_PATH: server.dbPath, RECOVERY_DIR: "", VAULT_KEY: vaultKey },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Pairs a simulated terminal through the form; returns its terminal id once the pairing is saved. */
async function pairOne(page: Page, server: OwnServer): Promise<string> {
  const support = await createOwnUser(server, "support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  await submitPairForm(page, { name: `Operator ${terminalId}`, otp: await simOtp(page.request, terminalId) });
  const db = ownDb(server.dbPath);
  try {
    await until("the pairing saved", () =>
      db.prepare("select p.id from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?").get(terminalId),
    );
  } finally {
    db.close();
  }
  return terminalId;
}

async function health(): Promise<{ status: number; text: string; body: { ok: boolean; status: string; checks: Record<string, { ok: boolean; status: string; message: string }> } }> {
  const res = await fetch(`${OWN_URL}/api/health`);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

test("a backup of a running server restores: refused while the server runs, done once it is killed, and the server starts healthy on it", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = ownDataDir("operator-restore");
  const server = await start(dir, { VAULT_KEY: keyA });
  const terminalId = await pairOne(page, server);

  const backupFile = path.join(dir, "backup.db");
  const backup = operator("backup", ["--out", backupFile], server, keyA);
  expect(backup.err).toBe("");
  expect(backup.code).toBe(0);
  expect(backup.out).toMatch(/pairing_secrets [1-9]/);

  const db = ownDb(server.dbPath);
  db.prepare("insert into terminals (merchant_id, environment, terminal_id) values ((select min(id) from merchants), 'sandbox', 'T-AFTER-BACKUP')").run();
  db.close();

  const refused = operator("restore", ["--from", backupFile], server, keyA);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain("is in use by another process — a running Pairdesk server");

  await kill9(server);
  const restored = operator("restore", ["--from", backupFile], server, keyA);
  expect(restored.err).toBe("");
  expect(restored.code).toBe(0);
  expect(restored.out).toMatch(/secrets? sealed with k1: open with VAULT_KEY\./);

  await start(dir, { VAULT_KEY: keyA });
  const h = await health();
  expect(h.status).toBe(200);
  expect(h.body.checks.vault).toMatchObject({ ok: true, status: "ok", message: "VAULT_KEY is loaded and opens the stored secrets." });
  const after = ownDb(server.dbPath);
  try {
    const ids = (after.prepare("select terminal_id from terminals").all() as { terminal_id: string }[]).map((r) => r.terminal_id);
    expect(ids).toContain(terminalId);
    expect(ids).not.toContain("T-AFTER-BACKUP");
  } finally {
    after.close();
  }
  expect(fs.readdirSync(dir).some((f) => f.startsWith("pairdesk.db.replaced-"))).toBe(true);
});

test("/api/health answers 503 when the server's VAULT_KEY cannot open the stored secrets, naming no key, path or secret", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = ownDataDir("operator-health");
  const first = await start(dir, { VAULT_KEY: keyA });
  expect((await health()).status).toBe(200);
  await pairOne(page, first);
  await kill9(first);

  const server = await start(dir, { VAULT_KEY: keyB });
  const h = await health();
  expect(h.status).toBe(503);
  expect(h.body.ok).toBe(false);
  expect(h.body.status).toBe("broken");
  expect(h.body.checks.vault).toEqual({
    ok: false,
    status: "broken",
    message: "VAULT_KEY does not open the stored secrets: credentials cannot be revealed or used. Run `npm run vault -- status` on the server.",
  });
  expect(h.body.checks.database!.status).toBe("ok");
  expect(h.body.checks.migrations!.status).toBe("ok");
  expect(h.body.checks.recoverySpool!.status).toBe("ok");
  expect(h.text).not.toContain(dir);
  expect(h.text).not.toMatch(/\bk1\b/);
  expect(h.text).not.toContain(keyA);
  expect(h.text).not.toContain(keyB);
  // The server says it at start, with the key id, in its log.
  await until("the start's health line", () => server.log().includes("health: broken, /api/health answers 503"));
  expect(server.log()).toContain("key ids that do not open: k1");
  expect(server.log()).not.toContain(keyA);
});
