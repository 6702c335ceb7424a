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
} as const;

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
export type PairRequestBody = z.infer<typeof pairRequestSchema>;

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
export type TokenRequestBody = z.infer<typeof tokenRequestSchema>;

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
