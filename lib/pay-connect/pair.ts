/** `POST /v1/pay-connect/pair/`: the one call whose answer is the only copy of the credentials. */
import type { PairRequest, PairResult } from "../providers/types";
import { UNKNOWN_OUTCOME } from "./error-map";
import { fieldsOf, parseJson, type HttpCore } from "./http";
import { pairRequestSchema, pairResponseSchema } from "./wire";

export async function pair(http: HttpCore, input: PairRequest, timeoutMs: number): Promise<PairResult> {
  http.requireIntegratorId("pair");
  const body = pairRequestSchema.safeParse({
    name: input.name,
    otp: input.otp,
    ...(input.webhookUrl ? { webhook_url: input.webhookUrl } : {}),
  });
  if (!body.success) {
    const problems = [...new Set(body.error.issues.map((i) => i.message))].join("; ");
    throw http.fail("pair", "bad_request", `The pair request is invalid: ${problems}. Nothing was sent.`, "failed");
  }
  const answer = await http.request("pair", { method: "POST", body: body.data, timeoutMs });
  if (answer.status < 200 || answer.status >= 300) throw http.statusError("pair", answer, [body.data.otp]);
  const parsed = pairResponseSchema.safeParse(parseJson(answer.text));
  if (!parsed.success) {
    throw http.fail(
      "pair",
      "invalid_response",
      `Pay-Connect answered the pair call (HTTP ${answer.status}) with a response Pairdesk could not read (${fieldsOf(parsed.error.issues)}), so its credentials, if any, are lost. ${UNKNOWN_OUTCOME.pair}`,
      "unknown",
      answer.status,
    );
  }
  const r = parsed.data;
  return {
    payConnectId: r.pay_connect_id,
    payConnectName: r.pay_connect_name,
    terminalId: r.terminal_id,
    clientId: r.client_id,
    clientSecret: r.client_secret,
    webhookSecretKey: r.webhook_secret_key,
  };
}
