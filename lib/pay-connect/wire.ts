/**
 * Pay-Connect's wire format: paths, headers and the zod schemas of every request and response
 * Pairdesk exchanges with it. The client (./client.ts) and the built-in simulator (which plays
 * the provider's side) both use these, so a correction to the contract is made here once.
 * See ./assumptions.ts for what is documented and what is assumed.
 */
import { z } from "zod";

export const PAY_CONNECT_PATHS = {
  pair: "/v1/pay-connect/pair/",
  token: "/v1/auth/token/",
  unpair: "/v1/pay-connect/unpair/",
  charge: "/v1/pay-connect/transactions/generate/",
  preauth: "/v1/pay-connect/transactions/preauth/",
  independentRefund: "/v1/pay-connect/transactions/refund/",
  /** Assumption 13: the status-polling path is not documented. */
  transaction: "/v1/pay-connect/transactions/{id}/",
  cancel: "/v1/pay-connect/transactions/{id}/cancel/",
  refund: "/v1/pay-connect/transactions/{id}/refund/",
  printSlip: "/v1/pay-connect/transactions/{id}/print-slip/",
  revert: "/v1/pay-connect/transaction-operations/{id}/revert/",
  preauthComplete: "/v1/pay-connect/transaction-operations/{id}/preauth-complete/",
  /** Assumption 14: not documented. */
  preauthIncrement: "/v1/pay-connect/transaction-operations/{id}/preauth-increment/",
  operation: "/v1/pay-connect/transaction-operations/{id}/",
  /** Assumption 15: not documented. */
  configuration: "/v1/pay-connect/configuration/",
  /** Assumption 16: not documented (PATCH of the transaction resource). */
  patch: "/v1/pay-connect/transactions/{id}/",
} as const;

/** A path with its `{id}` filled in (URL-encoded). */
export function pathWithId(path: string, id: string): string {
  return path.replace("{id}", encodeURIComponent(id));
}

/** The webhook signature header (documented): hex HMAC-SHA256 of the body, keyed with webhook_secret_key. */
export const SIGNATURE_HEADER = "Signature";

export const INTEGRATOR_ID_HEADER = "X-Pay-Connect-Integrator-Id";

/** `POST /v1/pay-connect/pair/` request body (documented). */
export const pairRequestSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(200, "name is too long"),
  otp: z.string().trim().min(1, "otp is required").max(64, "otp is too long"),
  webhook_url: z
    .string()
    .url("webhook_url must be an absolute URL")
    .refine((v) => /^https?:\/\//.test(v), "webhook_url must start with http:// or https://")
    .optional(),
});

/** `POST /v1/pay-connect/pair/` 200 response (documented; webhook_secret_key may be null). */
export const pairResponseSchema = z.object({
  pay_connect_id: z.string().min(1),
  pay_connect_name: z.string().min(1),
  terminal_id: z.string().min(1),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  // Documented as "string or null"; an absent key is read as null (assumption).
  webhook_secret_key: z.string().nullish().transform((v) => v ?? null),
});
export type PairResponseBody = z.input<typeof pairResponseSchema>;

/** `POST /v1/auth/token/` request body (documented). */
export const tokenRequestSchema = z.object({
  grant_type: z.literal("client_credentials"),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});

/**
 * `POST /v1/auth/token/` 200 response. `expires_in` is a string in the docs' example: accept a
 * string or a number, and its absence (the token then lives DEFAULT_TOKEN_LIFETIME_SECONDS,
 * assumption 4). Only access_token and expires_in are used; token_type and scope are read when
 * present but not required (assumption 3: a provider that omits them should not break unpair).
 */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).nullish(),
  token_type: z.string().optional(),
  scope: z.string().nullish(),
});
export type TokenResponseBody = z.input<typeof tokenResponseSchema>;

/** The error body shape Pairdesk reads (assumed: Django REST framework style `detail`). */
export const providerErrorSchema = z
  .object({
    detail: z.unknown().optional(),
    error: z.unknown().optional(),
    message: z.unknown().optional(),
  })
  .loose();

// ---------------------------------------------------------------------------------------------
// Transactions

const TRANSACTION_STATUS_VALUES = [
  "INITIATED",
  "IN_PROGRESS",
  "SUCCESS",
  "CANCELED",
  "DECLINED",
  "REVERTED",
  "EXPIRED",
  "FAILED",
] as const;

/** An amount in minor units: a non-negative integer (strict). */
const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Optional text: any string, null or absent (lenient). */
const optionalText = z.string().max(2000).nullish();
/** A timestamp as text (ISO 8601 expected); unreadable ones are read as absent, not refused. */
const optionalTime = z.string().max(100).nullish();

