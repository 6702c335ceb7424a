import type { AuditAction } from "@/lib/audit/audit";

/** How each audit action reads on the page and in the CSV: "Pairing created", not pairing.create. */
export const AUDIT_ACTION_LABELS: Partial<Record<AuditAction, string>> = {
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
