/** `POST /v1/pay-connect/unpair/` with the pairing's own bearer token (one refresh on a 401). */
import type { ClientCredentials } from "../providers/types";
import { PayConnectError } from "./errors";
import type { HttpCore } from "./http";
import { checkCredentials, tokenCacheKey, tokenFor } from "./token";
import { forgetToken } from "./token-cache";

export async function unpair(http: HttpCore, creds: ClientCredentials): Promise<void> {
  http.requireIntegratorId("unpair");
  checkCredentials(http, "unpair", creds);
  const key = tokenCacheKey(http, creds.clientId);
  const token = async (fresh: boolean) => {
    try {
      return await tokenFor(http, creds, { fresh });
    } catch (err) {
      // The unpair request itself was not sent: whatever the token call's outcome, nothing
      // was unpaired.
      if (err instanceof PayConnectError && err.outcome === "unknown") {
        throw new PayConnectError(err.code, err.message, { outcome: "failed", status: err.status });
      }
      throw err;
    }
  };
  let bearer = await token(false);
  let answer = await http.request("unpair", { method: "POST", body: {}, bearer: bearer.token });
  if (answer.status === 401 && bearer.fromCache) {
    forgetToken(key);
    bearer = await token(true);
    answer = await http.request("unpair", { method: "POST", body: {}, bearer: bearer.token });
  }
  if (answer.status >= 200 && answer.status < 300) {
    forgetToken(key);
    return;
  }
  if (answer.status === 401 || answer.status === 403) forgetToken(key);
  throw http.statusError("unpair", answer, [creds.clientId, creds.clientSecret, bearer.token]);
}
