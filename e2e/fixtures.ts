import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../lib/db/open";
import type { Role } from "../lib/db/schema";
import { createUser as createUserInDb } from "../lib/users/users";
import { isMerchantRole } from "../lib/domain";
import { E2E_AUTH_DIR, E2E_DB, E2E_SERVER_LOG } from "./env";
import { defaultMerchantId, E2E_MERCHANT } from "./seed";

export { expect };

// ---- shared sessions: one user per role, signed in once by the setup project (auth.setup.ts) ----

/** The storageState file of a role's shared session: `test.use({ storageState: sessionState("viewer") })`. */
export function sessionState(role: Role): string {
  return path.join(E2E_AUTH_DIR, `${role}.json`);
}

function sessionUserFile(role: Role): string {
  return path.join(E2E_AUTH_DIR, `${role}.user.json`);
}

/** Written by the setup project beside the storageState. */
export function saveSessionUser(user: TestUser): void {
  fs.writeFileSync(sessionUserFile(user.role), JSON.stringify(user), { mode: 0o600 });
}

/** The user behind a role's shared session (its id and email for DB assertions). */
export function sessionUser(role: Role): TestUser {
  const file = sessionUserFile(role);
  if (!fs.existsSync(file)) {
    throw new Error(`No shared ${role} session at ${file}: the "setup" project signs in first (do not run with --no-deps).`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as TestUser;
}

type Fixtures = {
  /**
   * Puts the shared session of `role` in this test's browser context (its `page`, and
   * `page.request`) and returns that user. Shared with every other test, so never sign it out,
   * disable it, or change its role: a test that does must create and sign in a user of its own.
   */
  asRole: (role: Role) => Promise<TestUser>;
};

export const test = base.extend<Fixtures>({
  asRole: async ({ page }, provide) => {
    await provide(async (role) => {
      const state = JSON.parse(fs.readFileSync(sessionState(role), "utf8")) as {
        cookies: Parameters<ReturnType<Page["context"]>["addCookies"]>[0];
      };
      await page.context().clearCookies();
      await page.context().addCookies(state.cookies);
      return sessionUser(role);
    });
  },
});

let raw: Database.Database | undefined;

/** A handle on the app's SQLite database, for seeding rows and checking state after an action. */
export function appDb(): Database.Database {
  if (!raw) {
    raw = new Database(E2E_DB);
    raw.pragma("busy_timeout = 5000");
  }
  return raw;
}

export type TestUser = { id: number; email: string; password: string; role: Role; merchantId: number | null };

/**
 * A fresh user with a unique email, written straight into the app's database. A merchant role
 * belongs to `merchantId`, by default the shared "E2E merchant" (e2e/seed.ts); staff to none.
 */
export async function createUser(role: Role, name = "", merchantId?: number): Promise<TestUser> {
  const db = openDatabase(E2E_DB, { migrate: false });
  try {
    const email = `${role}-${randomBytes(5).toString("hex")}@e2e.test`;
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const merchant = isMerchantRole(role) ? (merchantId ?? await defaultMerchantId()) : undefined;
    const user = await createUserInDb(db, { email, password, role, name, merchantId: merchant });
    return { id: user.id, email, password, role, merchantId: merchant ?? null };
  } finally {
    db.close();
  }
}

/** Signs in through the login form and waits for the dashboard. */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
}

/** All bytes of the SQLite database (main file and write-ahead log). */
export function databaseBytes(): Buffer {
  return Buffer.concat(
    [E2E_DB, `${E2E_DB}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

export function serverLog(): string {
  return fs.existsSync(E2E_SERVER_LOG) ? fs.readFileSync(E2E_SERVER_LOG, "utf8") : "";
}

// ---- the simulator, driven over HTTP like a person at the terminal would ----

export async function simTerminal(request: APIRequestContext): Promise<string> {
  const res = await request.post("/simulator/api/terminals", { data: {} });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return (body.terminal_id ?? body.terminalId ?? body.terminal?.terminal_id ?? body.terminal?.terminalId) as string;
}

export async function simOtp(request: APIRequestContext, terminalId: string): Promise<string> {
  const res = await request.post(`/simulator/api/terminals/${terminalId}/otp`, { data: {} });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).otp as string;
}

/**
 * Arms a simulator fault. `terminalId` scopes it to one simulated terminal (its pair, token and
 * unpair calls), so that tests running side by side do not take each other's faults.
 */
export async function simFault(
  request: APIRequestContext,
  kind: string,
  options: { terminalId: string; delayMs?: number; count?: number },
) {
  const res = await request.post("/simulator/api/faults", {
    data: { kind, delayMs: options.delayMs, count: options.count, terminal_id: options.terminalId },
  });
  expect(res.ok()).toBeTruthy();
}

/** Clears the faults armed for one simulated terminal (never another test's). */
export async function clearSimFaults(request: APIRequestContext, terminalId: string) {
  const res = await request.delete(`/simulator/api/faults?terminal_id=${encodeURIComponent(terminalId)}`);
  expect(res.ok()).toBeTruthy();
}

export type SimPairing = {
  pay_connect_id: string;
  name: string;
  status: "active" | "replaced" | "unpaired";
  unpaired_at: string | null;
  replaced_at: string | null;
};

/** The provider side's pairings of one simulated terminal, newest first (what Pay-Connect knows). */
export async function simPairings(request: APIRequestContext, terminalId: string): Promise<SimPairing[]> {
  const res = await request.get("/simulator/api/terminals");
  expect(res.ok()).toBeTruthy();
  const body = (await res.json()) as { terminals: { terminal_id: string; pairings: SimPairing[] }[] };
  const terminal = body.terminals.find((t) => t.terminal_id === terminalId);
  expect(terminal, `simulated terminal ${terminalId}`).toBeDefined();
  return terminal!.pairings;
}

export type SimCall = { call: string; status: number; at: number };

/**
 * The provider calls (pair, token, unpair) the simulator answered about one simulated terminal,
 * newest first, `at` in milliseconds since the epoch: e.g. to assert that no unpair call was made.
 */
export async function simCalls(request: APIRequestContext, terminalId: string): Promise<SimCall[]> {
  const res = await request.get(`/simulator/api/terminals/${encodeURIComponent(terminalId)}/calls`);
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { calls: SimCall[] }).calls;
}

/**
 * Fills and submits the pairing form. Staff see a "Merchant" choice: `merchant` (a name) or else
 * the shared "E2E merchant" is chosen; a merchant's people have no choice (their own merchant).
 */
export async function submitPairForm(
  page: Page,
  values: { name: string; otp: string; environment?: "sandbox" | "production"; merchant?: string },
) {
  await page.goto("/terminals/pair");
  const merchant = page.getByLabel("Merchant", { exact: true });
  if (await merchant.count()) {
    const name = values.merchant ?? E2E_MERCHANT;
    if (!values.merchant) await defaultMerchantId(); // make sure it exists
    await merchant.selectOption({ label: name });
  }
  await page.getByLabel("Name").fill(values.name);
  await page.getByLabel("OTP").fill(values.otp);
  if (values.environment) await page.getByLabel("Environment").selectOption(values.environment);
  await page.getByRole("button", { name: "Pair terminal" }).click();
}
