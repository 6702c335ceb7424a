/**
 * The one definition of where Pairdesk's SQLite file lives when DATABASE_PATH is not set
 * (relative to the working directory). lib/env.ts, drizzle.config.ts and the operator scripts
 * import it. No imports: drizzle-kit and the scripts load it outside Next.
 */
export const DEFAULT_DATABASE_PATH = "data/pairdesk.db";

/** DATABASE_PATH from `env`, else the default (not yet resolved against the working directory). */
export function databasePathFrom(env: Record<string, string | undefined> = process.env): string {
  return env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
}
