/**
 * The proxy: a nonce-based Content-Security-Policy on every page, `no-store` on everything
 * that is not a static asset, Strict-Transport-Security when PUBLIC_URL is https, and a first
 * gate that sends signed-out browsers to /login.
 * The gate is only a convenience: every page, action and route handler checks the session
 * and role itself (lib/auth.ts).
 */
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { NextResponse, type NextFetchEvent } from "next/server";
import { getEnv } from "@/lib/env";

const PUBLIC = [/^\/login(\/|$)/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, /^\/simulator(\/|$)/, /^\/api\/webhooks(\/|$)/];

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

function withTransportSecurity<T extends Response | null | undefined | void>(res: T): T {
  if (res && getEnv().publicUrl.startsWith("https://")) {
    res.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  return res;
}

function withSecurityHeaders(req: NextRequestWithAuth): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  res.headers.set("Cache-Control", "no-store");
  return res;
}

export default async function proxy(req: NextRequestWithAuth, event: NextFetchEvent) {
  const { pathname } = req.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return withTransportSecurity(withSecurityHeaders(req));
  const gate = withAuth(withSecurityHeaders, {
    secret: getEnv().authSecret,
    pages: { signIn: "/login" },
  });
  // Also on the gate's redirect to /login.
  return withTransportSecurity(await gate(req, event));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
