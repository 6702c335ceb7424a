/**
 * Where to send a browser after signing in: only a path of this site. Shared by the login form
 * (client), the login page and next-auth's redirect callback (server). No imports: client-safe.
 *
 * The value is resolved against the site's origin first and checked after that normalisation:
 * `/.//evil.example`, `/\evil.example`, `/\t/evil.example` all normalise to a path starting with
 * `//`, which a browser reads as another site.
 */
export function safeCallbackPath(value: string | null | undefined, origin: string): string {
  if (!value || value.length > 2000) return "/";
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  const path = url.pathname + url.search + url.hash;
  // A path must start with exactly one slash; "//host" and "/\\host" leave the site.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  // Belt and braces: resolved again, it must still be this site.
  try {
    if (new URL(path, base).origin !== base.origin) return "/";
  } catch {
    return "/";
  }
  return path;
}
