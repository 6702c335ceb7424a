import { ProviderError, type CallOutcome, type ProviderErrorCode } from "../providers/types";

export type PayConnectErrorCode = Exclude<ProviderErrorCode, "unsupported">;

/**
 * A Pay-Connect call that did not succeed: a ProviderError, so that lib/pairing handles it
 * without knowing Pay-Connect. The message is written for the person at the screen and never
 * contains an OTP, a secret, a token or the provider's response body.
 */
export class PayConnectError extends ProviderError {
  declare readonly code: PayConnectErrorCode;

  constructor(code: PayConnectErrorCode, message: string, options: { outcome: CallOutcome; status?: number; credentialsRefused?: boolean }) {
    super("pay-connect", code, message, options);
    this.name = "PayConnectError";
  }
}
