import "server-only";
import { ConfigError, getEnv } from "../env";
import { getDb } from "../db/client";
import { describeDatabase } from "../db/describe";
import { log } from "../log";
import { removeStaleSpoolFiles, settleAbandonedAttempts, settleAfterStop } from "../pairing/pair-terminal";
import { importSpoolRecords, listRecoverySpool } from "../pairing/recovery";
import { INTERRUPTED_RECOVERY_MESSAGE } from "../pairing/recovery-record";
import { NO_PROXY_MESSAGE } from "./health";
import { serverHealth } from "./health-server";
import { settleOperationsAfterStop } from "../transactions/operations";
import { startPoller } from "../poller/poller-runner";

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
  try {
    await getDb().ready;
  } catch (err) {
    console.error(`\nPairdesk cannot start: the database ${describeDatabase(env)} could not be opened and migrated: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  // One process on a SQLite file: nothing from before this start is in flight. Several instances
  // on Postgres: another one may be sending an attempt or an operation right now, so only those
  // older than the longest call can last are settled, at start and every minute after (an
  // instance that died mid-call has its own settled by the others).
  const startedAt = new Date();
  const inFlightMaxMs = Math.max(env.payConnect.pairTimeoutMs, env.payConnect.timeoutMs) + 60_000;
  const abandonedBefore = () => (getDb().engine === "postgres" ? new Date(Date.now() - inFlightMaxMs) : startedAt);
  const settled = await settleAfterStop(getDb(), startedAt, abandonedBefore());
  if (settled.staleSpoolFiles > 0) {
    log.info({ count: settled.staleSpoolFiles }, "removed spool files of pairings saved before the last stop");
  }
  if (settled.needsRecovery > 0) {
    log.warn({ count: settled.needsRecovery }, "the last stop cut off pairings between Pay-Connect's answer and the database write: their credentials are in the recovery spool, marked needs recovery");
  }
  if (settled.inLog > 0) {
    log.error({ count: settled.inLog }, "pairings whose credentials are only in the server log: run `npm run recover -- --from-log <server log>`");
  }
  if (settled.outcomeUnknown > 0) {
    log.warn({ count: settled.outcomeUnknown }, "pairing attempts were cut off by the last stop: marked outcome unknown");
  }
  const cutOff = await settleOperationsAfterStop(getDb(), startedAt, abandonedBefore());
  if (cutOff > 0) log.warn({ count: cutOff }, "operations were cut off by the last stop while being sent: marked outcome unknown");
  if (getDb().engine === "postgres") sweepAbandoned(abandonedBefore);
  const spooled = listRecoverySpool();
  if (spooled.length > 0) {
    log.warn({ count: spooled.length }, "pairings are waiting in the recovery spool: see the dashboard");
  }
  if (env.mode === "production" && env.trustedProxyHops === 0) log.warn({ setting: "TRUSTED_PROXY_HOPS" }, NO_PROXY_MESSAGE);
  if (env.simulator.enabled) {
    log.warn(
      { mode: env.mode, simulator: true },
      "SIMULATOR ON: /simulator serves simulated Pay-Connect terminals and every page shows a simulator banner. Not for real payments; unset PAIRDESK_SIMULATOR to turn it off.",
    );
  }
  log.info(
    { mode: env.mode, simulator: env.simulator.enabled, database: describeDatabase(env) },
    "Pairdesk started",
  );
  // The same checks as /api/health, logged once at start (an error line, with details, if broken).
  await serverHealth();
  startPoller();
}

/** Every minute: attempts and operations that an instance stopped sending (it died) are settled. */
function sweepAbandoned(before: () => Date): void {
  const timer = setInterval(() => {
    void (async () => {
      // Spool files older than a call can last (an operator moved them here from an instance
      // that is gone) go into the database, so that any instance completes them.
      const spool = await importSpoolRecords(getDb(), before(), { reason: INTERRUPTED_RECOVERY_MESSAGE, at: new Date() });
      removeStaleSpoolFiles(spool.stale);
      const attempts = await settleAbandonedAttempts(getDb(), before());
      const operations = await settleOperationsAfterStop(getDb(), new Date(), before());
      if (spool.copied + attempts.inLog + attempts.outcomeUnknown + operations > 0) {
        log.warn({ ...attempts, operations, spoolRecords: spool.copied }, "attempts or operations left by a stopped instance: settled");
      }
    })().catch((err: unknown) => log.warn({ err: (err as Error)?.message }, "could not settle what a stopped instance left; trying again in a minute"));
  }, 60_000);
  timer.unref();
}