/**
 * A transaction object: the webhook payload's items (assumed from the payment-facilitator
 * webhooks, assumption 17) and the status poll's answer (assumption 13). Strict on id, status
 * and amounts; lenient about everything else, which may be null, absent or of a newer shape.
 */
export const transactionObjectSchema = z
  .object({
    id: z.string().trim().min(1).max(200),
    status: z.enum(TRANSACTION_STATUS_VALUES),
    amount: minorUnits,
    tip_amount: minorUnits.nullish(),
    total_amount: minorUnits.nullish(),
    refund_total_amount: minorUnits.nullish(),
    currency: optionalText,
    external_transaction_id: optionalText,
    linked_transaction_id: optionalText,
    client_transaction_id: optionalText,
    card_gateway_transaction_id: optionalText,
    terminal_id: optionalText,
    terminal_serial_number: optionalText,
    payment_method: optionalText,
    payment_option: optionalText,
    timezone: optionalText,
    tags: z.array(z.string().max(100)).max(50).nullish().catch(null),
    card_tid: optionalText,
    card_number: optionalText,
    crypto_amount: z.number().nullish().catch(null),
    crypto_payment_network: optionalText,
    created_at: optionalTime,
    completed_at: optionalTime,
    canceled_at: optionalTime,
    reverted_at: optionalTime,
  })
  .loose();

/** A webhook body: an array of transaction objects (documented for the payment-facilitator webhooks) or one. */
export const webhookArraySchema = z.array(transactionObjectSchema).min(1).max(1000);

/** Charge, preauth, refund and independent refund answer `{transaction_id}`. */
export const createdTransactionSchema = z.object({ transaction_id: z.string().trim().min(1).max(200) }).loose();

/** `POST /v1/pay-connect/transactions/generate/` (charge). */
export const chargeRequestSchema = z.object({
  amount: minorUnits.min(1),
  client_transaction_id: z.string().min(1).max(200).optional(),
  payment_method: z.string().min(1).max(100).optional(),
});
export const preauthRequestSchema = z.object({
  amount: minorUnits.min(1),
  client_transaction_id: z.string().min(1).max(200).optional(),
});
export const refundRequestSchema = z.object({ amount: minorUnits.min(1) });
export const independentRefundRequestSchema = z.object({
  amount: minorUnits.min(1),
  client_transaction_id: z.string().min(1).max(200).optional(),
});
export const preauthCompleteRequestSchema = z.object({ amount: minorUnits.min(1) });

const OPERATION_STATUS_VALUES = ["INITIATED", "IN_PROGRESS", "SUCCESS", "FAILED", "EXPIRED"] as const;

/** Revert and preauth-complete answer `{operation_id, transaction_id}`. */
export const startedOperationSchema = z
  .object({ operation_id: z.string().trim().min(1).max(200), transaction_id: z.string().trim().min(1).max(200) })
  .loose();

/** `GET /v1/pay-connect/transaction-operations/{operation_id}/`. */
export const operationSchema = z
  .object({
    operation_id: z.string().trim().min(1).max(200),
    operation_type: z.string().max(100).nullish(),
    transaction_id: z.string().trim().min(1).max(200),
    status: z.enum(OPERATION_STATUS_VALUES),
    metadata: z.unknown().optional(),
  })
  .loose();

/** Configuration (assumption 15): tolerate extra fields and absent ones. */
export const configurationSchema = z
  .object({
    currency: optionalText,
    timezone: optionalText,
    payment_methods: z.array(z.string().max(100)).max(100).nullish().catch(null),
  })
  .loose();

/** `GET /v1/pay-connect/transactions/{id}/print-slip/` (documented fields; all read leniently). */
export const printSlipSchema = z
  .object({
    transaction_id: optionalText,
    terminal_id: optionalText,
    organization: z
      .object({
        full_name: optionalText,
        country: optionalText,
        address: optionalText,
        postal_code: optionalText,
        city: optionalText,
        region: optionalText,
      })
      .loose()
      .nullish()
      .catch(null),
    point_of_sale: z.object({ full_name: optionalText }).loose().nullish().catch(null),
    amount: minorUnits.nullish().catch(null),
    tip_amount: minorUnits.nullish().catch(null),
    total_amount: minorUnits.nullish().catch(null),
    refund_total_amount: minorUnits.nullish().catch(null),
    currency: optionalText,
    status: optionalText,
    payment_method: optionalText,
    payment_option: optionalText,
    tags: z.array(z.string()).nullish().catch(null),
    timezone: optionalText,
    created_at: optionalTime,
    digital_slip: optionalText,
    card_tid: optionalText,
    completed_at: optionalTime,
    canceled_at: optionalTime,
    reverted_at: optionalTime,
    aid: optionalText,
    approve_code: optionalText,
    card_type: optionalText,
    card_number: optionalText,
  })
  .loose();
