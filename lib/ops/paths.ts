/** The operator commands' paths (not imported by the server, which has lib/env.ts). */
import path from "node:path";
import { databasePathFrom } from "../db/default-path";

/** Where the commands find the database and the recovery spool: the server's settings and defaults. */
export function commandPaths(env: Record<string, string | undefined> = process.env): { databasePath: string; recoveryDir: string } {
  const databasePath = path.resolve(databasePathFrom(env));
  const recoveryDir = path.resolve(env.RECOVERY_DIR || path.join(path.dirname(databasePath), "recovery"));
  return { databasePath, recoveryDir };
}

/**
 * What backup and restore say on Postgres (DATABASE_URL set): they copy the SQLite file, and
 * would otherwise back up or overwrite a file the server does not use.
 */
export const POSTGRES_NOT_YET =
  "DATABASE_URL names Postgres, and npm run backup / restore work on the SQLite file only for now. On Postgres, use your provider's backups or pg_dump --format=custom (pg_restore to restore), and keep VAULT_KEY apart from them as always: a backup's secrets open only with the keys that sealed them (npm run vault -- status checks a restored database).";
