/**
 * Crashes between Pay-Connect's 200 and the end of the write, on a server of this spec's own:
 * a real `next start` whose database write is stalled by a real lock (a test connection's
 * BEGIN IMMEDIATE holds it while the server waits in busy_timeout), killed with SIGKILL, and
 * started again on the same data.
 */
import type { Browser, Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, signIn, simFault, simOtp, simTerminal, submitPairForm, test } from "./fixtures";
import {
  createOwnUser,
  OWN_URL,
  ownDatabaseBytes,
  ownDataDir,
  ownDb,
  ownServerLifecycle,
  until,
  type OwnServer,
} from "./own-server";

const { start, kill9 } = ownServerLifecycle();

type SimPairing = { client_id: string; client_secret_sha256: string; webhook_secret_key: string | null; status: string };

/** The provider's side: the simulator's record of the terminal's pairing, once it exists. */
function simulatorPairing(server: OwnServer, terminalId: string): SimPairing | undefined {
  if (!fs.existsSync(server.simulatorDbPath)) return undefined;
  const db = ownDb(server.simulatorDbPath);
  try {
    return db
      .prepare("select client_id, client_secret_sha256, webhook_secret_key, status from pairings where terminal_id = ? and status = 'active'")
      .get(terminalId) as SimPairing | undefined;
  } finally {
    db.close();
  }
}

function spoolFiles(server: OwnServer): string[] {
  const dir = path.join(server.dir, "recovery");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f)) : [];
}

/** Whether the simulator still holds the pair_slow fault armed for `terminalId` (it takes it when the pair call arrives). */
function pairFaultArmed(server: OwnServer, terminalId: string): boolean {
  const db = ownDb(server.simulatorDbPath);
  try {
    return db.prepare("select 1 from faults where kind = 'pair_slow' and terminal_id = ?").get(terminalId) !== undefined;
  } finally {
    db.close();
  }
}

/**
 * The settings of this spec's servers. Nothing but the pairing may write to the database while
 * the test holds its lock: better-sqlite3 waits synchronously, so any other write (the poller's
 * lease, every 5 s) would freeze the whole process, the simulator's slow answer included. And the
 * stalled write waits for the test, not for a clock: its busy timeout is far longer than a test.
 */
const STALL_ENV = { PAIRDESK_POLLER: "off", DATABASE_BUSY_TIMEOUT_MS: "600000" };

/**
 * Submits the pairing form and stalls the server's write: the pair call answers late (the
 * simulator's pair_slow, for this terminal), and meanwhile a test connection takes the
 * database's write lock, so that after the 200 the server's transaction waits for it.
 * The lock is taken at a point the server has announced: the simulator has taken its fault,
 * so the pair call is in flight and every write before it is done (taken earlier, it could
 * hold up a write the server makes before the call, and the call with it).
 * Returns once Pay-Connect has paired the terminal and the spool file is on disk, with the lock
 * still held (release() lets the write go on).
 */
async function pairWithStalledWrite(server: OwnServer, page: Page, name: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_slow", { terminalId, delayMs: 1_500 });
  expect(pairFaultArmed(server, terminalId)).toBe(true);
  await submitPairForm(page, { name, otp });

  await until("the simulator to receive the pair call", () => !pairFaultArmed(server, terminalId), 60_000);
  const lock = ownDb(server.dbPath);
  lock.exec("BEGIN IMMEDIATE");
  // The attempt was committed before the pair call.
  const attempt = lock.prepare("select id, status from pairing_attempts where name = ?").get(name) as { id: number; status: string } | undefined;
  expect(attempt?.status).toBe("pending");
  const attemptId = attempt!.id;
  const sim = await until("Pay-Connect's side of the pairing", () => simulatorPairing(server, terminalId), 60_000);
  // Write-ahead: on disk while the write waits for the lock.
  const spoolFile = await until("the spool file", () => spoolFiles(server).find((f) => path.basename(f) === `attempt-${attemptId}.json`), 60_000);
  // The server is now inside its write, waiting for the lock: nothing committed yet.
  expect(lock.prepare("select status from pairing_attempts where id = ?").get(attemptId)).toEqual({ status: "pending" });
  return {
    terminalId,
    otp,
    attemptId,
    sim,
    spoolFile,
    release: () => {
      lock.exec("ROLLBACK");
      lock.close();
    },
  };
}

async function revealClientSecret(browser: Browser, admin: { email: string; password: string }, terminalRef: number) {
  const ctx = await browser.newContext({ baseURL: OWN_URL });
  const page = await ctx.newPage();
  await signIn(page, admin);
  await page.goto(`/terminals/${terminalRef}`);
  await page.getByRole("button", { name: "Reveal credentials" }).click();
  await page.getByLabel("Your password").fill(admin.password);
  await page.getByRole("button", { name: "Reveal" }).click();
  const secret = (await page.getByTestId("revealed-client_secret").innerText()).trim();
  await ctx.close();
  return secret;
}

