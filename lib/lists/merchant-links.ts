/**
 * The merchant switcher's links (`?merchant=<id>`), as pure functions for the shell's client
 * components and the pages alike: read the choice from a query string, carry it on a link, and
 * the address a choice leads to. No server-only import, no nuqs (client bundles use it).
 */

/** The switcher's `?merchant=` value: a positive integer id, else none (the same rule as kit.ts's parseAsMerchant). */
export function parseMerchantId(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return /^\d{1,9}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** An app-internal `href` ("/path?query#hash") with `merchant` set, or removed when null. */
export function withMerchant(href: string, merchant: number | null): string {
  const hashAt = href.indexOf("#");
  const hash = hashAt >= 0 ? href.slice(hashAt) : "";
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const params = new URLSearchParams(queryAt >= 0 ? beforeHash.slice(queryAt + 1) : "");
  if (merchant === null) params.delete("merchant");
  else params.set("merchant", String(merchant));
  const query = params.toString();
  return `${path}${query ? `?${query}` : ""}${hash}`;
}

/** Pages of one object (`/terminals/12`): another merchant's object is not found there. */
const KEPT_SUBPAGES = new Set(["/terminals/pair"]);

/**
 * Where choosing `merchant` (null: all merchants) leads from `pathname?search`: the same page
 * with its filters and sort, back to page 1. From one object's page (`/terminals/12`), which
 * belongs to one merchant, to its section's list (`/terminals`).
 */
export function switchMerchantHref(pathname: string, search: string, merchant: number | null): string {
  const segments = pathname.split("/").filter(Boolean);
  if (segments.length > 1 && !KEPT_SUBPAGES.has(pathname)) {
    return withMerchant(`/${segments[0]}`, merchant);
  }
  const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  params.delete("page");
  const query = params.toString();
  return withMerchant(`${pathname || "/"}${query ? `?${query}` : ""}`, merchant);
}

export type MerchantChoice = { id: number; name: string; status: "active" | "suspended" };

/**
 * The switcher's choices that match `text` (any part of the name, case-insensitive), at most
 * `limit`, and how many more matched.
 */
export function matchMerchants<M extends MerchantChoice>(
  merchants: readonly M[],
  text: string,
  limit: number,
): { shown: M[]; more: number } {
  const needle = text.trim().toLocaleLowerCase();
  const matched = needle ? merchants.filter((m) => m.name.toLocaleLowerCase().includes(needle)) : merchants;
  return { shown: matched.slice(0, limit), more: Math.max(0, matched.length - limit) };
}
