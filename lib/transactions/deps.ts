/** The real provider and vault behind the operations, the configuration fetch and the poller. */
import "server-only";
import { readCredentials } from "../pairing/credentials";
import { transactionProvider } from "../providers";
import type { OperationDeps } from "./operations";

export const providerDeps: OperationDeps = {
  provider: transactionProvider,
  credentials: async (db, pairing) => {
    const c = await readCredentials(db, pairing);
    return { clientId: c.clientId, clientSecret: c.clientSecret };
  },
};
