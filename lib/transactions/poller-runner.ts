/**
 * Starts the poller with the server (lib/startup.ts, which instrumentation.ts runs on `next start`
 * and `next dev`): one loop a second, each doing nothing unless this process holds the lease.
 * PAIRDESK_POLLER=off leaves it stopped. The lease is released when the process exits normally;
 * a process killed outright stops renewing it, and another takes over after LEASE_TTL_MS.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { log } from "../log";
import { readCredentials } from "../pairing/credentials";
import { transactionProvider } from "../providers";
import { releaseLease } from "./lease";
import { pollOnce, POLLER, type PollerDeps } from "./poller";

const LOOP_MS = 1_000;
const globalForPoller = globalThis as unknown as { __pairdeskPoller?: { stop: () => void } };
const pollerLog = log.child({ module: "poller" });

export function startPoller(): void {
  if (globalForPoller.__pairdeskPoller || !getEnv().poller.enabled) return;
  const db = getDb();
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const deps: PollerDeps = {
    db,
    provider: transactionProvider,
    credentials: (d, pairing) => {
      const c = readCredentials(d, pairing);
      return { clientId: c.clientId, clientSecret: c.clientSecret };
    },
    now: Date.now,
    holder,
    failures: new Map(),
    log: pollerLog,
  };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let held = false;
  const loop = async () => {
    if (stopped) return;
    try {
      const figures = await pollOnce(deps);
      if (figures.ran !== held) {
        held = figures.ran;
        pollerLog.info({ holder }, held ? "this process polls transactions (lease taken)" : "another process polls transactions");
      }
    } catch (err) {
      pollerLog.error({ err: (err as Error)?.message }, "the poller's loop failed; it runs again shortly");
    }
    if (!stopped) {
      timer = setTimeout(() => void loop(), LOOP_MS);
      timer.unref?.();
    }
  };
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    try {
      releaseLease(db, POLLER, holder);
    } catch {
      // the database is already closed
    }
  };
  process.once("exit", stop);
  globalForPoller.__pairdeskPoller = { stop };
  void loop();
}
