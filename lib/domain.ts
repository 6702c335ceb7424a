/**
 * The app's plain constants and their types, shared by the server and client components.
 * No imports: a client component that needs a role list must not pull drizzle (lib/db/schema)
 * into the browser bundle. lib/db/schema re-exports all of these.
 */

/** The integrator's own people: every merchant. */
export const STAFF_ROLES = ["admin", "support", "viewer"] as const;
/** A merchant's people: their merchant only. */
export const MERCHANT_ROLES = ["merchant-admin", "merchant-viewer"] as const;
export const ROLES = [...STAFF_ROLES, ...MERCHANT_ROLES] as const;
export type Role = (typeof ROLES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];
export type MerchantRole = (typeof MERCHANT_ROLES)[number];

export function isMerchantRole(role: string): role is MerchantRole {
  return (MERCHANT_ROLES as readonly string[]).includes(role);
}

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** How a role is named on a page: "merchant admin". */
export function roleLabel(role: Role): string {
  return role.replace("-", " ");
}

export const MERCHANT_STATUSES = ["active", "suspended"] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

export const ENVIRONMENTS = ["production", "sandbox"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * A terminal has at most one `active` pairing per environment (Pay-Connect pairs a terminal once
 * per integration and environment): pairing it again makes the old one `replaced`; `unpaired`
 * when ended by unpair (here or on the provider's side).
 */
export const PAIRING_STATUSES = ["active", "replaced", "unpaired"] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];

/** A physical register has a stable id the POS sends; a virtual register is the child of one physical register. */
export const REGISTER_KINDS = ["physical", "virtual"] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

export const ATTEMPT_STATUSES = [
  "pending",
  "succeeded",
  "failed",
  "outcome_unknown",
  "needs_recovery",
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const SECRET_FIELDS = ["client_secret", "webhook_secret_key"] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/**
 * A transaction's status as the provider reports it. INITIATED and IN_PROGRESS are open; the
 * others are final, except that a SUCCESS can later become REVERTED (lib/transactions/status.ts).
 */
export const TRANSACTION_STATUSES = [
  "INITIATED",
  "IN_PROGRESS",
  "SUCCESS",
  "CANCELED",
  "DECLINED",
  "REVERTED",
  "EXPIRED",
  "FAILED",
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export const OPEN_TRANSACTION_STATUSES = ["INITIATED", "IN_PROGRESS"] as const satisfies readonly TransactionStatus[];
export const FINAL_TRANSACTION_STATUSES = [
  "SUCCESS",
  "CANCELED",
  "DECLINED",
  "REVERTED",
  "EXPIRED",
  "FAILED",
] as const satisfies readonly TransactionStatus[];

export function isFinalStatus(status: string): boolean {
  return (FINAL_TRANSACTION_STATUSES as readonly string[]).includes(status);
}

/** How a transaction came to be: the call that created it (a POS-started one is read from its tags). */
export const TRANSACTION_KINDS = ["charge", "preauth", "refund", "independent_refund"] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** Where an observed status came from. */
export const EVENT_SOURCES = ["webhook", "poll", "operation"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/**
 * What an observation did to its transaction: `created` it, `changed` its status, `updated` other
 * fields (a refund total), or was kept but `ignored` (a late open status after a final one, or a
 * second, different final status).
 */
export const EVENT_EFFECTS = ["created", "changed", "updated", "ignored"] as const;
export type EventEffect = (typeof EVENT_EFFECTS)[number];

/** The back-office operations Pairdesk sends to the provider. */
export const OPERATION_KINDS = [
  "charge",
  "preauth",
  "cancel",
  "refund",
  "revert",
  "independent_refund",
  "preauth_complete",
  "preauth_increment",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * An operation's outcome here: `pending` until the provider answered; `sent` (accepted, its
 * effect not yet confirmed), `succeeded`, `failed` (refused or never sent, with the reason),
 * `outcome_unknown` (timeout or a broken connection: it may have been done).
 */
export const OPERATION_STATUSES = ["pending", "sent", "succeeded", "failed", "outcome_unknown"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/**
 * A webhook delivery's verdict, decided before anything is applied:
 * - `accepted`: signature verified and the body read (answered 200);
 * - `bad_signature`: missing or wrong signature (403);
 * - `no_secret`: the pairing has no webhook secret, so nothing can be verified (403);
 * - `unparsed`: verified, but not JSON or not a transaction (400; kept for reprocessing);
 * - `gone`: the pairing is replaced or unpaired (410);
 * - `unknown_pairing`: no pairing has this URL's token (404);
 * - `too_large`: over the size limit, body not read (413).
 */
export const DELIVERY_VERDICTS = [
  "accepted",
  "bad_signature",
  "no_secret",
  "unparsed",
  "gone",
  "unknown_pairing",
  "too_large",
] as const;
export type DeliveryVerdict = (typeof DELIVERY_VERDICTS)[number];
