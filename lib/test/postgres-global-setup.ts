/**
 * Vitest's global setup for the Postgres run: drops the databases an earlier run left, then
 * migrates the template every test database is copied from (lib/test/postgres.ts).
 */
import { openDatabase } from "../db/open";
import { adminUrl, databaseUrl, TEMPLATE, withAdmin } from "./postgres";

export default async function setup(): Promise<void> {
  await withAdmin(async (client) => {
    const stale = await client.query<{ datname: string }>("select datname from pg_database where datname like 'pdt\\_%' or datname = $1", [TEMPLATE]);
    for (const { datname } of stale.rows) await client.query(`drop database if exists "${datname}" with (force)`);
    await client.query(`create database "${TEMPLATE}"`);
  });
  const db = openDatabase(databaseUrl(adminUrl(), TEMPLATE));
  try {
    await db.ready;
  } finally {
    await db.end();
  }
}
