/** What each role may do. Shared by the server checks and the UI (to hide what is refused). */
import { roleLabel, type Role } from "../domain";

/**
 * Staff roles act on every merchant, merchant roles on their own merchant only: the permission
 * says what a role may do, the merchant scope (lib/auth/scope.ts) on whose data.
 */
const PERMISSIONS = {
  "terminals:read": ["admin", "support", "viewer", "merchant-admin", "merchant-viewer"],
  "attempts:read": ["admin", "support", "viewer", "merchant-admin", "merchant-viewer"],
  "audit:read": ["admin", "support", "viewer", "merchant-admin"],
  "pairing:create": ["admin", "support", "merchant-admin"],
  /** Pairdesk's name for a pairing (Pay-Connect keeps its own): whoever may pair. */
  "pairing:rename": ["admin", "support", "merchant-admin"],
  // The credentials serve the integrator's backend, not the merchant.
  "pairing:reveal": ["admin"],
  "pairing:unpair": ["admin", "merchant-admin"],
  "pairing:recover": ["admin"],
  /** Staff admins: every user; merchant admins: their merchant's users, merchant roles only. */
  "users:manage": ["admin", "merchant-admin"],
  /** The merchant switcher and the merchant column: staff only. */
  "merchants:read": ["admin", "support", "viewer"],
  "merchants:manage": ["admin"],
  "registers:read": ["admin", "support", "viewer", "merchant-admin", "merchant-viewer"],
  /** Locations, registers and virtual registers: create, edit, archive, import. */
  "registers:manage": ["admin", "merchant-admin"],
  /** Route a register to a terminal (or unroute it). */
  "registers:route": ["admin", "support", "merchant-admin"],
  "transactions:read": ["admin", "support", "viewer", "merchant-admin", "merchant-viewer"],
  /** Cancel, refund, revert, independent refund, preauth and its completion (and charge). */
  "transactions:operate": ["admin", "merchant-admin"],
  /** Send a charge: support only in the sandbox, to test a terminal (lib/transactions/operations.ts checks the environment). */
  "transactions:charge": ["admin", "support", "merchant-admin"],
  "webhooks:read": ["admin", "support", "viewer", "merchant-admin"],
  "webhooks:reprocess": ["admin", "merchant-admin"],
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
  [/^\/merchants(\/|$)/, "merchants:manage"],
  [/^\/users(\/|$)/, "users:manage"],
  [/^\/terminals\/pair(\/|$)/, "pairing:create"],
  [/^\/registers\/import(\/|$)/, "registers:manage"],
  [/^\/registers(\/|$)/, "registers:read"],
  [/^\/locations(\/|$)/, "registers:read"],
  [/^\/terminals(\/|$)/, "terminals:read"],
  [/^\/attempts(\/|$)/, "attempts:read"],
  [/^\/audit(\/|$)/, "audit:read"],
  [/^\/transactions(\/|$)/, "transactions:read"],
  [/^\/webhooks(\/|$)/, "webhooks:read"],
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
  "pairing:rename": "rename pairings",
  "pairing:reveal": "reveal credentials",
  "pairing:unpair": "unpair terminals",
  "pairing:recover": "complete a pairing recovery",
  "users:manage": "manage users",
  "merchants:read": "see other merchants",
  "merchants:manage": "manage merchants",
  "registers:read": "view locations and registers",
  "registers:manage": "manage locations and registers",
  "registers:route": "route registers",
  "transactions:read": "view transactions",
  "transactions:operate": "run operations on transactions",
  "transactions:charge": "send charges",
  "webhooks:read": "view webhook deliveries",
  "webhooks:reprocess": "reprocess webhook deliveries",
};

export function refusal(role: Role, permission: Permission): string {
  if (!isPermission(permission)) return `Your role (${roleLabel(role)}) cannot open that page.`;
  return `Your role (${roleLabel(role)}) cannot ${VERBS[permission]}.`;
}
