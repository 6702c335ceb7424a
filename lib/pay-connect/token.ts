/** `POST /v1/auth/token/`: a pairing's access token, through the process-wide cache. */
import type { ClientCredentials } from "../providers/types";
import { fieldsOf, parseJson, type HttpCore } from "./http";
import { cachedToken, tokenLifetimeSeconds, type CachedToken } from "./token-cache";
import { tokenResponseSchema } from "./wire";

async function requestToken(http: HttpCore, creds: ClientCredentials): Promise<{ token: string; lifetimeSeconds: number }> {
  const answer = await http.request("token", {
    method: "POST",
    body: { grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret },
  });
  if (answer.status < 200 || answer.status >= 300) {
    throw http.statusError("token", answer, [creds.clientId, creds.clientSecret]);
  }
  const parsed = tokenResponseSchema.safeParse(parseJson(answer.text));
  if (!parsed.success) {
    throw http.fail(
      "token",
      "invalid_response",
      `Pay-Connect answered the token request (HTTP ${answer.status}) with a response Pairdesk could not read (${fieldsOf(parsed.error.issues)}). No pairing was changed.`,
      "failed",
      answer.status,
    );
  }
  return { token: parsed.data.access_token, lifetimeSeconds: tokenLifetimeSeconds(parsed.data.expires_in) };
}

export function tokenCacheKey(http: HttpCore, clientId: string): string {
  return `${http.environment}\n${http.baseUrl}\n${clientId}`;
}

export function checkCredentials(http: HttpCore, op: "token" | "unpair", creds: ClientCredentials): void {
  if (!creds.clientId || !creds.clientSecret) {
    throw http.fail(op, "bad_request", "This pairing has no client credentials. Nothing was sent.", "failed");
  }
}

export async function tokenFor(
  http: HttpCore,
  creds: ClientCredentials,
  options: { fresh?: boolean } = {},
): Promise<CachedToken> {
  http.requireIntegratorId("token");
  checkCredentials(http, "token", creds);
  return cachedToken(tokenCacheKey(http, creds.clientId), creds.clientSecret, () => requestToken(http, creds), options);
}
