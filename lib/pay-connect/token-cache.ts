/**
 * The access-token cache: per (environment, base URL, client id), shared by every client of the
 * process (on globalThis, so that Next's separate module instances share it too). A cached token
 * is only handed to the same credentials, is dropped TOKEN_REFRESH_MARGIN_SECONDS before it
 * expires, and concurrent requests for the same token share one call.
 */
import { createHash } from "node:crypto";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_REFRESH_MARGIN_SECONDS } from "./assumptions";

type TokenEntry = {
  /** SHA-256 of the client secret: a cached token is only handed to the same credentials. */
  fingerprint: string;
  token?: string;
  /** When the cached token stops being reused (expiry minus the refresh margin). */
  staleAt?: number;
  pending?: Promise<string>;
};

const globalForTokens = globalThis as unknown as { __pairdeskPayConnectTokens?: Map<string, TokenEntry> };
const tokenCache: Map<string, TokenEntry> = (globalForTokens.__pairdeskPayConnectTokens ??= new Map());

/** Forget every cached access token (tests; after a configuration change). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

function fingerprintOf(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/**
 * expires_in as seconds: a positive number or numeric string; missing or anything else gives
 * DEFAULT_TOKEN_LIFETIME_SECONDS (assumption 4).
 */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
  const n =
    typeof expiresIn === "number"
      ? expiresIn
      : typeof expiresIn === "string" && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn)
        ? Number(expiresIn)
        : NaN;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TOKEN_LIFETIME_SECONDS;
}

export type CachedToken = { token: string; fromCache: boolean };

/**
 * The token for `key`, from the cache unless `fresh`, else from `request` (whose result is
 * cached for its lifetime less the margin).
 */
export async function cachedToken(
  key: string,
  secret: string,
  request: () => Promise<{ token: string; lifetimeSeconds: number }>,
  options: { fresh?: boolean } = {},
): Promise<CachedToken> {
  const fingerprint = fingerprintOf(secret);
  const entry = tokenCache.get(key);
  if (!options.fresh && entry && entry.fingerprint === fingerprint) {
    if (entry.token && entry.staleAt !== undefined && Date.now() < entry.staleAt) {
      return { token: entry.token, fromCache: true };
    }
    if (entry.pending) return { token: await entry.pending, fromCache: false };
  }
  const started = Date.now();
  const pending: Promise<string> = request().then(
    ({ token, lifetimeSeconds }) => {
      if (tokenCache.get(key)?.pending === pending) {
        const staleAt = started + (lifetimeSeconds - TOKEN_REFRESH_MARGIN_SECONDS) * 1000;
        if (staleAt > Date.now()) tokenCache.set(key, { fingerprint, token, staleAt });
        else tokenCache.delete(key);
      }
      return token;
    },
    (err: unknown) => {
      if (tokenCache.get(key)?.pending === pending) tokenCache.delete(key);
      throw err;
    },
  );
  tokenCache.set(key, { fingerprint, pending });
  return { token: await pending, fromCache: false };
}

export function forgetToken(key: string): void {
  tokenCache.delete(key);
}
