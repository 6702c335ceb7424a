/**
 * The proxy, in front of every request:
 * - refuses, with a 4xx and a plain message, what must never reach Next's parsers: a path with
 *   malformed percent-encoding (400), a server-action POST that is not the multipart form data
 *   every Pairdesk form sends (400), that is too big (413) or has no length (411), and a sign-in
 *   POST that is too big (413);
 * - sets a nonce-based Content-Security-Policy on every page, `no-store` on everything that is
 *   not a static asset, Strict-Transport-Security when PUBLIC_URL is https;
 * - passes the requested path to the pages (x-pairdesk-path, for the admin layout's 403 check);
 * - sends signed-out browsers to /login, and answers 401 to signed-out API calls.
 * The gate is only a first line: every page, action and route handler checks the session (in
 * the database) and the role itself (lib/auth/auth.ts).
 */
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { actionArgumentsProblem, actionRouteProblem, actionRoutes, allowedOrigins, originProblem } from "@/lib/auth/action-request";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

const PUBLIC = [/^\/icon\.svg$/, /^\/api\/ping$/, /^\/login(\/|$)/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, /^\/simulator(\/|$)/, /^\/api\/webhooks(\/|$)/];

/** No Pairdesk form sends more than a few kilobytes. */
export const ACTION_BODY_LIMIT = 64 * 1024;
/** The register import page sends a whole CSV file (lib/registers/csv-parse.ts MAX_IMPORT_BYTES) and a few fields. */
export const IMPORT_BODY_LIMIT = 1024 * 1024 + 64 * 1024;
const IMPORT_PATH = "/registers/import";
/** The sign-in form: an email, a password and next-auth's few fields. */
export const AUTH_BODY_LIMIT = 8 * 1024;

const PATH_HEADER = "x-pairdesk-path";

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HSTS only when Pairdesk is served over https: on plain http the browser ignores it anyway. */
const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

