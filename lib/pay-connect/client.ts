/**
 * The Pay-Connect client, built from its parts: the HTTP core (./http.ts: GET and POST,
 * timeouts, the outcome rules), the error table (./error-map.ts), the token cache
 * (./token-cache.ts) and one file per resource (./pair.ts, ./token.ts, ./unpair.ts).
 *
 * Pure: it reads no configuration (see ./index.ts for the one built from getEnv()), so tests can
 * point it at a local stub. Every call:
 * - carries X-Pay-Connect-Integrator-Id and Accept (and Content-Type on a POST) application/json;
 * - is bounded by AbortSignal.timeout, body included (the pair call by its own, longer one);
 * - never follows redirects;
 * - fails with a PayConnectError (a ProviderError) whose message is written for the person at
 *   the screen and never contains an OTP, a secret, a token or the response body.
 * Assumptions and the outcome policy are listed in ./assumptions.ts.
 */
import type {
  ClientCredentials,
  PairingProvider,
  PairRequest,
  PairResult,
  ProviderEnvironment,
  TransactionProvider,
} from "../providers/types";
import { createHttpCore, notConfiguredReason, type PayConnectLogger } from "./http";
import { pair } from "./pair";
import { tokenFor } from "./token";
import { transactionCalls } from "./transactions";
import { unpair } from "./unpair";

export { PayConnectError } from "./errors";
export { clearTokenCache, tokenLifetimeSeconds } from "./token-cache";

export type PayConnectEnvironment = ProviderEnvironment;
type PairInput = PairRequest;

export type PayConnectClient = PairingProvider & TransactionProvider & {
  pair(input: PairInput): Promise<PairResult>;
  unpair(creds: ClientCredentials): Promise<void>;
  /** A bearer token for the pairing's own calls (transactions, later). */
  getAccessToken(creds: ClientCredentials): Promise<string>;
};

export type PayConnectClientOptions = {
  environment: PayConnectEnvironment;
  baseUrl: string;
  integratorId: string | undefined;
  /** Token, unpair and (later) transaction calls. */
  timeoutMs: number;
  /** The pair call: its answer is the only copy of the credentials, so it may wait longer. Defaults to timeoutMs. */
  pairTimeoutMs?: number;
  fetch?: typeof fetch;
  logger?: PayConnectLogger;
};

export function createPayConnectClient(opts: PayConnectClientOptions): PayConnectClient {
  const http = createHttpCore(opts);
  const pairTimeoutMs = opts.pairTimeoutMs ?? opts.timeoutMs;
  return {
    provider: "pay-connect",
    label: "Pay-Connect",
    environment: opts.environment,
    unavailableReason: opts.integratorId?.trim() ? null : notConfiguredReason(opts.environment),
    pairTimeoutMs,
    pair: (input) => pair(http, input, pairTimeoutMs),
    unpair: (creds) => unpair(http, creds),
    getAccessToken: async (creds) => (await tokenFor(http, creds)).token,
    ...transactionCalls(http),
  };
}
