/**
 * Which provider serves an environment. Pay-Connect is the only one today; a second provider
 * (SmartConnect) is added here, and lib/pairing keeps using the PairingProvider interface.
 */
import "server-only";
import { payConnectClient } from "../pay-connect";
import { payConnectWebhooks } from "../pay-connect/webhook";
import type { PairingProvider, ProviderEnvironment, TransactionProvider, WebhookFormat } from "./types";

export * from "./types";

export function pairingProvider(environment: ProviderEnvironment): PairingProvider {
  return payConnectClient(environment);
}

/** The transaction calls for an environment's terminals. */
export function transactionProvider(environment: ProviderEnvironment): TransactionProvider {
  return payConnectClient(environment);
}

/** How the webhook endpoint verifies and reads a delivery. */
export function webhookFormat(): WebhookFormat {
  return payConnectWebhooks;
}
