/**
 * For the Pay-Connect client's tests: a real local HTTP server (node:http on 127.0.0.1, port 0)
 * that answers with whatever the test sets as `kit.handler`, and a client pointed at it. No fetch
 * mocks, so headers, bodies, timeouts and connection errors are the real thing.
 */
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { clearTokenCache, createPayConnectClient, type PayConnectClient, type PayConnectClientOptions } from "../pay-connect/client";
import { PayConnectError } from "../pay-connect/errors";
import { startStub, type StubReply, type StubRequest } from "./stub-server";

export type Handler = (req: StubRequest) => StubReply;

export const INTEGRATOR = "integrator-123";
export const SECRET = "s3cr3t-Client-Secret-Value-0123456789";
export const WEBHOOK_KEY = "whsec-Webhook-Key-abcdefghijklmnop";

export const PAIRED = {
  pay_connect_id: "7b0f7f7e-4a3c-4f8e-9d7a-1d2e3f4a5b6c",
  pay_connect_name: "Front desk",
  terminal_id: "T-1001",
  client_id: "client-abc",
  client_secret: SECRET,
  webhook_secret_key: WEBHOOK_KEY,
};

export async function caught(p: Promise<unknown>): Promise<PayConnectError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PayConnectError);
    return err as PayConnectError;
  }
  throw new Error("expected the call to fail");
}

export function route(routes: Record<string, Handler>): Handler {
  return (req) => {
    const h = routes[req.url];
    return h ? h(req) : { status: 404, body: { detail: "Not found" } };
  };
}

/** Starts the stub for this test file and registers its lifecycle hooks. */
export async function payConnectKit() {
  const kit = {
    handler: (() => ({ status: 404, body: { detail: "no handler" } })) as Handler,
    received: [] as StubRequest[],
    baseUrl: "",
    client(overrides: Partial<PayConnectClientOptions> = {}): PayConnectClient {
      return createPayConnectClient({
        environment: "sandbox",
        baseUrl: kit.baseUrl,
        integratorId: INTEGRATOR,
        timeoutMs: 2000,
        ...overrides,
      });
    },
  };
  const stub = await startStub((req) => kit.handler(req));
  kit.baseUrl = stub.url;
  kit.received = stub.requests;
  afterAll(() => stub.close());
  beforeEach(() => {
    kit.received.length = 0;
    clearTokenCache();
  });
  afterEach(() => {
    kit.handler = () => ({ status: 404 });
  });
  return kit;
}
