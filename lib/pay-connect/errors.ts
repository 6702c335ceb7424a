export type PayConnectErrorCode =
  | "not_configured"
  | "otp_rejected"
  | "bad_request"
  | "unauthorized"
  | "unavailable"
  | "timeout"
  | "unreachable"
  | "invalid_response";

/**
 * A Pay-Connect call that did not succeed. The message is written for the person at the screen
 * and never contains an OTP, a secret, a token or the provider's response body.
 */
export class PayConnectError extends Error {
  readonly code: PayConnectErrorCode;
  /** The HTTP status Pay-Connect answered, when it answered. */
  readonly status?: number;
  /** "failed": nothing happened on Pay-Connect's side; "unknown": the request may have been processed */
  readonly outcome: "failed" | "unknown";

  constructor(
    code: PayConnectErrorCode,
    message: string,
    options: { outcome: "failed" | "unknown"; status?: number },
  ) {
    super(message);
    this.name = "PayConnectError";
    this.code = code;
    this.outcome = options.outcome;
    if (options.status !== undefined) this.status = options.status;
  }
}
