/**
 * For the pairing tests: a real local Pay-Connect stub whose pair answer the test sets
 * (`stub.reply`), its token call always answering, and a client pointed at it.
 */
import { afterAll } from "vitest";
import { createPayConnectClient } from "../pay-connect";
import { startStub, type StubReply } from "./stub-server";

const TOKEN: StubReply = { status: 200, body: { access_token: "tok", expires_in: "3600", token_type: "Bearer", scope: "" } };

export async function startPairingStub(secrets: { clientSecret: string; webhookSecret: string }, timeoutMs = 3_000) {
  const state: { reply: StubReply } = { reply: { status: 200 } };
  const server = await startStub((req) => (req.url.endsWith("/auth/token/") ? TOKEN : state.reply));
  afterAll(() => server.close());
  return {
    state,
    /** Every request the stub received, oldest first. */
    requests: server.requests,
    client: createPayConnectClient({ environment: "sandbox", baseUrl: server.url, integratorId: "int-1", timeoutMs }),
    /** Pay-Connect's documented 200 for `terminalId`, with the given secrets. */
    okPair: (terminalId: string): StubReply => ({
      status: 200,
      body: {
        pay_connect_id: `pc-${terminalId}`,
        pay_connect_name: "Front till",
        terminal_id: terminalId,
        client_id: `client-${terminalId}`,
        client_secret: secrets.clientSecret,
        webhook_secret_key: secrets.webhookSecret,
      },
    }),
  };
}
