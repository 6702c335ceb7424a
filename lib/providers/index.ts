/**
 * Which provider serves an environment. Pay-Connect is the only one today; a second provider
 * (SmartConnect) is added here, and lib/pairing keeps using the PairingProvider interface.
 */
import "server-only";
import { payConnectClient } from "../pay-connect";
import type { PairingProvider, ProviderEnvironment } from "./types";

export * from "./types";

export function pairingProvider(environment: ProviderEnvironment): PairingProvider {
  return payConnectClient(environment);
}
