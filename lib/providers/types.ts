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
  /**
   * The provider refused the pairing's credentials themselves (a fresh token was refused): the
   * pairing is over on the provider's side (unpaired on the terminal, or by its support) and
   * only pairing again helps.
   */
  readonly credentialsRefused: boolean;

  constructor(
    provider: string,
    code: ProviderErrorCode,
    message: string,
    options: { outcome: CallOutcome; status?: number; credentialsRefused?: boolean },
  ) {
    super(message);
    this.name = "ProviderError";
    this.provider = provider;
    this.code = code;
    this.outcome = options.outcome;
    this.credentialsRefused = options.credentialsRefused ?? false;
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

// ---------------------------------------------------------------------------------------------
// Transactions (lib/transactions uses these; lib/pay-connect maps its wire format onto them)

/** The provider's transaction status values, which Pairdesk uses as its own (lib/domain.ts). */
export type ProviderTransactionStatus =
  | "INITIATED"
  | "IN_PROGRESS"
  | "SUCCESS"
  | "CANCELED"
  | "DECLINED"
  | "REVERTED"
  | "EXPIRED"
  | "FAILED";

/**
 * One observation of a transaction, in Pairdesk's words: amounts in minor units of `currency`,
 * times in milliseconds since the epoch (null when absent or unreadable). Never a card number:
 * at most its last four digits, in `details`.
 */
export type ProviderTransaction = {
  transactionId: string;
  status: ProviderTransactionStatus;
  amount: number;
  tipAmount: number | null;
  totalAmount: number | null;
  refundTotalAmount: number | null;
  currency: string | null;
  paymentMethod: string | null;
  paymentOption: string | null;
  clientTransactionId: string | null;
  /** A refund's original transaction (the provider's id). */
  linkedTransactionId: string | null;
  /** The provider's terminal id, when the observation names it. */
  terminalId: string | null;
  tags: string[];
  createdAt: number | null;
  completedAt: number | null;
  canceledAt: number | null;
  revertedAt: number | null;
  /** Other non-secret fields worth showing (card type, last four digits, time zone...). */
  details: Record<string, string | number | boolean | null>;
};

/** A create call's answer (charge, preauth, refund, independent refund). */
type CreatedTransaction = { transactionId: string };

/** An operation the provider runs on a transaction (revert, preauth completion), followed by id. */
type StartedOperation = { operationId: string; transactionId: string };

type ProviderOperationStatus = "INITIATED" | "IN_PROGRESS" | "SUCCESS" | "FAILED" | "EXPIRED";

type ProviderOperation = {
  operationId: string;
  /** The provider's own name for it (transaction.revert...). */
  type: string;
  transactionId: string;
  status: ProviderOperationStatus;
};

/** A terminal's configuration as the provider reports it. */
export type TerminalConfiguration = {
  currency: string | null;
  timeZone: string | null;
  paymentMethods: string[];
};

/** The print slip of a completed transaction: the fields a receipt shows, all optional. */
export type PrintSlip = {
  merchantName: string | null;
  address: string | null;
  pointOfSale: string | null;
  amount: number | null;
  tipAmount: number | null;
  totalAmount: number | null;
  refundTotalAmount: number | null;
  currency: string | null;
  status: string | null;
  paymentMethod: string | null;
  paymentOption: string | null;
  cardType: string | null;
  /** Last four digits only. */
  cardLast4: string | null;
  approveCode: string | null;
  aid: string | null;
  cardTid: string | null;
  timeZone: string | null;
  createdAt: number | null;
  completedAt: number | null;
  canceledAt: number | null;
  revertedAt: number | null;
  digitalSlip: string | null;
};

/**
 * The transaction calls of one provider in one environment, each made with a pairing's own
 * credentials. Every failure is a ProviderError whose `outcome` says whether it may have been
 * done; "unavailable" with status 429 or 5xx is worth retrying later.
 */
export interface TransactionProvider {
  readonly provider: string;
  readonly environment: ProviderEnvironment;
  charge(creds: ClientCredentials, input: { amount: number; clientTransactionId: string; paymentMethod?: string }): Promise<CreatedTransaction>;
  preauth(creds: ClientCredentials, input: { amount: number; clientTransactionId: string }): Promise<CreatedTransaction>;
  /** Answers before the terminal has cancelled: confirm by polling or webhook. */
  cancel(creds: ClientCredentials, transactionId: string): Promise<void>;
  refund(creds: ClientCredentials, transactionId: string, input: { amount: number }): Promise<CreatedTransaction>;
  independentRefund(creds: ClientCredentials, input: { amount: number; clientTransactionId: string }): Promise<CreatedTransaction>;
  revert(creds: ClientCredentials, transactionId: string): Promise<StartedOperation>;
  /** `amount` is the total (original plus increments), not a delta. */
  preauthComplete(creds: ClientCredentials, transactionId: string, input: { amount: number }): Promise<StartedOperation>;
  preauthIncrement(creds: ClientCredentials, transactionId: string, input: { amount: number }): Promise<StartedOperation>;
  getTransaction(creds: ClientCredentials, transactionId: string): Promise<ProviderTransaction>;
  getOperation(creds: ClientCredentials, operationId: string): Promise<ProviderOperation>;
  getPrintSlip(creds: ClientCredentials, transactionId: string): Promise<PrintSlip>;
  getConfiguration(creds: ClientCredentials): Promise<TerminalConfiguration>;
  patchTransaction(creds: ClientCredentials, transactionId: string, metadata: Record<string, string>): Promise<void>;
}

/** How a webhook delivery's signature checked out. */
export type WebhookVerification =
  | { ok: true; form: "raw" | "sorted" }
  | { ok: false; reason: "missing" | "malformed" | "mismatch" | "no_secret" };

/** A webhook body read: the observations it holds, or why it cannot be read. */
export type WebhookParse =
  | { ok: true; transactions: ProviderTransaction[] }
  | { ok: false; reason: string };

/** The provider's webhook format: how a delivery is verified and read. */
export interface WebhookFormat {
  readonly provider: string;
  /** Deliveries larger than this are refused (413) without being read. */
  readonly maxBodyBytes: number;
  verify(headers: Headers, rawBody: Buffer, secret: string | null): WebhookVerification;
  parse(rawBody: Buffer): WebhookParse;
}
