/** The running server's health: its database, keyring and spool, with the check's cache and log. */
import "server-only";
import { getDb } from "../db/client";
import { databaseSql } from "./sql";
import { instanceId } from "./instance";
import { getEnv } from "../env";
import { checkHealth, type Health, type HealthCache } from "./health";
import { log } from "../log";
import { knownMigrationsOf, type KnownMigration } from "./database";

type HealthState = { cache: HealthCache; migrations?: KnownMigration[]; last?: string };
const globalForHealth = globalThis as unknown as { __pairdeskHealth?: HealthState };

export async function serverHealth(): Promise<Health> {
  const state: HealthState = (globalForHealth.__pairdeskHealth ??= { cache: new Map() });
  const { health, details } = await checkHealth(
    {
      database: () => databaseSql(getDb()),
      keys: () => getEnv().vaultKeys,
      recoveryDir: () => getEnv().recoveryDir,
      // The journal does not change while the server runs.
      migrations: () => (state.migrations ??= knownMigrationsOf(getDb().engine)),
      pollerEnabled: () => getEnv().poller.enabled,
      instance: instanceId,
      proxy: () => ({ mode: getEnv().mode, trustedProxyHops: getEnv().trustedProxyHops }),
    },
    state.cache,
  );
  // Logged when the state changes, not on every poll.
  const summary = JSON.stringify(Object.fromEntries(Object.entries(health.checks).map(([k, c]) => [k, c.status])));
  if (summary !== state.last) {
    state.last = summary;
    const fields = { event: "health", status: health.status, checks: health.checks, details };
    if (health.status === "broken") log.error(fields, "health: broken, /api/health answers 503");
    else if (health.status === "attention") log.warn(fields, "health: needs attention");
    else log.info(fields, "health: ok");
  }
  return health;
}
