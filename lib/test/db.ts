/**
 * A database for a unit test on the engine of the run (lib/test/engine-env.ts): SQLite in
 * memory, or a fresh copy of the migrated Postgres template. `testDatabaseTarget` gives what
 * `openDatabase` opens, for tests that open a second connection to the same database.
 */
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ENGINE } from "../db/engine";
import { openDatabase, type DB } from "../db/open";
import { createTestDatabase } from "./postgres";
import { testDataDir } from "./setup-env";

export async function testDatabaseTarget(options: { file?: boolean } = {}): Promise<string> {
  if (ENGINE === "postgres") return createTestDatabase();
  return options.file ? path.join(testDataDir, `test-${randomBytes(4).toString("hex")}.db`) : ":memory:";
}

/** A migrated, empty database of the run's engine. */
export async function openTestDatabase(): Promise<DB> {
  const db = openDatabase(await testDatabaseTarget());
  await db.ready;
  return db;
}