function withTransportSecurity<T extends Response>(res: T): T {
  if (getEnv().publicUrl.startsWith("https://")) {
    res.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  return res;
}

function withSecurityHeaders(req: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  // A client's own X-Forwarded-Host counts for nothing without a trusted proxy that sets it
  // (Next compares a server action's Origin with it): the Host the client connected to stands.
  if (getEnv().trustedProxyHops === 0 && headers.has("x-forwarded-host") && headers.has("host")) headers.set("x-forwarded-host", headers.get("host")!);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  // Always overwritten: a client cannot choose what the pages see here.
  headers.set(PATH_HEADER, req.nextUrl.pathname + req.nextUrl.search);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  res.headers.set("Cache-Control", "no-store");
  return res;
}

function refuse(status: 400 | 401 | 403 | 404 | 411 | 413, message: string, json = false): Response {
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  return json
    ? Response.json({ error: message }, { status, headers })
    : new Response(`${message}\n`, { status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

function hasMalformedEncoding(rawPath: string): boolean {
  try {
    decodeURIComponent(rawPath);
    return false;
  } catch {
    return true;
  }
}

/** The declared body length, or null when there is none (a chunked body). */
function declaredLength(req: NextRequest): number | null {
  const value = req.headers.get("content-length");
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** 403 for a form from another site's page (lib/auth/action-request.ts), or null. */
function originRefusal(req: NextRequest): Response | null {
  const env = getEnv();
  const origin = originProblem(
    req.headers.get("origin"),
    allowedOrigins({
      publicUrl: env.publicUrl,
      protocol: req.nextUrl.protocol,
      host: req.headers.get("host"),
      forwardedHost: req.headers.get("x-forwarded-host"),
      forwardedProto: req.headers.get("x-forwarded-proto"),
      trustedProxyHops: env.trustedProxyHops,
    }),
  );
  if (!origin) return null;
  log.warn({ event: "action_refused", path: req.nextUrl.pathname, why: origin }, "a form submission was refused");
  return refuse(403, `This form submission was refused: ${origin}. Pairdesk takes forms from its own pages only.`);
}

/**
 * A server-action call as React sends it for every Pairdesk form: multipart form data whose
 * root field "0" lists a few plain arguments, the last one being the FormData (`$K<id>`); from
 * this site; naming an action of the page it is posted to (lib/auth/action-request.ts).
 */
async function checkActionRequest(req: NextRequest, actionId: string): Promise<Response | null> {
  const foreign = originRefusal(req);
  if (foreign) return foreign;
  const route = actionRouteProblem(actionId, req.nextUrl.pathname, actionRoutes());
  if (route) {
    log.warn({ event: "action_refused", path: req.nextUrl.pathname, why: route }, "a form submission was refused");
    return refuse(404, `This form submission was refused: ${route}. Reload the page and submit the form again.`);
  }
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(type)) {
    return refuse(400, "Pairdesk forms are sent as multipart form data; this request was not. Reload the page and submit the form again.");
  }
  let problem: string | null;
  try {
    const form = await req.clone().formData();
    // One root field: React decodes the last one, the check reads it too.
    problem = form.getAll("0").length === 1 ? actionArgumentsProblem(form.get("0")) : "it has more than one argument list";
  } catch {
    problem = "its body is not readable form data";
  }
  if (problem) {
    log.warn({ event: "action_refused", path: req.nextUrl.pathname, why: problem }, "a form submission was refused");
    return refuse(400, `This request did not come from a Pairdesk form (${problem}). Reload the page and submit the form again.`);
  }
  return null;
}

/**
 * A form posted without JavaScript (no Next-Action header): a Pairdesk form sends it to its own
 * page with the action named in a `$ACTION_ID_<id>` field (or `$ACTION_REF_<n>` and the bound
 * arguments in `$ACTION_<n>:<i>`). The same checks as a server action's: this site's Origin, an
 * action of that page, and no reference no Pairdesk form sends in its bound arguments.
 */
async function checkFormPost(req: NextRequest): Promise<Response | null> {
  const foreign = originRefusal(req);
  if (foreign) return foreign;
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;|^application\/x-www-form-urlencoded/i.test(type)) return null;
  let problem: string | null = null;
  try {
    const form = await req.clone().formData();
    for (const [name, value] of form.entries()) {
      const id = /^\$ACTION_ID_(.+)$/.exec(name)?.[1];
      const bound = /^\$ACTION_\d+:(\d+)$/.exec(name);
      if (id) problem = actionRouteProblem(id, req.nextUrl.pathname, actionRoutes());
      else if (bound && typeof value === "string") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          problem = "its bound arguments are not valid JSON";
        }
        if (problem) break;
        if (bound[1] === "0") {
          // `{"id": <action>, "bound": null | "$@<n>"}`: the action, and where its bound arguments are.
          const head = parsed as { id?: unknown; bound?: unknown } | null;
          if (!head || typeof head !== "object" || typeof head.id !== "string" || !(head.bound === null || (typeof head.bound === "string" && /^\$@\d{1,4}$/.test(head.bound)))) {
            problem = "its action is not named as a Pairdesk form names it";
          } else problem = actionRouteProblem(head.id, req.nextUrl.pathname, actionRoutes());
        } else problem = actionArgumentsProblem(JSON.stringify([parsed, "$K1"]));
      }
      if (problem) break;
    }
  } catch {
    problem = "its body is not readable form data";
  }
  if (!problem) return null;
  log.warn({ event: "action_refused", path: req.nextUrl.pathname, why: problem }, "a form submission was refused");
  return refuse(400, `This form submission was refused (${problem}). Reload the page and submit the form again.`);
}

export default async function proxy(req: NextRequest): Promise<Response> {
  const { pathname } = req.nextUrl;
  const rawPath = new URL(req.url).pathname;
  if (hasMalformedEncoding(rawPath) || hasMalformedEncoding(pathname)) {
    return withTransportSecurity(refuse(400, "This address is not valid: it has malformed percent-encoding (a % not followed by two hex digits)."));
  }
  // A POST to a page is a form submission (a server action, or a form sent before hydration).
  if (req.method === "POST" && !pathname.startsWith("/api/") && !pathname.startsWith("/simulator/api/")) {
    const length = declaredLength(req);
    if (length === null) return withTransportSecurity(refuse(411, "A form submission must say how long it is (Content-Length)."));
    const limit = pathname === IMPORT_PATH ? IMPORT_BODY_LIMIT : ACTION_BODY_LIMIT;
    if (length > limit) {
      return withTransportSecurity(
        refuse(
          413,
          pathname === IMPORT_PATH
            ? `This file is too large (${length} bytes with the form; at most ${limit}). Split it into smaller files.`
            : `This form submission is too large (${length} bytes; at most ${limit}). Shorten what you typed and submit again.`,
        ),
      );
    }
    const actionId = req.headers.get("next-action");
    if (actionId !== null) {
      const refused = await checkActionRequest(req, actionId);
      if (refused) return withTransportSecurity(refused);
    } else {
      const refused = await checkFormPost(req);
      if (refused) return withTransportSecurity(refused);
    }
  }
  if (req.method === "POST" && /^\/api\/auth\//.test(pathname)) {
    const length = declaredLength(req);
    if (length === null) return withTransportSecurity(refuse(411, "A sign-in request must say how long it is (Content-Length)."));
    if (length > AUTH_BODY_LIMIT) {
      return withTransportSecurity(refuse(413, "This sign-in request is too large: an email has at most 254 characters and a password at most 200."));
    }
  }
  if (PUBLIC.some((re) => re.test(pathname))) return withTransportSecurity(withSecurityHeaders(req));

  const env = getEnv();
  const token = await getToken({ req, secret: env.authSecret, secureCookie: env.publicUrl.startsWith("https://") });
  if (!token) {
    if (pathname.startsWith("/api/")) return withTransportSecurity(refuse(401, "Your session has ended. Sign in again.", true));
    const login = new URL("/login", req.url);
    login.searchParams.set("callbackUrl", pathname + req.nextUrl.search);
    return withTransportSecurity(NextResponse.redirect(login));
  }
  return withTransportSecurity(withSecurityHeaders(req));
}

export const config = {
  // Everything but the build's static files: a POST to any other path (even /favicon.ico) is checked.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
