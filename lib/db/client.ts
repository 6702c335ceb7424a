import "server-only";
import { openDatabase, type DB } from "./open";
import { getEnv } from "../env";

const globalForDb = globalThis as unknown as { __pairdeskDb?: DB };

/** The app's database: opened and migrated once per process. */
export function getDb(): DB {
  if (!globalForDb.__pairdeskDb) {
    globalForDb.__pairdeskDb = openDatabase(getEnv().databasePath, { busyTimeoutMs: getEnv().databaseBusyTimeoutMs });
  }
  return globalForDb.__pairdeskDb;
}

export type { DB } from "./open";
