/**
 * Starts the poller with the server (lib/ops/startup.ts, which instrumentation.ts runs on `next start`
 * and `next dev`): the loop of ./poller-loop.ts, polling only while this process holds the lease.
 * PAIRDESK_POLLER=off leaves it stopped. The lease is released when the process exits normally;
 * a process killed outright stops renewing it, and another takes over after LEASE_TTL_MS.
 */
import "server-only";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { log } from "../log";
import { readCredentials } from "../pairing/credentials";
import { transactionProvider } from "../providers/index";
import { ingestingBurst } from "../webhooks/inbox";
import { runPollerLoop } from "./poller-loop";
import { instanceId } from "../ops/instance";

const globalForPoller = globalThis as unknown as { __pairdeskPoller?: { stop: () => void } };
const pollerLog = log.child({ module: "poller" });

export function startPoller(): void {
  if (globalForPoller.__pairdeskPoller || !getEnv().poller.enabled) return;
  const holder = instanceId();
  const loop = runPollerLoop(
    {
      db: getDb(),
      provider: transactionProvider,
      credentials: async (d, pairing) => {
        const c = await readCredentials(d, pairing);
        return { clientId: c.clientId, clientSecret: c.clientSecret };
      },
      now: Date.now,
      holder,
      failures: new Map(),
      log: pollerLog,
      // Print slips wait while this process ingests a burst of webhooks.
      busy: () => ingestingBurst(),
    },
    {
      onLease: (held) => pollerLog.info({ holder }, held ? "this process polls transactions (lease taken)" : "another process polls transactions"),
      onError: (err) => pollerLog.error({ err: (err as Error)?.message }, "the poller's loop failed; it runs again shortly"),
    },
  );
  process.once("exit", loop.stopAtExit);
  globalForPoller.__pairdeskPoller = loop;
}
