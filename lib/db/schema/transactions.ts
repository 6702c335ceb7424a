// Transactions: payments, every observation of them, and the operations sent from Pairdesk (lib/transactions/).
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ENVIRONMENTS, EVENT_EFFECTS, EVENT_SOURCES, OPERATION_KINDS, OPERATION_STATUSES, TRANSACTION_KINDS, TRANSACTION_STATUSES } from "../../domain";
import { now, quoted } from "./columns";
import { merchants } from "./merchants";
import { users } from "./users";
import { pairings, terminals } from "./pairing";
import { registers } from "./registers";
import { webhookDeliveries } from "./webhooks";

/**
 * A payment as the provider reports it: created by an operation here (charge, preauth, refund,
 * independent refund) or first seen in a webhook (started from a POS). Its status only moves
 * through lib/transactions/apply.ts (applyTransactionEvent), which keeps every observation as a
 * transaction event.
 */
export const transactions = sqliteTable(
  "transactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    environment: text("environment", { enum: ENVIRONMENTS }).notNull(),
    terminalRef: integer("terminal_ref")
      .notNull()
      .references(() => terminals.id),
    /** The pairing whose credentials created it or through which it was first seen. */
    pairingId: integer("pairing_id")
      .notNull()
      .references(() => pairings.id),
    /** The register it was charged from, when Pairdesk knows it. */
    registerRef: integer("register_ref").references(() => registers.id),
    /** The provider's transaction id. */
    providerTransactionId: text("provider_transaction_id").notNull(),
    /** Ours, sent with the create call so that a retried submit cannot create twice. */
    clientTransactionId: text("client_transaction_id"),
    kind: text("kind", { enum: TRANSACTION_KINDS }).notNull(),
    /** A refund's original transaction. */
    linkedTransactionRef: integer("linked_transaction_ref").references((): AnySQLiteColumn => transactions.id),
    /** Minor units of `currency`. */
    amount: integer("amount").notNull(),
    tipAmount: integer("tip_amount"),
    totalAmount: integer("total_amount"),
    refundTotalAmount: integer("refund_total_amount").notNull().default(0),
    /** ISO 4217 alpha-3; null until the provider or the terminal's configuration says. */
    currency: text("currency"),
    paymentMethod: text("payment_method"),
    paymentOption: text("payment_option"),
    status: text("status", { enum: TRANSACTION_STATUSES }).notNull(),
    /** Source and time of the observation that set the current status. */
    statusSource: text("status_source", { enum: EVENT_SOURCES }).notNull(),
    statusChangedAt: integer("status_changed_at", { mode: "timestamp_ms" }).notNull(),
    /** The last observation of any kind (a poll that found nothing new included). */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    providerCreatedAt: integer("provider_created_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    canceledAt: integer("canceled_at", { mode: "timestamp_ms" }),
    revertedAt: integer("reverted_at", { mode: "timestamp_ms" }),
    /** JSON of the provider's other non-secret fields (tags, card type, last four digits, time zone...). */
    details: text("details"),
    /** JSON of the print slip, fetched once the transaction is final. */
    slip: text("slip"),
    slipFetchedAt: integer("slip_fetched_at", { mode: "timestamp_ms" }),
    /** When the poller should look next; null: not polled (final, or given up). */
    nextPollAt: integer("next_poll_at", { mode: "timestamp_ms" }),
    pollCount: integer("poll_count").notNull().default(0),
    lastPolledAt: integer("last_polled_at", { mode: "timestamp_ms" }),
    /** The last poll's failure, support-readable; null after a good poll. */
    pollError: text("poll_error"),
    /**
     * The last observation that contradicted the final transaction's amount or currency: kept as
     * an ignored event, not applied (a final amount is the refund ceiling), and flagged here.
     */
    conflictAt: integer("conflict_at", { mode: "timestamp_ms" }),
    conflictNote: text("conflict_note"),
    /** Set when the poller gave up (its horizon passed) while the status was still open. */
    staleAt: integer("stale_at", { mode: "timestamp_ms" }),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("transactions_environment_provider_id_unique").on(t.environment, t.providerTransactionId),
    uniqueIndex("transactions_client_transaction_id_unique")
      .on(t.environment, t.clientTransactionId)
      .where(sql`${t.clientTransactionId} is not null`),
    index("transactions_provider_id_idx").on(t.providerTransactionId),
    // Keyset pages: (created_at, id) and (status_changed_at, id), each for every merchant and per merchant.
    index("transactions_created_idx").on(t.createdAt, t.id),
    index("transactions_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    index("transactions_changed_idx").on(t.statusChangedAt, t.id),
    index("transactions_merchant_changed_idx").on(t.merchantId, t.statusChangedAt, t.id),
    index("transactions_status_created_idx").on(t.status, t.createdAt, t.id),
    index("transactions_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id),
    index("transactions_terminal_created_idx").on(t.terminalRef, t.createdAt, t.id),
    index("transactions_register_created_idx").on(t.registerRef, t.createdAt, t.id),
    index("transactions_linked_idx").on(t.linkedTransactionRef),
    index("transactions_next_poll_idx").on(t.nextPollAt).where(sql`${t.nextPollAt} is not null`),
    check("transactions_kind_check", sql.raw(`"kind" in (${quoted(TRANSACTION_KINDS)})`)),
    check("transactions_status_check", sql.raw(`"status" in (${quoted(TRANSACTION_STATUSES)})`)),
    check("transactions_amount_check", sql.raw(`"amount" >= 0 and "refund_total_amount" >= 0`)),
  ],
);

/**
 * Every distinct observation of a transaction: its status and amounts as the source saw them.
 * The same observation twice (same fingerprint) is one event.
 */
export const transactionEvents = sqliteTable(
  "transaction_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    transactionRef: integer("transaction_ref")
      .notNull()
      .references(() => transactions.id),
    status: text("status", { enum: TRANSACTION_STATUSES }).notNull(),
    source: text("source", { enum: EVENT_SOURCES }).notNull(),
    effect: text("effect", { enum: EVENT_EFFECTS }).notNull(),
    /** Why an observation was ignored, or what it updated; never a secret. */
    note: text("note"),
    deliveryId: integer("delivery_id").references((): AnySQLiteColumn => webhookDeliveries.id),
    operationId: integer("operation_id").references((): AnySQLiteColumn => transactionOperations.id),
    /** SHA-256 of what was observed (status, amounts, times): one event per distinct observation. */
    fingerprint: text("fingerprint").notNull(),
    /** JSON of the observed amounts and times. */
    observed: text("observed"),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("transaction_events_fingerprint_unique").on(t.transactionRef, t.fingerprint),
    index("transaction_events_transaction_idx").on(t.transactionRef, t.id),
    index("transaction_events_delivery_idx").on(t.deliveryId),
  ],
);

/**
 * Each back-office operation sent (or tried) from Pairdesk, whatever its outcome. Charges,
 * preauths and refunds create a transaction (result_transaction_ref); cancel, refund, revert
 * and preauth completion act on one (transaction_ref).
 */
export const transactionOperations = sqliteTable(
  "transaction_operations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** One per rendered form: a second submit of the same form is refused. */
    requestKey: text("request_key").notNull(),
    kind: text("kind", { enum: OPERATION_KINDS }).notNull(),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    environment: text("environment", { enum: ENVIRONMENTS }).notNull(),
    terminalRef: integer("terminal_ref")
      .notNull()
      .references(() => terminals.id),
    pairingId: integer("pairing_id")
      .notNull()
      .references(() => pairings.id),
    registerRef: integer("register_ref").references(() => registers.id),
    transactionRef: integer("transaction_ref").references(() => transactions.id),
    resultTransactionRef: integer("result_transaction_ref").references(() => transactions.id),
    amount: integer("amount"),
    paymentMethod: text("payment_method"),
    clientTransactionId: text("client_transaction_id"),
    /** The provider's operation id (revert, preauth completion), followed until final. */
    providerOperationId: text("provider_operation_id"),
    /** The provider's operation status (INITIATED, IN_PROGRESS, SUCCESS, FAILED, EXPIRED). */
    providerStatus: text("provider_status"),
    status: text("status", { enum: OPERATION_STATUSES }).notNull().default("pending"),
    errorCode: text("error_code"),
    reason: text("reason"),
    nextPollAt: integer("next_poll_at", { mode: "timestamp_ms" }),
    pollCount: integer("poll_count").notNull().default(0),
    createdById: integer("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("transaction_operations_request_key_unique").on(t.requestKey),
    uniqueIndex("transaction_operations_client_transaction_id_unique")
      .on(t.environment, t.clientTransactionId)
      .where(sql`${t.clientTransactionId} is not null`),
    index("transaction_operations_transaction_idx").on(t.transactionRef, t.id),
    index("transaction_operations_result_idx").on(t.resultTransactionRef),
    index("transaction_operations_merchant_created_idx").on(t.merchantId, t.createdAt),
    index("transaction_operations_next_poll_idx").on(t.nextPollAt).where(sql`${t.nextPollAt} is not null`),
    check("transaction_operations_kind_check", sql.raw(`"kind" in (${quoted(OPERATION_KINDS)})`)),
    check("transaction_operations_status_check", sql.raw(`"status" in (${quoted(OPERATION_STATUSES)})`)),
  ],
);
