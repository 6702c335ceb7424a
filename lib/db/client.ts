import "server-only";
import { openDatabase, type DB } from "./open";
import { getEnv } from "../env";

const globalForDb = globalThis as unknown as { __pairdeskDb?: DB };

/** The app's database (Postgres when DATABASE_URL is set, else the SQLite file): opened and migrated once per process. */
export function getDb(): DB {
  if (!globalForDb.__pairdeskDb) {
    const env = getEnv();
    globalForDb.__pairdeskDb = openDatabase(env.databaseUrl ?? env.databasePath, {
      busyTimeoutMs: env.databaseBusyTimeoutMs,
      poolSize: env.databasePoolSize,
      statementTimeoutMs: env.databaseStatementTimeoutMs,
    });
  }
  return globalForDb.__pairdeskDb;
}

export type { DB } from "./open";
