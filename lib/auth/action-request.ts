/**
 * What the proxy checks of a server-action request before Next's own parsers see it, so that a
 * crafted one gets a 4xx and one quiet log line rather than a 500 with a stack (or an uncaught
 * exception):
 * - its arguments: the root field "0" is a short list of plain values ending with the form data
 *   (`$K<id>`), as every Pairdesk form sends; references React's reply format allows but no
 *   Pairdesk form sends (promises `$@`, maps `$Q`, sets `$W`, blobs, iterators, server
 *   references, outlined chunks) are refused, as is a list longer than a few arguments;
 * - its origin: the page's own (PUBLIC_URL, or the Host the browser asked for). X-Forwarded-Host
 *   counts only behind a trusted proxy (TRUSTED_PROXY_HOPS > 0), which must set it itself; a
 *   browser on another site cannot set Host, and `Origin: null` is refused;
 * - its action: one the build knows, on the page it belongs to (a Pairdesk action posted to
 *   another page answered 200 and left its body unread: "uncaughtException: aborted").
 * No `server-only`: the unit tests import it; the proxy (Node.js runtime) uses it.
 */
import fs from "node:fs";
import path from "node:path";

/** The most arguments a Pairdesk action takes: a bound id, the previous state, the form data. */
const MAX_ACTION_ARGUMENTS = 4;
const MAX_NODES = 500;
const MAX_DEPTH = 8;

/** Strings React's reply format gives a meaning that a Pairdesk form's arguments may hold. */
const SAFE_REFERENCE = /^\$(undefined|K[0-9a-f]{1,8}|D[0-9TZ:.+-]{1,40}|\$[\s\S]*|n-?\d{1,40}|-0|NaN|Infinity|-Infinity)$/;

/** Null when the root field's arguments are what a Pairdesk form sends, else why not. */
export function actionArgumentsProblem(root: unknown): string | null {
  let args: unknown;
  try {
    args = typeof root === "string" ? JSON.parse(root) : undefined;
  } catch {
    return "its arguments are not valid JSON";
  }
  if (!Array.isArray(args)) return "its arguments are not a list";
  if (args.length > MAX_ACTION_ARGUMENTS) return `it has ${args.length} arguments`;
  const last = args[args.length - 1];
  if (typeof last !== "string" || !/^\$K[0-9a-f]{1,8}$/.test(last)) return "its arguments are not form data";
  let nodes = 0;
  const walk = (v: unknown, depth: number): string | null => {
    if (++nodes > MAX_NODES) return "its arguments are too large";
    if (depth > MAX_DEPTH) return "its arguments are nested too deeply";
    if (typeof v === "string") return v.startsWith("$") && !SAFE_REFERENCE.test(v) ? `it holds a reference no Pairdesk form sends (${v.slice(0, 12)})` : null;
    if (Array.isArray(v)) {
      for (const x of v) {
        const p = walk(x, depth + 1);
        if (p) return p;
      }
      return null;
    }
    if (v !== null && typeof v === "object") {
      for (const x of Object.values(v)) {
        const p = walk(x, depth + 1);
        if (p) return p;
      }
    }
    return null;
  };
  return walk(args, 0);
}

/** The origins a server action may come from. */
export function allowedOrigins(input: {
  publicUrl: string;
  protocol: string;
  host: string | null;
  forwardedHost: string | null;
  forwardedProto: string | null;
  trustedProxyHops: number;
}): Set<string> {
  const out = new Set<string>();
  try {
    out.add(new URL(input.publicUrl).origin);
  } catch {
    // validated at start
  }
  const scheme = input.protocol.replace(/:$/, "");
  if (input.host) out.add(`${scheme}://${input.host.toLowerCase()}`);
  if (input.trustedProxyHops > 0 && input.forwardedHost) {
    // The proxy nearest to us appends last: its value is the one it set.
    const host = input.forwardedHost.split(",").at(-1)!.trim().toLowerCase();
    const proto = (input.forwardedProto?.split(",").at(-1)?.trim() || scheme).toLowerCase();
    if (host) out.add(`${proto}://${host}`);
  }
  return out;
}

/** Null when `origin` (the header, if the client sent one) is allowed, else why not. */
export function originProblem(origin: string | null, allowed: Set<string>): string | null {
  if (origin === null) return null; // not a browser: the session cookie is SameSite=Lax and the action checks it
  if (origin === "null") return "it came from a page with no origin (a sandboxed frame or a file)";
  return allowed.has(origin.toLowerCase()) ? null : `it came from another site (${origin.slice(0, 100)})`;
}

type Manifest = { node?: Record<string, { workers?: Record<string, unknown> }> };
type ActionRoutes = Map<string, RegExp[]>;

let cached: { routes: ActionRoutes | null; at: number } | null = null;

/** `app/(admin)/terminals/[id]/page` → a pattern of the paths it serves. */
export function routePattern(worker: string): RegExp {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  const source = segments
    .map((s) => (/^\[\[?\.\.\./.test(s) ? "(?:/.*)?" : /^\[.+\]$/.test(s) ? "/[^/]+" : `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))
    .join("");
  return new RegExp(`^${source || "/"}$`);
}

/** Every action id of the build, with the paths of the pages it belongs to; null where the build's manifest cannot be read. */
export function actionRoutes(dir = process.cwd()): ActionRoutes | null {
  const dev = process.env.NODE_ENV === "development";
  if (cached && !dev) return cached.routes;
  let routes: ActionRoutes | null = null;
  try {
    // PAIRDESK_ACTIONS_MANIFEST: another build's manifest (the unit tests point it at their own).
    const file = process.env.PAIRDESK_ACTIONS_MANIFEST ?? path.join(dir, ".next", "server", "server-reference-manifest.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    routes = new Map(Object.entries(manifest.node ?? {}).map(([id, v]) => [id, Object.keys(v.workers ?? {}).filter((w) => w.endsWith("/page")).map(routePattern)]));
  } catch {
    routes = null;
  }
  cached = { routes, at: Date.now() };
  return routes;
}

/** Null when `actionId` is an action of the page at `pathname`, else why not. */
export function actionRouteProblem(actionId: string, pathname: string, routes: ActionRoutes | null): string | null {
  if (!routes) return null; // no manifest (a development server between builds): Next decides
  const patterns = routes.get(actionId);
  if (!patterns) return "it names no form of this version of Pairdesk";
  return patterns.some((re) => re.test(pathname)) ? null : "it names a form of another page";
}
