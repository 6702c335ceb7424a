/**
 * What Pairdesk assumes about Pay-Connect where its public documentation is silent, kept in one
 * place so that each can be corrected when the real contract is known. Source of the documented
 * parts: /work/shared/reference/pay-connect-api.md (seed pages + docs.lab4pay.com).
 *
 * DOCUMENTED
 * - pair: POST /v1/pay-connect/pair/ {name, otp, webhook_url?} with X-Pay-Connect-Integrator-Id;
 *   200 → {pay_connect_id, pay_connect_name, terminal_id, client_id, client_secret,
 *   webhook_secret_key: string|null}; errors 400 and 500 (no body format documented).
 *   The credentials are returned once and cannot be recovered.
 * - token: POST /v1/auth/token/ {grant_type: "client_credentials", client_id, client_secret}
 *   → {access_token, expires_in, token_type: "Bearer", scope}; the example shows expires_in as
 *   a string. Lifetime not stated.
 * - unpair: POST /v1/pay-connect/unpair/ with the pairing's bearer token; 200, 400, 401, 500.
 *
 * ASSUMED (not documented)
 * 1. Integrator header on the token call: the reference sends it on every call "except the token
 *    call"; Pairdesk sends it on the token call too (harmless if ignored, needed if required).
 * 2. webhook_secret_key absent from the pair response is read as null.
 * 3. token_type and scope are not required in the token response; only access_token and
 *    expires_in are used.
 * 4. Token lifetime: expires_in seconds (string or number). When it is missing, null, or not a
 *    positive number, the token is still used, for DEFAULT_TOKEN_LIFETIME_SECONDS (wire.ts
 *    tokenResponseSchema lets it be absent; token-cache.ts tokenLifetimeSeconds picks the
 *    default). A cached token is reused until TOKEN_REFRESH_MARGIN_SECONDS before it expires.
 * 5. Unpair body: `{}` with Content-Type application/json (the docs show no body); a 200's body
 *    is not read.
 * 6. Error bodies look like Django REST framework's `{"detail": "..."}` (also `error` or
 *    `message`). A short one (< PROVIDER_DETAIL_MAX_CHARS, containing no value we sent) may be
 *    appended to an error message; never for a 200, never for a pair 400 about the OTP (fixed message).
 * 7. A pair 400 means the OTP was rejected (mistyped, or used or expired) — unless its detail names
 *    the integrator id: then it is configuration, reported as such with the variable to check
 *    (the simulator answers an unknown integrator id that way).
 * 8. A 401/403 on token or unpair means the pairing's credentials are no longer valid, most likely
 *    because it was unpaired on Pay-Connect's side (e.g. on the terminal). On pair it means the
 *    integrator id was refused.
 * 9. Redirects are not followed (a POST followed across a 301/302 becomes a GET): a 3xx is
 *    reported as a base-URL problem, and nothing was done.
 * 10. Documented (seed 000, "One-Time Setup"): Pay-Connect pairs a terminal once per integration
 *     and environment. Assumed from it: a successful pair call for a terminal that Pairdesk already
 *     holds an active pairing of (same environment) ends that pairing on Pay-Connect's side, whatever
 *     pay_connect_id it returns. Pairdesk marks the old pairing "replaced" and destroys its secrets in
 *     the transaction that stores the new one (lib/pairing/persist.ts). It does NOT call unpair for
 *     the replaced pairing: Pay-Connect notifies the terminal on unpair, which could undo the pairing
 *     just made. Registers route to the terminal, not to a pairing, so they go on through the new one.
 * 11. A 401 on unpair (after one token refresh) means Pay-Connect no longer accepts the
 *     credentials: the pairing was already ended on its side (e.g. on the terminal). Pairdesk
 *     then marks it unpaired locally (lib/pairing/unpair.ts).
 * 12. The OTP is sent as typed, less white space (the form strips it): the docs do not say
 *     whether OTPs are case-sensitive, so Pairdesk never changes their case.
 * 13. Status polling exists but its path is not documented: GET /v1/pay-connect/transactions/{id}/
 *     with the pairing's bearer, answering one transaction object (the webhook item's shape).
 * 14. Preauth increment: POST /v1/pay-connect/transaction-operations/{id}/preauth-increment/ with
 *     {amount} (the increment), answering {operation_id, transaction_id}.
 * 15. Configuration: GET /v1/pay-connect/configuration/ with the pairing's bearer →
 *     {currency, timezone, payment_methods[]}; extra fields tolerated, absent ones read as unknown.
 * 16. Metadata patch: PATCH /v1/pay-connect/transactions/{id}/ with {metadata}.
 * 17. Webhook payload: the payment-facilitator webhooks' JSON array of transaction objects (a single
 *     object is accepted too), no event-type field; strict on id, status and integer amounts,
 *     lenient on every other field (null, absent, unknown values).
 * 18. Webhook signature: hex HMAC-SHA256 in `Signature` over the raw body, or over the sorted-keys
 *     serialisation of the parsed body (compact, or Python json.dumps(sort_keys=True) separators),
 *     since the docs' sample signs "a JSON string with sorted keys". A `sha256=` prefix is tolerated.
 * 19. Cancel and revert take no body: `{}` is sent as JSON. A 200 cancel answer's body is not read.
 * 20. client_transaction_id is sent with every create call that documents it (charge, preauth,
 *     independent refund); Pairdesk assumes Pay-Connect answers a repeated one with the same
 *     transaction, and refuses a second submit of a form itself in any case.
 * 21. Several partial refunds of one transaction are allowed, capped at amount − refund_total_amount;
 *     a provider 400 explains itself (its short detail is shown).
 * 22. 429 and 5xx are retryable (the poller backs off); other 4xx are refusals to show.
 *
 * OUTCOME POLICY ("failed" = nothing happened on Pay-Connect's side; "unknown" = it may have);
 * the status table that applies it is error-map.ts STATUS_ROWS, the network one NEVER_SENT_ROWS.
 * - Connection refused, DNS failure, TLS failure, a blocked port, or the integrator id missing:
 *   the request never left → failed.
 * - Timeout (AbortSignal.timeout), connection reset or closed mid-request: the request may have
 *   been processed → unknown. For pair this means the terminal may be paired and its
 *   credentials are lost: the user checks the terminal's screen (advice for both answers in
 *   error-map.ts UNKNOWN_OUTCOME). Because that is the worst result, the pair call waits
 *   PAY_CONNECT_PAIR_TIMEOUT_MS (default 60 s), the other calls PAY_CONNECT_TIMEOUT_MS.
 * - pair/unpair 500 is documented as an error → failed. 502 and 504 come from a gateway in front
 *   of Pay-Connect, which may have forwarded the request → unknown for pair and unpair.
 * - A token-call failure inside unpair() is reported with outcome failed: the unpair request
 *   itself was never sent.
 * - A 2xx pair answer whose body fails the schema → invalid_response, unknown (credentials may
 *   have been issued and could not be read). The body is never logged nor put in the message.
 */

/** Used when expires_in is missing or unreadable. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/** A cached token is dropped this long before it expires. */
export const TOKEN_REFRESH_MARGIN_SECONDS = 60;

/** Provider error details at least this long are not shown. */
export const PROVIDER_DETAIL_MAX_CHARS = 200;

/** Gateway statuses after which a pair or unpair request may have reached Pay-Connect. */
export const GATEWAY_UNKNOWN_OUTCOME_STATUSES: readonly number[] = [502, 504];
