/**
 * The app's plain constants and their types, shared by the server and client components.
 * No imports: a client component that needs a role list must not pull drizzle (lib/db/schema)
 * into the browser bundle. lib/db/schema re-exports all of these.
 */

export const ROLES = ["admin", "support", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ENVIRONMENTS = ["production", "sandbox"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const PAIRING_STATUSES = ["active", "superseded", "unpaired"] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];

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
