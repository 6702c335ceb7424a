/** The operator commands' paths (not imported by the server, which has lib/env.ts). */
import path from "node:path";
import { databasePathFrom } from "../db/default-path";

/** Where the commands find the database and the recovery spool: the server's settings and defaults. */
export function commandPaths(env: Record<string, string | undefined> = process.env): { databasePath: string; recoveryDir: string } {
  const databasePath = path.resolve(databasePathFrom(env));
  const recoveryDir = path.resolve(env.RECOVERY_DIR || path.join(path.dirname(databasePath), "recovery"));
  return { databasePath, recoveryDir };
}
