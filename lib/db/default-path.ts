/**
 * The one definition of where Pairdesk's SQLite file lives when DATABASE_PATH is not set
 * (relative to the working directory). lib/env.ts, drizzle.config.ts and the operator scripts
 * import it. No imports: drizzle-kit and the scripts load it outside Next.
 */
export const DEFAULT_DATABASE_PATH = "data/pairdesk.db";

/**
 * What the operator commands open: DATABASE_URL when it names Postgres (the server runs there),
 * else the SQLite file at DATABASE_PATH, resolved.
 */
export function databaseTargetFrom(env: Record<string, string | undefined> = process.env, resolve: (p: string) => string = (p) => p): string {
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//i.test(url)) return url;
  return resolve(databasePathFrom(env));
}

/** DATABASE_PATH from `env`, else the default (not yet resolved against the working directory). */
export function databasePathFrom(env: Record<string, string | undefined> = process.env): string {
  return env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
}
