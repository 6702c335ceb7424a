/**
 * The client's address, for the per-address sign-in limit. `next start` keeps an
 * X-Forwarded-For header the client sent (it only fills it in when absent), so the header is
 * trusted only as far as TRUSTED_PROXY_HOPS says: with N reverse proxies in front that each
 * append their peer's address, the client is the Nth entry from the right. Entries further left
 * were written by the client and prove nothing. With 0 (the default) the header is ignored and
 * the address is unknown (null).
 */
import { isIP } from "node:net";

export function clientAddress(forwardedFor: string | null | undefined, trustedHops: number): string | null {
  if (trustedHops <= 0 || !forwardedFor || forwardedFor.length > 2000) return null;
  const entries = forwardedFor.split(",").map((s) => s.trim());
  if (entries.length < trustedHops) return null; // did not come through every trusted proxy
  const candidate = entries[entries.length - trustedHops] ?? "";
  return isIP(candidate) ? candidate.toLowerCase() : null;
}
