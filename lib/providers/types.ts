/**
 * The small, provider-neutral seam between Pairdesk's domain code (lib/pairing, later
 * lib/transactions) and a payment provider's adapter (lib/pay-connect now, lib/smartconnect
 * later). Nothing here knows a URL, a header or a field name of any provider: each adapter maps
 * its wire format and its assumptions onto these types, and its own failures onto ProviderError.
 *
 * No imports and no "server-only": the types are shared by server code and client components
 * (the pairing form reads `pairTimeoutMs` and the availability of each environment).
 */

export type ProviderEnvironment = "production" | "sandbox";

/**
 * What a failed call means on the provider's side:
 * - "failed": nothing happened there (the request never left, or it was refused);
 * - "unknown": it may have been processed (timeout, connection lost, unreadable 2xx...).
 */
export type CallOutcome = "failed" | "unknown";

export type ProviderErrorCode =
  /** The adapter lacks a setting it needs for this environment; nothing was sent. */
  | "not_configured"
  /** The one-time pairing code was refused (mistyped, used or expired). */
  | "otp_rejected"
  | "bad_request"
  /** The provider refused the credentials (for an existing pairing: it has likely ended). */
  | "unauthorized"
  | "unavailable"
  | "timeout"
  | "unreachable"
  | "invalid_response"
  /** The provider has no API for this (SmartConnect cannot unpair). */
  | "unsupported";

/**
 * A provider call that did not succeed. The message is written for the person at the screen and
 * never contains a code, a secret, a token or the provider's response body.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly code: ProviderErrorCode;
  readonly outcome: CallOutcome;
  /** The HTTP status the provider answered, when it answered. */
  readonly status?: number;

  constructor(
    provider: string,
    code: ProviderErrorCode,
    message: string,
    options: { outcome: CallOutcome; status?: number },
  ) {
    super(message);
    this.name = "ProviderError";
    this.provider = provider;
    this.code = code;
    this.outcome = options.outcome;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** A pair call: a name for the pairing, the code shown on the terminal, where to send webhooks. */
export type PairRequest = { name: string; otp: string; webhookUrl?: string };

/**
 * What a successful pair call returns. The field names follow the stored columns (pairings,
 * the recovery spool), which predate this seam: `payConnectId` is the provider's id of the
 * pairing, `payConnectName` the name it gave it.
 */
export type PairResult = {
  payConnectId: string;
  payConnectName: string;
  terminalId: string;
  clientId: string;
  clientSecret: string;
  webhookSecretKey: string | null;
};

/** A pairing's own credentials, for calls made on its behalf. */
export type ClientCredentials = { clientId: string; clientSecret: string };

/** One provider in one environment, as lib/pairing uses it. */
export interface PairingProvider {
  /** A short name for logs and errors ("pay-connect"). */
  readonly provider: string;
  /** The product name people know ("Pay-Connect"). */
  readonly label: string;
  readonly environment: ProviderEnvironment;
  /**
   * Why this environment cannot be used at all (a missing setting), written for the person at
   * the screen and naming what an admin must set; null when it can.
   */
  readonly unavailableReason: string | null;
  /** How long a pair call may take before its outcome is reported unknown. */
  readonly pairTimeoutMs: number;
  /** Pairs a terminal. Throws ProviderError. */
  pair(request: PairRequest): Promise<PairResult>;
  /**
   * Ends a pairing with its own credentials. Throws ProviderError; "unauthorized" means the
   * provider no longer accepts them (the pairing already ended on its side). Absent when the
   * provider has no unpair API (the terminal is then unpaired on its own screen).
   */
  unpair?(credentials: ClientCredentials): Promise<void>;
}
