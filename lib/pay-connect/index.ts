/**
 * Pay-Connect for the rest of Pairdesk: the only module that knows its URLs and field names.
 * `payConnectClient(environment)` builds a client from the validated configuration. Domain code
 * reaches it through lib/providers (the provider-neutral seam), not directly.
 */
import "server-only";
import { getEnv } from "../env";
import { log } from "../log";
import { createPayConnectClient, type PayConnectClient, type PayConnectEnvironment } from "./client";

export { createPayConnectClient, type PayConnectClient, type PayConnectEnvironment } from "./client";

const payConnectLog = log.child({ module: "pay-connect" });

/** The client for one environment, configured from getEnv(). */
export function payConnectClient(environment: PayConnectEnvironment): PayConnectClient {
  const env = getEnv();
  const target = env.payConnect[environment];
  return createPayConnectClient({
    environment,
    baseUrl: target.baseUrl,
    integratorId: target.integratorId,
    timeoutMs: env.payConnect.timeoutMs,
    pairTimeoutMs: env.payConnect.pairTimeoutMs,
    logger: payConnectLog,
  });
}
