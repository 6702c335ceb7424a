import "server-only";
import { ConfigError, getEnv } from "./env";
import { getDb } from "./db/client";
import { log } from "./log";
import { settleOrphanedAttempts } from "./pairing/pair-terminal";
import { listRecoverySpool } from "./pairing/recovery";

export async function startServer(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\nPairdesk cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (env.generated.length > 0) {
    log.warn(
      { generated: env.generated, dataDir: env.dataDir },
      `${env.mode} start: generated ${env.generated.join(" and ")} into ${env.dataDir}/generated-secrets.json (mode 0600). Set them in the environment for a production start.`,
    );
  }
  const orphaned = settleOrphanedAttempts(getDb());
  if (orphaned > 0) {
    log.warn({ count: orphaned }, "pairing attempts were cut off by the last stop: marked outcome unknown");
  }
  const spooled = listRecoverySpool();
  if (spooled.length > 0) {
    log.warn({ count: spooled.length }, "pairings are waiting in the recovery spool: see the dashboard");
  }
  if (env.simulator.enabled) {
    log.warn(
      { mode: env.mode, simulator: true },
      "SIMULATOR ON: /simulator serves simulated Pay-Connect terminals and every page shows a simulator banner. Not for real payments; unset PAIRDESK_SIMULATOR to turn it off.",
    );
  }
  log.info(
    { mode: env.mode, simulator: env.simulator.enabled, database: env.databasePath },
    "Pairdesk started",
  );
}
