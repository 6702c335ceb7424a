/**
 * The transaction calls of the Pay-Connect client: charge, preauth, cancel, refund, independent
 * refund, revert, preauth completion and increment, status, operation status, print slip,
 * configuration and metadata patch. Each is made with the pairing's own bearer token (cached per
 * pairing, refreshed once on a 401 when it came from the cache), sends a body checked against its
 * wire.ts schema (a bad amount never leaves), and reads the answer through its schema.
 * A 2xx answer that cannot be read is invalid_response: outcome unknown for a call that changes
 * something (it may have been done), failed for a read.
 */
import type { z } from "zod";
import type { ClientCredentials, TransactionProvider } from "../providers/types";
import { fieldsOf, parseJson, type HttpAnswer, type HttpCore } from "./http";
import type { Operation } from "./error-map";
import { tokenCacheKey, tokenFor } from "./token";
import { forgetToken } from "./token-cache";
import { toConfiguration, toPrintSlip, toProviderTransaction } from "./transaction-map";
import {
  chargeRequestSchema,
  configurationSchema,
  createdTransactionSchema,
  independentRefundRequestSchema,
  operationSchema,
  PAY_CONNECT_PATHS,
  pathWithId,
  preauthCompleteRequestSchema,
  preauthRequestSchema,
  printSlipSchema,
  refundRequestSchema,
  startedOperationSchema,
  transactionObjectSchema,
} from "./wire";

export type TransactionCalls = Omit<TransactionProvider, "provider" | "environment">;

/** Calls that only read: a failure never means something was done. */
const READS: readonly Operation[] = ["transaction", "operation", "printSlip", "configuration"];

type Call = {
  op: Operation;
  method: "GET" | "POST" | "PATCH";
  id?: string;
  body?: unknown;
};

export function transactionCalls(http: HttpCore): TransactionCalls {
  /** One authenticated call; a 2xx answer is returned, anything else thrown as PayConnectError. */
  async function send(creds: ClientCredentials, call: Call): Promise<HttpAnswer> {
    http.requireIntegratorId(call.op);
    if (!creds.clientId || !creds.clientSecret) {
      throw http.fail(call.op, "bad_request", "This pairing has no client credentials. Nothing was sent.", "failed");
    }
    if (call.id !== undefined && !call.id.trim()) {
      throw http.fail(call.op, "bad_request", "No transaction id was given. Nothing was sent.", "failed");
    }
    const path = call.id === undefined ? PAY_CONNECT_PATHS[call.op] : pathWithId(PAY_CONNECT_PATHS[call.op], call.id);
    let bearer = await tokenFor(http, creds);
    const request = (token: string) =>
      http.request(call.op, { method: call.method, path, body: call.body, bearer: token });
    let answer = await request(bearer.token);
    if (answer.status === 401 && bearer.fromCache) {
      forgetToken(tokenCacheKey(http, creds.clientId));
      bearer = await tokenFor(http, creds, { fresh: true });
      answer = await request(bearer.token);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    if (answer.status === 401 || answer.status === 403) forgetToken(tokenCacheKey(http, creds.clientId));
    throw http.statusError(call.op, answer, [creds.clientId, creds.clientSecret, bearer.token]);
  }

  function read<S extends z.ZodType>(op: Operation, answer: HttpAnswer, schema: S): z.output<S> {
    const parsed = schema.safeParse(parseJson(answer.text));
    if (!parsed.success) {
      const read = READS.includes(op);
      throw http.fail(
        op,
        "invalid_response",
        `Pay-Connect answered the request (HTTP ${answer.status}) with a response Pairdesk could not read (${fieldsOf(parsed.error.issues)}). ${
          read ? "Nothing was changed." : "It may have been done: check the transaction's status before trying again."
        }`,
        read ? "failed" : "unknown",
        answer.status,
      );
    }
    return parsed.data;
  }

  function body<S extends z.ZodType>(op: Operation, schema: S, value: unknown): z.output<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw http.fail(op, "bad_request", `The request was not sent: ${fieldsOf(parsed.error.issues)} is not valid.`, "failed");
    }
    return parsed.data;
  }

  const created = async (op: Operation, creds: ClientCredentials, payload: unknown, id?: string) => {
    const answer = await send(creds, { op, method: "POST", id, body: payload });
    return { transactionId: read(op, answer, createdTransactionSchema).transaction_id };
  };
  const started = async (op: Operation, creds: ClientCredentials, id: string, payload: unknown) => {
    const answer = await send(creds, { op, method: "POST", id, body: payload });
    const data = read(op, answer, startedOperationSchema);
    return { operationId: data.operation_id, transactionId: data.transaction_id };
  };

  return {
    charge: (creds, input) =>
      created(
        "charge",
        creds,
        body("charge", chargeRequestSchema, {
          amount: input.amount,
          client_transaction_id: input.clientTransactionId,
          ...(input.paymentMethod ? { payment_method: input.paymentMethod } : {}),
        }),
      ),
    preauth: (creds, input) =>
      created("preauth", creds, body("preauth", preauthRequestSchema, { amount: input.amount, client_transaction_id: input.clientTransactionId })),
    independentRefund: (creds, input) =>
      created(
        "independentRefund",
        creds,
        body("independentRefund", independentRefundRequestSchema, { amount: input.amount, client_transaction_id: input.clientTransactionId }),
      ),
    refund: (creds, transactionId, input) =>
      created("refund", creds, body("refund", refundRequestSchema, { amount: input.amount }), transactionId),
    // Assumption 19: cancel and revert take no body; `{}` is sent as JSON.
    cancel: async (creds, transactionId) => {
      await send(creds, { op: "cancel", method: "POST", id: transactionId, body: {} });
    },
    revert: (creds, transactionId) => started("revert", creds, transactionId, {}),
    preauthComplete: (creds, transactionId, input) =>
      started("preauthComplete", creds, transactionId, body("preauthComplete", preauthCompleteRequestSchema, { amount: input.amount })),
    preauthIncrement: (creds, transactionId, input) =>
      started("preauthIncrement", creds, transactionId, body("preauthIncrement", preauthCompleteRequestSchema, { amount: input.amount })),
    getTransaction: async (creds, transactionId) => {
      const answer = await send(creds, { op: "transaction", method: "GET", id: transactionId });
      return toProviderTransaction(read("transaction", answer, transactionObjectSchema));
    },
    getOperation: async (creds, operationId) => {
      const answer = await send(creds, { op: "operation", method: "GET", id: operationId });
      const data = read("operation", answer, operationSchema);
      return { operationId: data.operation_id, type: data.operation_type ?? "", transactionId: data.transaction_id, status: data.status };
    },
    getPrintSlip: async (creds, transactionId) => {
      const answer = await send(creds, { op: "printSlip", method: "GET", id: transactionId });
      return toPrintSlip(read("printSlip", answer, printSlipSchema));
    },
    getConfiguration: async (creds) => {
      const answer = await send(creds, { op: "configuration", method: "GET" });
      return toConfiguration(read("configuration", answer, configurationSchema));
    },
    patchTransaction: async (creds, transactionId, metadata) => {
      await send(creds, { op: "patch", method: "PATCH", id: transactionId, body: { metadata } });
    },
  };
}
