/**
 * The OTP as it is sent: what was typed, less any white space (codes are often read out or
 * shown in groups). Its case is never changed: what the field shows is what is sent.
 * No imports: the pairing form (a client component) and the server schema share it.
 */
export function normalizeOtp(typed: string): string {
  return typed.replace(/\s+/g, "");
}

/** The OTP field's message after the provider rejected the code. */
export const OTP_FIELD_HINT_AFTER_REJECTION =
  "Check it against the terminal's screen: it may be mistyped, or already used or expired (then generate a new OTP on the terminal).";
