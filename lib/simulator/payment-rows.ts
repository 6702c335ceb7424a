/**
 * The simulator's payment tables (on its own database), their rows, and the Pay-Connect objects
 * made of a row: the transaction in webhooks and status answers, the print slip. The moves of a
 * payment are in ./payments.ts, the operations on one in ./payment-operations.ts.
 */
import type { SimulatorContext } from "./context";

export type SimTransactionStatus =
  | "INITIATED"
  | "IN_PROGRESS"
  | "SUCCESS"
  | "CANCELED"
  | "DECLINED"
  | "REVERTED"
  | "EXPIRED"
  | "FAILED";

export type SimTransactionKind = "charge" | "preauth" | "refund" | "independent_refund";

export type SimTransaction = {
  transaction_id: string;
  pay_connect_id: string;
  terminal_id: string;
  kind: SimTransactionKind;
  amount: number;
  refund_total_amount: number;
  currency: string;
  status: SimTransactionStatus;
  payment_method: string | null;
  client_transaction_id: string | null;
  linked_transaction_id: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  canceled_at: number | null;
  reverted_at: number | null;
  /** When it EXPIRES if nobody at the terminal answers it (null: made before expiry existed). */
  expires_at: number | null;
};

export const SIM_CURRENCY = "EUR";

export const SIM_TIME_ZONE = "Europe/Ljubljana";

export const SIM_PAYMENT_METHODS = ["CARD", "MBILLS", "VALU", "GOCRYPTO"];

export const PAYMENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_transactions (
  transaction_id        TEXT PRIMARY KEY,
  pay_connect_id        TEXT NOT NULL,
  terminal_id           TEXT NOT NULL,
  kind                  TEXT NOT NULL,
  amount                INTEGER NOT NULL,
  refund_total_amount   INTEGER NOT NULL DEFAULT 0,
  currency              TEXT NOT NULL,
  status                TEXT NOT NULL,
  payment_method        TEXT,
  client_transaction_id TEXT,
  linked_transaction_id TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  completed_at          INTEGER,
  canceled_at           INTEGER,
  reverted_at           INTEGER
);
CREATE INDEX IF NOT EXISTS sim_transactions_terminal_idx ON sim_transactions(terminal_id, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS sim_transactions_client_id ON sim_transactions(pay_connect_id, client_transaction_id)
  WHERE client_transaction_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS sim_operations (
  operation_id   TEXT PRIMARY KEY,
  transaction_id TEXT NOT NULL,
  type           TEXT NOT NULL,
  status         TEXT NOT NULL,
  amount         INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_terminal_settings (
  terminal_id  TEXT PRIMARY KEY,
  auto_approve INTEGER NOT NULL DEFAULT 0
);
`;

export const FINAL = new Set<SimTransactionStatus>(["SUCCESS", "CANCELED", "DECLINED", "REVERTED", "EXPIRED", "FAILED"]);

/** The transaction object Pay-Connect sends in webhooks and (assumed) answers to a status poll. */
export function transactionObject(t: SimTransaction) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: t.transaction_id,
    external_transaction_id: null,
    linked_transaction_id: t.linked_transaction_id,
    client_transaction_id: t.client_transaction_id,
    card_gateway_transaction_id: t.payment_method === "CARD" && t.status === "SUCCESS" ? `gw-${t.transaction_id.slice(0, 8)}` : null,
    terminal_id: t.terminal_id,
    terminal_serial_number: `SN-${t.terminal_id.slice(4)}`,
    payment_method: t.payment_method,
    payment_option: t.payment_method === "CARD" ? "CONTACTLESS" : null,
    amount: t.amount,
    tip_amount: 0,
    total_amount: t.amount,
    refund_total_amount: t.refund_total_amount,
    currency: t.currency,
    status: t.status,
    timezone: SIM_TIME_ZONE,
    tags: t.kind === "refund" || t.kind === "independent_refund" ? ["refund"] : ["charge"],
    card_tid: t.payment_method === "CARD" ? "TID0001" : null,
    card_number: t.payment_method === "CARD" && t.status !== "INITIATED" ? "**** **** **** 4242" : null,
    crypto_amount: null,
    crypto_payment_network: null,
    created_at: iso(t.created_at),
    completed_at: iso(t.completed_at),
    canceled_at: iso(t.canceled_at),
    reverted_at: iso(t.reverted_at),
  };
}

export function getTransaction(ctx: SimulatorContext, transactionId: string): SimTransaction | null {
  return (ctx.db.prepare("SELECT * FROM sim_transactions WHERE transaction_id = ?").get(transactionId) as SimTransaction | undefined) ?? null;
}

export function terminalTransactions(ctx: SimulatorContext, terminalId: string, limit = 20): SimTransaction[] {
  return ctx.db
    .prepare("SELECT * FROM sim_transactions WHERE terminal_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?")
    .all(terminalId, limit) as SimTransaction[];
}

/** The terminals with a payment waiting (INITIATED, IN_PROGRESS), the latest payment first. */
export function terminalsWithOpenPayments(ctx: SimulatorContext, limit: number): string[] {
  return (
    ctx.db
      .prepare(
        `SELECT terminal_id FROM sim_transactions WHERE status IN ('INITIATED', 'IN_PROGRESS')
         GROUP BY terminal_id ORDER BY max(created_at) DESC LIMIT ?`,
      )
      .all(limit) as { terminal_id: string }[]
  ).map((r) => r.terminal_id);
}

export function getOperation(ctx: SimulatorContext, operationId: string) {
  return (
    (ctx.db.prepare("SELECT * FROM sim_operations WHERE operation_id = ?").get(operationId) as
      | { operation_id: string; transaction_id: string; type: string; status: string; amount: number | null }
      | undefined) ?? null
  );
}

/** The print slip of a final transaction (documented fields). */
export function printSlip(t: SimTransaction, terminalLabel: string) {
  const o = transactionObject(t);
  return {
    transaction_id: t.transaction_id,
    terminal_id: t.terminal_id,
    organization: { full_name: "Simulated Merchant d.o.o.", country: "SI", address: "Trg 1", postal_code: "1000", city: "Ljubljana", region: null },
    point_of_sale: { full_name: terminalLabel },
    amount: t.amount,
    tip_amount: 0,
    total_amount: t.amount,
    currency: t.currency,
    status: t.status,
    payment_method: o.payment_method,
    tags: o.tags,
    timezone: SIM_TIME_ZONE,
    created_at: o.created_at,
    digital_slip: null,
    payment_option: o.payment_option,
    card_tid: o.card_tid,
    completed_at: o.completed_at,
    canceled_at: o.canceled_at,
    reverted_at: o.reverted_at,
    aid: o.payment_method === "CARD" ? "A0000000031010" : null,
    approve_code: t.status === "SUCCESS" || t.status === "REVERTED" ? "SIM123" : null,
    card_type: o.payment_method === "CARD" ? "VISA" : null,
    card_number: o.card_number,
    refund_total_amount: t.refund_total_amount,
  };
}

export function isFinalSim(status: SimTransactionStatus): boolean {
  return FINAL.has(status);
}
