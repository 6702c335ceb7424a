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

/** A permission's name, checked as an own property (never `constructor`, `__proto__`, …). */
export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && Object.hasOwn(PERMISSIONS, value);
}

export function can(role: Role, permission: Permission): boolean {
  if (!isPermission(permission)) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * The permission each admin page needs, by path. The admin layout checks it before anything
 * streams, so a refusal answers 403 (a page's own check, inside its loading boundary, could
 * only answer 200). Pages still check their permission themselves.
 */
const ROUTE_PERMISSIONS: readonly [RegExp, Permission][] = [
  [/^\/users(\/|$)/, "users:manage"],
  [/^\/terminals\/pair(\/|$)/, "pairing:create"],
  [/^\/terminals(\/|$)/, "terminals:read"],
  [/^\/attempts(\/|$)/, "attempts:read"],
  [/^\/audit(\/|$)/, "audit:read"],
  [/^\/$/, "terminals:read"],
];

export function routePermission(pathname: string): Permission | undefined {
  return ROUTE_PERMISSIONS.find(([re]) => re.test(pathname))?.[1];
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
  if (!isPermission(permission)) return `Your role (${role}) cannot open that page.`;
  return `Your role (${role}) cannot ${VERBS[permission]}.`;
}
