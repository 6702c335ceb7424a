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
