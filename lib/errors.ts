/**
 * The one error vocabulary of the domain code. A refusal a user can act on is thrown as a
 * `DomainError`: a code (stable, for tests and the API), a sentence for the user, and optionally
 * the form field it is about. The action wrapper (lib/auth/safe-action.ts) turns it into the
 * form's failure, and the route wrapper (lib/auth/route.ts) into a JSON or text answer with the
 * code's HTTP status. Anything else thrown is unexpected: logged, and answered with a generic
 * sentence.
 *
 * No imports and no `server-only`: the operator commands and the tests use it too.
 *
 * Not domain refusals, and so kept apart: ProviderError (what a payment provider answered),
 * ConfigError (a setting the server cannot start with), OperatorError (an operator command's
 * usage), VaultError (a secret that does not open).
 */

/** The codes with a meaning of their own; a domain may add its own (a rule's code, say). */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "merchant_suspended"
  | "stale"
  | (string & {});

const STATUS: Record<string, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  merchant_suspended: 409,
  stale: 409,
};

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** The form field the sentence is about, if one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string } = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = options.field;
  }

  /** The HTTP status a route answers with: the code's, else 409 (a refusal of the request as it stands). */
  get status(): number {
    return STATUS[this.code] ?? 409;
  }
}

/** "That location does not exist, or it is not in your merchant." */
export function notFound(message: string): DomainError {
  return new DomainError("not_found", message);
}

/** A bad value of one field. */
export function invalid(field: string, message: string): DomainError {
  return new DomainError("invalid", message, { field });
}

/**
 * The one shape of a failed outcome that a command returns rather than throws: one that leaves a
 * record worth a look (an operation the provider refused, a delivery that still cannot be read)
 * and so is not an exception. The action wrapper's `failed` maps it like a DomainError.
 */
export type Failure = { ok: false; code: ErrorCode; message: string; field?: string };

export function failure(code: ErrorCode, message: string, field?: string): Failure {
  return field ? { ok: false, code, message, field } : { ok: false, code, message };
}