test("a kill between Pay-Connect's 200 and the commit: the restart marks the attempt needs recovery, and an admin completes it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const dir = ownDataDir("crash");
  let server = await start(dir, STALL_ENV);
  const support = await createOwnUser(server, "support");
  const admin = await createOwnUser(server, "admin");
  await signIn(page, support);

  const stalled = await pairWithStalledWrite(server, page, "Crash till");
  await kill9(server);
  stalled.release();

  // On disk after the crash: the sealed result in the spool, no secret in plaintext anywhere.
  const spoolText = fs.readFileSync(stalled.spoolFile, "utf8");
  expect(JSON.parse(spoolText)).toMatchObject({ attemptId: stalled.attemptId, terminalId: stalled.terminalId, sealed: { keyId: "k1" } });
  expect(stalled.sim.webhook_secret_key).toBeTruthy();
  expect(spoolText).not.toContain(stalled.sim.webhook_secret_key!);

  server = await start(dir, STALL_ENV);
  const db = ownDb(server.dbPath);
  try {
    expect(db.prepare("select status, error_code, terminal_id from pairing_attempts where id = ?").get(stalled.attemptId)).toEqual({
      status: "needs_recovery",
      error_code: "write_interrupted",
      terminal_id: stalled.terminalId,
    });
    expect(db.prepare("select count(*) n from terminals where terminal_id = ?").get(stalled.terminalId)).toEqual({ n: 0 });
  } finally {
    db.close();
  }
  await expect.poll(() => server.log()).toContain("their credentials are in the recovery spool, marked needs recovery");

  // The attempts list says why, and the dashboard offers the recovery.
  const ctx = await browser.newContext({ baseURL: OWN_URL });
  const apage = await ctx.newPage();
  await signIn(apage, admin);
  const item = apage.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: stalled.terminalId });
  await expect(item).toHaveAttribute("data-source", "spool");
  await expect(item).toContainText(`attempt #${stalled.attemptId}`);
  await item.getByRole("button", { name: "Complete pairing" }).click();
  await expect(apage.getByRole("heading", { level: 1, name: `Terminal ${stalled.terminalId}` })).toBeVisible();
  const terminalRef = Number(new URL(apage.url()).pathname.split("/").pop());
  await ctx.close();

  const after = ownDb(server.dbPath);
  let pairingId: number;
  try {
    expect(after.prepare("select status, recovered_at is not null r from pairing_attempts where id = ?").get(stalled.attemptId)).toEqual({ status: "succeeded", r: 1 });
    const pairing = after.prepare("select id, status, client_id, created_by_id from pairings where terminal_ref = ?").get(terminalRef) as Record<string, unknown>;
    expect(pairing).toMatchObject({ status: "active", client_id: stalled.sim.client_id, created_by_id: support.id });
    pairingId = Number(pairing.id);
    expect(after.prepare("select field from pairing_secrets where pairing_id = ? order by field").all(pairingId)).toEqual([
      { field: "client_secret" },
      { field: "webhook_secret_key" },
    ]);
  } finally {
    after.close();
  }
  expect(spoolFiles(server)).toEqual([]);

  // The recovered secret is the one Pay-Connect issued, and it is nowhere on disk in plaintext.
  const clientSecret = await revealClientSecret(browser, admin, terminalRef);
  expect(createHash("sha256").update(clientSecret).digest("hex")).toBe(stalled.sim.client_secret_sha256);
  const bytes = ownDatabaseBytes(server.dbPath);
  expect(bytes.includes(Buffer.from(clientSecret))).toBe(false);
  expect(bytes.includes(Buffer.from(stalled.sim.webhook_secret_key!))).toBe(false);
  expect(server.log()).not.toContain(clientSecret);
  expect(server.log()).not.toContain(stalled.sim.webhook_secret_key!);
  expect(server.log()).not.toContain(stalled.otp);
});

test("a kill after the commit, with the spool file not yet removed: the restart removes it and offers nothing for recovery", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // The removal fails for real: the spool file is made immutable (chattr +i) while the write waits.
  const probe = path.join(ownDataDir("chattr-probe"), "f");
  fs.writeFileSync(probe, "");
  const canPin = spawnSync("chattr", ["+i", probe]).status === 0;
  spawnSync("chattr", ["-i", probe]);
  test.skip(!canPin, "needs chattr +i (CAP_LINUX_IMMUTABLE on ext4 or similar) to make the spool file's removal fail");

  const dir = ownDataDir("after-commit");
  let server = await start(dir, STALL_ENV);
  const support = await createOwnUser(server, "support");
  const admin = await createOwnUser(server, "admin");
  await signIn(page, support);

  const stalled = await pairWithStalledWrite(server, page, "Committed till");
  expect(spawnSync("chattr", ["+i", stalled.spoolFile]).status).toBe(0);
  try {
    stalled.release();
    // The server commits, fails to remove the spool file, and tells the user it paired.
    await expect(page.getByTestId("paired-notice")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: `Terminal ${stalled.terminalId}` })).toBeVisible();
    expect(fs.existsSync(stalled.spoolFile)).toBe(true);
    await expect.poll(() => server.log()).toContain("pairing saved, but its spool file could not be removed");

    // Not offered for recovery even before a restart.
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await expect(page.getByTestId("needs-recovery")).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: stalled.terminalId })).toContainText("succeeded");

    await kill9(server);
  } finally {
    spawnSync("chattr", ["-i", stalled.spoolFile]);
  }

  server = await start(dir, STALL_ENV);
  expect(fs.existsSync(stalled.spoolFile)).toBe(false);
  await expect.poll(() => server.log()).toContain("removed spool files of pairings saved before the last stop");
  const db = ownDb(server.dbPath);
  try {
    expect(db.prepare("select status, error_code from pairing_attempts where id = ?").get(stalled.attemptId)).toEqual({ status: "succeeded", error_code: null });
    expect(
      db.prepare("select count(*) n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ? and p.status = 'active'").get(stalled.terminalId),
    ).toEqual({ n: 1 });
  } finally {
    db.close();
  }
  const ctx = await browser.newContext({ baseURL: OWN_URL });
  const apage = await ctx.newPage();
  await signIn(apage, admin);
  await expect(apage.getByTestId("needs-recovery")).toHaveCount(0);
  await expect(apage.getByTestId("breakdown-sandbox")).toHaveText("1 paired · 0 unpaired · 0 never paired");
  await ctx.close();
});
