/**
 * How the app words its codes, once: pages, client components, CSV route handlers and domain
 * messages all read them here. Client-safe: it imports only lib/domain's constants and types
 * (never drizzle or the database), so a client component may import it.
 */
import type { AuditAction } from "./audit/audit";
import {
  ENVIRONMENTS,
  type AttemptStatus,
  type DeliveryVerdict,
  type Environment,
  type OperationKind,
  type TransactionKind,
  type TransactionStatus,
} from "./domain";

export const ENVIRONMENT_LABELS: Record<Environment, string> = { production: "Production", sandbox: "Sandbox" };

/** An environment's name; an unknown code reads as itself. */
export function environmentLabel(environment: string): string {
  return ENVIRONMENT_LABELS[environment as Environment] ?? environment;
}

/** The environment filter of a list: every environment, or one. */
export const ENVIRONMENT_OPTIONS = [
  { value: "all", label: "All environments" },
  ...ENVIRONMENTS.map((e) => ({ value: e, label: ENVIRONMENT_LABELS[e] })),
] as const;

export const TRANSACTION_KIND_LABELS: Record<TransactionKind, string> = {
  charge: "Charge",
  preauth: "Preauthorisation",
  refund: "Refund",
  independent_refund: "Independent refund",
};

/** The operations Pairdesk sends: the panel's history, the charge dialog, the operation's own messages. */
export const OPERATION_LABELS: Record<OperationKind, string> = {
  charge: "Charge",
  preauth: "Preauthorisation",
  independent_refund: "Independent refund",
  cancel: "Cancel",
  refund: "Refund",
  revert: "Revert",
  preauth_complete: "Completion",
  preauth_increment: "Increase",
};

export const TRANSACTION_STATUS_LABELS: Record<TransactionStatus, string> = {
  INITIATED: "Initiated",
  IN_PROGRESS: "In progress",
  SUCCESS: "Success",
  CANCELED: "Cancelled",
  DECLINED: "Declined",
  REVERTED: "Reverted",
  EXPIRED: "Expired",
  FAILED: "Failed",
};

export const DELIVERY_VERDICT_LABELS: Record<DeliveryVerdict, string> = {
  accepted: "Accepted",
  bad_signature: "Bad signature",
  no_secret: "No webhook secret",
  unparsed: "Not readable",
  gone: "Pairing ended",
  unknown_pairing: "Unknown URL",
  too_large: "Too large",
};

export const ATTEMPT_STATUS_LABELS: Record<AttemptStatus, string> = {
  pending: "pending",
  succeeded: "succeeded",
  failed: "failed",
  outcome_unknown: "outcome unknown",
  needs_recovery: "needs recovery",
};

/** How each audit action reads on the page and in the CSV: "Pairing created", not pairing.create. */
const AUDIT_ACTION_LABELS: Partial<Record<AuditAction, string>> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "user.create": "User added",
  "user.role_change": "User's role changed",
  "user.disable": "User disabled",
  "user.enable": "User enabled",
  "user.password_reset": "Password reset (sessions ended)",
  "pairing.create": "Pairing created",
  "pairing.recover": "Pairing recovered",
  "pairing.reveal": "Credentials revealed",
  "pairing.reveal_denied": "Credentials reveal refused",
  "pairing.unpair": "Terminal unpaired",
  "pairing.unpair_failed": "Unpair failed",
  "pairing.replace": "Pairing replaced (terminal paired again)",
  "pairing.rename": "Pairing renamed",
  "pairing.credentials_refused": "Credentials refused by Pay-Connect",
  "pairing.credentials_accepted": "Credentials accepted again",
  "location.create": "Location added",
  "location.update": "Location edited",
  "location.archive": "Location archived",
  "register.create": "Register added",
  "register.update": "Register edited",
  "register.archive": "Register archived",
  "register.route": "Register routed",
  "register.unroute": "Register unrouted",
  "register.import": "Registers imported (CSV)",
  "list.export": "List exported (CSV)",
  "merchant.create": "Merchant added",
  "merchant.rename": "Merchant renamed",
  "merchant.suspend": "Merchant suspended",
  "merchant.reactivate": "Merchant reactivated",
  "terminal.merchant_change": "Terminal changed merchant",
  "vault.rewrap": "Vault secrets moved to the new key",
  "database.restore": "Database restored from a backup",
};

/** The readable name of an action; one without a label (an older or newer code) reads as words. */
export function auditActionLabel(action: string): string {
  const label = AUDIT_ACTION_LABELS[action as AuditAction];
  if (label) return label;
  const words = action.replace(/[._]/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
