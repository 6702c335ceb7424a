/**
 * Throwaway Postgres databases for the unit tests (TEST_DATABASE_URL names a database on the
 * test cluster that the test user may CREATE DATABASE from). The global setup migrates a
 * template once per run; each test database is a copy of it, made in milliseconds.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEMPLATE = "pairdesk_test_template";

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: these tests run on Postgres only.");
  return url;
}

/** `base` with its database name replaced. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let admin: Promise<pg.Client> | undefined;

/** A fresh, migrated, empty database: its URL. */
export async function createTestDatabase(): Promise<string> {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    return client;
  })();
  const client = await admin;
  const name = `pdt_${process.pid}_${randomBytes(4).toString("hex")}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`create database "${name}" template "${TEMPLATE}"`);
      return databaseUrl(adminUrl(), name);
    } catch (err) {
      // 55006: another process's CREATE DATABASE is copying the template at this moment.
      if ((err as { code?: string }).code !== "55006" || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
