/** What each role may do. Shared by the server checks and the UI (to hide what is refused). */
import type { Role } from "./db/schema";

export const PERMISSIONS = {
  "terminals:read": ["admin", "support", "viewer"],
  "attempts:read": ["admin", "support", "viewer"],
  "audit:read": ["admin", "support", "viewer"],
  "pairing:create": ["admin", "support"],
  "pairing:reveal": ["admin"],
  "pairing:unpair": ["admin"],
  "pairing:recover": ["admin"],
  "users:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

const VERBS: Record<Permission, string> = {
  "terminals:read": "view terminals",
  "attempts:read": "view pairing attempts",
  "audit:read": "view the audit log",
  "pairing:create": "pair terminals",
  "pairing:reveal": "reveal credentials",
  "pairing:unpair": "unpair terminals",
  "pairing:recover": "complete a pairing recovery",
  "users:manage": "manage users",
};

export function refusal(role: Role, permission: Permission): string {
  return `Your role (${role}) cannot ${VERBS[permission]}.`;
}
