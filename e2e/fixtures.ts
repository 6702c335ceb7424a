import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { openDatabase } from "../lib/db/open";
import type { Role } from "../lib/db/schema";
import { createUser as createUserInDb } from "../lib/users";
import { E2E_DB, E2E_DIR } from "./env";

export { expect };
export const test = base;

let raw: Database.Database | undefined;

/** A handle on the app's SQLite database, for seeding rows and checking state after an action. */
export function appDb(): Database.Database {
  if (!raw) {
    raw = new Database(E2E_DB);
    raw.pragma("busy_timeout = 5000");
  }
  return raw;
}

export type TestUser = { id: number; email: string; password: string; role: Role };

/** A fresh user with a unique email, written straight into the app's database. */
export async function createUser(role: Role, name = ""): Promise<TestUser> {
  const db = openDatabase(E2E_DB, { migrate: false });
  try {
    const email = `${role}-${randomBytes(5).toString("hex")}@e2e.test`;
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const user = await createUserInDb(db, { email, password, role, name });
    return { id: user.id, email, password, role };
  } finally {
    db.$client.close();
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
  const file = `${E2E_DIR}/server.log`;
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
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
  options: { terminalId?: string; delayMs?: number; count?: number } = {},
) {
  const res = await request.post("/simulator/api/faults", {
    data: { kind, delayMs: options.delayMs, count: options.count, terminal_id: options.terminalId },
  });
  expect(res.ok()).toBeTruthy();
}

export async function clearSimFaults(request: APIRequestContext) {
  await request.delete("/simulator/api/faults");
}

/** Fills and submits the pairing form. */
export async function submitPairForm(
  page: Page,
  values: { name: string; otp: string; environment?: "sandbox" | "production" },
) {
  await page.goto("/terminals/pair");
  await page.getByLabel("Name").fill(values.name);
  await page.getByLabel("OTP").fill(values.otp);
  if (values.environment) await page.getByLabel("Environment").selectOption(values.environment);
  await page.getByRole("button", { name: "Pair terminal" }).click();
}
