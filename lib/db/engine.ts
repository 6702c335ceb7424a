/**
 * Which database engine this process runs on, from its settings: Postgres when DATABASE_URL is a
 * postgres:// (or postgresql://) URL, else the SQLite file at DATABASE_PATH (the embedded
 * default). Read once, when the first module that needs it loads: the schema's tables are the
 * chosen engine's (lib/db/schema/index.ts). No imports: drizzle-kit and the scripts load it too.
 */
export type Engine = "sqlite" | "postgres";

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && POSTGRES_URL.test(url);
}

/** The engine `env` names: Postgres by DATABASE_URL, else SQLite. */
function engineFrom(env: Record<string, string | undefined> = process.env): Engine {
  return isPostgresUrl(env.DATABASE_URL) ? "postgres" : "sqlite";
}

export const ENGINE: Engine = engineFrom();
