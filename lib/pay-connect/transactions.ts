/**
 * The transaction calls of the Pay-Connect client (charge, preauth, cancel, refund, independent
 * refund, revert, preauth completion and increment, status, operation status, print slip,
 * configuration, patch), each made with the pairing's own bearer token.
 * TODO(issue 8): implemented by the client work; until then every call refuses.
 */
import type { TransactionProvider } from "../providers/types";
import type { HttpCore } from "./http";
import { PayConnectError } from "./errors";

export type TransactionCalls = Omit<TransactionProvider, "provider" | "environment">;

export function transactionCalls(http: HttpCore): TransactionCalls {
  const notYet = async (): Promise<never> => {
    throw new PayConnectError("bad_request", `Transaction calls are not available yet (${http.environment}).`, { outcome: "failed" });
  };
  return {
    charge: notYet,
    preauth: notYet,
    cancel: notYet,
    refund: notYet,
    independentRefund: notYet,
    revert: notYet,
    preauthComplete: notYet,
    preauthIncrement: notYet,
    getTransaction: notYet,
    getOperation: notYet,
    getPrintSlip: notYet,
    getConfiguration: notYet,
    patchTransaction: notYet,
  };
}
