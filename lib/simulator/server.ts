/**
 * The simulator of this process, built from the configuration: null unless
 * PAIRDESK_SIMULATOR is on, in which case every simulator page and route answers 404.
 */
import "server-only";
import { getEnv } from "../env";
import type { SimulatorContext } from "./context";
import { openSimulatorDatabase, type SimulatorDatabase } from "./db";

const globalForSimulator = globalThis as unknown as {
  __pairdeskSimulatorDb?: { file: string; db: SimulatorDatabase };
};

function simulatorDatabase(file: string): SimulatorDatabase {
  const held = globalForSimulator.__pairdeskSimulatorDb;
  if (held && held.file === file && held.db.open) return held.db;
  const db = openSimulatorDatabase(file);
  globalForSimulator.__pairdeskSimulatorDb = { file, db };
  return db;
}

/** The simulator's context, or null when it is disabled. */
export function getSimulator(): SimulatorContext | null {
  const env = getEnv();
  if (!env.simulator.enabled) return null;
  // The simulator stands in for the sandbox only: the production integrator id is never
  // accepted, so it cannot be tried out (or leaked) against a simulated provider.
  const sandboxId = env.payConnect.sandbox.integratorId;
  return {
    db: simulatorDatabase(env.simulator.databasePath),
    now: Date.now,
    integratorIds: new Set(sandboxId ? [sandboxId] : []),
    publicOrigin: new URL(env.publicUrl).origin,
    // Past the app's own timeouts (the pair call has its own, longer one), so that "slow" reads
    // as a timeout in Pairdesk whichever call it delays.
    defaultSlowDelayMs: Math.max(env.payConnect.timeoutMs, env.payConnect.pairTimeoutMs) + 2000,
    webhookRetryScale: env.simulator.webhookRetryScale,
    paymentExpiryMs: env.simulator.paymentExpiryMs,
  };
}

/** The answer of every simulator route while the simulator is disabled. */
function simulatorNotFound(): Response {
  return new Response(null, { status: 404 });
}

/**
 * The wrapper of every simulator route: 404 (and nothing else) unless the simulator is enabled;
 * otherwise the handler gets the simulator, the request and the route's parameters.
 */
export function withSimulator<P extends Record<string, string | string[]> = Record<string, never>>(
  handler: (sim: SimulatorContext, request: Request, params: P) => Promise<Response> | Response,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const sim = getSimulator();
    if (!sim) return simulatorNotFound();
    return handler(sim, request, ((await context?.params) ?? {}) as P);
  };
}
