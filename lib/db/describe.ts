/**
 * The database named for a person (logs, errors, /api/health): the SQLite file's path, or
 * Postgres's host, port and database, never the user's password.
 */
export function describeDatabase(env: { databaseUrl: string | undefined; databasePath: string }): string {
  if (!env.databaseUrl) return env.databasePath;
  try {
    const url = new URL(env.databaseUrl);
    return `postgres://${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  } catch {
    return "postgres (DATABASE_URL)";
  }
}
