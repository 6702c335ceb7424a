/** For unit tests of transactions: a merchant with a user, a terminal and its active pairing, inserted directly. */
import type { DB } from "../db/open";
import { pairings, terminals, users } from "../db/schema";
import type { ProviderTransaction } from "../providers/types";
import type { ObservedVia } from "../transactions/apply";
import { testMerchant } from "./merchants";
import { returnedRow } from "../db/query";

let n = 0;

export async function pairedTerminal(db: DB, options: { merchantId?: number; environment?: "sandbox" | "production" } = {}) {
  n += 1;
  const merchantId = options.merchantId ?? await testMerchant(db, `Merchant ${n}`);
  const environment = options.environment ?? "sandbox";
  const user = await returnedRow(db.transaction((tx) => tx
    .insert(users)
    .values({ email: `admin${n}@example.test`, name: "Admin", passwordHash: "x", role: "admin" })
    .returning({ id: users.id })));
  const terminal = await returnedRow(db.transaction((tx) => tx
    .insert(terminals)
    .values({ merchantId, environment, terminalId: `T-${n}` })
    .returning({ id: terminals.id })));
  const pairing = await returnedRow(db.transaction((tx) => tx
    .insert(pairings)
    .values({
      terminalRef: terminal.id,
      merchantId,
      payConnectId: `pc-${n}`,
      name: `Till ${n}`,
      clientId: `client-${n}`,
      hasWebhookSecret: true,
      createdById: user.id,
    })
    .returning({ id: pairings.id })));
  const via: ObservedVia = { pairingId: pairing.id, merchantId, terminalRef: terminal.id, environment };
  return { merchantId, userId: user.id, terminalRef: terminal.id, terminalId: `T-${n}`, pairingId: pairing.id, via };
}

/** An observation with sensible defaults. */
export function observed(overrides: Partial<ProviderTransaction> & Pick<ProviderTransaction, "transactionId">): ProviderTransaction {
  return {
    status: "INITIATED",
    amount: 1250,
    tipAmount: null,
    totalAmount: null,
    refundTotalAmount: null,
    currency: "EUR",
    paymentMethod: null,
    paymentOption: null,
    clientTransactionId: null,
    linkedTransactionId: null,
    terminalId: null,
    tags: [],
    createdAt: null,
    completedAt: null,
    canceledAt: null,
    revertedAt: null,
    details: {},
    ...overrides,
  };
}
