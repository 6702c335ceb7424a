// Transactions: payments, every observation of them, and the operations sent from Pairdesk (lib/transactions/).
import { sql } from "drizzle-orm";
import { ENVIRONMENTS, EVENT_EFFECTS, EVENT_SOURCES, OPERATION_KINDS, OPERATION_STATUSES, TRANSACTION_KINDS, TRANSACTION_STATUSES } from "../../domain";
import { type Column, type Kit, quoted } from "./kit";
import type { Schema } from "./build";

export function transactionTables(k: Kit, s: () => Schema) {
  /**
   * A payment as the provider reports it: created by an operation here (charge, preauth, refund,
   * independent refund) or first seen in a webhook (started from a POS). Its status only moves
   * through lib/transactions/apply.ts (applyTransactionEvent), which keeps every observation as a
   * transaction event.
   */
  const transactions = k.table(
    "transactions",
    {
      id: k.id(),
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      environment: k.text("environment", { enum: ENVIRONMENTS }).notNull(),
      terminalRef: k.int("terminal_ref")
        .notNull()
        .references((): Column => s().terminals.id),
      /** The pairing whose credentials created it or through which it was first seen. */
      pairingId: k.int("pairing_id")
        .notNull()
        .references((): Column => s().pairings.id),
      /** The register it was charged from, when Pairdesk knows it. */
      registerRef: k.int("register_ref").references((): Column => s().registers.id),
      /** The provider's transaction id. */
      providerTransactionId: k.text("provider_transaction_id").notNull(),
      /** Ours, sent with the create call so that a retried submit cannot create twice. */
      clientTransactionId: k.text("client_transaction_id"),
      kind: k.text("kind", { enum: TRANSACTION_KINDS }).notNull(),
      /** A refund's original transaction. */
      linkedTransactionRef: k.int("linked_transaction_ref").references((): Column => s().transactions.id),
      /** Minor units of `currency`. */
      amount: k.int("amount").notNull(),
      tipAmount: k.int("tip_amount"),
      totalAmount: k.int("total_amount"),
      refundTotalAmount: k.int("refund_total_amount").notNull().default(0),
      /** ISO 4217 alpha-3; null until the provider or the terminal's configuration says. */
      currency: k.text("currency"),
      paymentMethod: k.text("payment_method"),
      paymentOption: k.text("payment_option"),
      status: k.text("status", { enum: TRANSACTION_STATUSES }).notNull(),
      /** Source and time of the observation that set the current status. */
      statusSource: k.text("status_source", { enum: EVENT_SOURCES }).notNull(),
      statusChangedAt: k.time("status_changed_at").notNull(),
      /** The last observation of any kind (a poll that found nothing new included). */
      lastSeenAt: k.time("last_seen_at").notNull(),
      providerCreatedAt: k.time("provider_created_at"),
      completedAt: k.time("completed_at"),
      canceledAt: k.time("canceled_at"),
      revertedAt: k.time("reverted_at"),
      /** JSON of the provider's other non-secret fields (tags, card type, last four digits, time zone...). */
      details: k.text("details"),
      /** JSON of the print slip, fetched once the transaction is final. */
      slip: k.text("slip"),
      slipFetchedAt: k.time("slip_fetched_at"),
      /** When the poller should look next; null: not polled (final, or given up). */
      nextPollAt: k.time("next_poll_at"),
      pollCount: k.int("poll_count").notNull().default(0),
      lastPolledAt: k.time("last_polled_at"),
      /** The last poll's failure, support-readable; null after a good poll. */
      pollError: k.text("poll_error"),
      /**
       * The last observation that contradicted the final transaction's amount or currency: kept as
       * an ignored event, not applied (a final amount is the refund ceiling), and flagged here.
       */
      conflictAt: k.time("conflict_at"),
      conflictNote: k.text("conflict_note"),
      /** Set when the poller gave up (its horizon passed) while the status was still open. */
      staleAt: k.time("stale_at"),
      createdById: k.int("created_by_id").references((): Column => s().users.id),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("transactions_environment_provider_id_unique").on(t.environment, t.providerTransactionId),
      k.uniqueIndex("transactions_client_transaction_id_unique")
        .on(t.environment, t.clientTransactionId)
        .where(sql`${t.clientTransactionId} is not null`),
      k.index("transactions_provider_id_idx").on(t.providerTransactionId),
      // Keyset pages: (created_at, id) and (status_changed_at, id), each for every merchant and per merchant.
      k.index("transactions_created_idx").on(t.createdAt, t.id),
      k.index("transactions_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
      k.index("transactions_changed_idx").on(t.statusChangedAt, t.id),
      k.index("transactions_merchant_changed_idx").on(t.merchantId, t.statusChangedAt, t.id),
      k.index("transactions_status_created_idx").on(t.status, t.createdAt, t.id),
      k.index("transactions_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id),
      k.index("transactions_terminal_created_idx").on(t.terminalRef, t.createdAt, t.id),
      k.index("transactions_register_created_idx").on(t.registerRef, t.createdAt, t.id),
      k.index("transactions_linked_idx").on(t.linkedTransactionRef),
      k.index("transactions_next_poll_idx").on(t.nextPollAt).where(sql`${t.nextPollAt} is not null`),
      k.check("transactions_kind_check", sql.raw(`"kind" in (${quoted(TRANSACTION_KINDS)})`)),
      k.check("transactions_status_check", sql.raw(`"status" in (${quoted(TRANSACTION_STATUSES)})`)),
      k.check("transactions_amount_check", sql.raw(`"amount" >= 0 and "refund_total_amount" >= 0`)),
    ],
  );

  /**
   * Every distinct observation of a transaction: its status and amounts as the source saw them.
   * The same observation twice (same fingerprint) is one event.
   */
  const transactionEvents = k.table(
    "transaction_events",
    {
      id: k.id(),
      transactionRef: k.int("transaction_ref")
        .notNull()
        .references((): Column => s().transactions.id),
      status: k.text("status", { enum: TRANSACTION_STATUSES }).notNull(),
      source: k.text("source", { enum: EVENT_SOURCES }).notNull(),
      effect: k.text("effect", { enum: EVENT_EFFECTS }).notNull(),
      /** Why an observation was ignored, or what it updated; never a secret. */
      note: k.text("note"),
      deliveryId: k.int("delivery_id").references((): Column => s().webhookDeliveries.id),
      operationId: k.int("operation_id").references((): Column => s().transactionOperations.id),
      /** SHA-256 of what was observed (status, amounts, times): one event per distinct observation. */
      fingerprint: k.text("fingerprint").notNull(),
      /** JSON of the observed amounts and times. */
      observed: k.text("observed"),
      at: k.time("at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("transaction_events_fingerprint_unique").on(t.transactionRef, t.fingerprint),
      k.index("transaction_events_transaction_idx").on(t.transactionRef, t.id),
      k.index("transaction_events_delivery_idx").on(t.deliveryId),
    ],
  );

  /**
   * Each back-office operation sent (or tried) from Pairdesk, whatever its outcome. Charges,
   * preauths and refunds create a transaction (result_transaction_ref); cancel, refund, revert
   * and preauth completion act on one (transaction_ref).
   */
  const transactionOperations = k.table(
    "transaction_operations",
    {
      id: k.id(),
      /** One per rendered form: a second submit of the same form is refused. */
      requestKey: k.text("request_key").notNull(),
      kind: k.text("kind", { enum: OPERATION_KINDS }).notNull(),
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      environment: k.text("environment", { enum: ENVIRONMENTS }).notNull(),
      terminalRef: k.int("terminal_ref")
        .notNull()
        .references((): Column => s().terminals.id),
      pairingId: k.int("pairing_id")
        .notNull()
        .references((): Column => s().pairings.id),
      registerRef: k.int("register_ref").references((): Column => s().registers.id),
      transactionRef: k.int("transaction_ref").references((): Column => s().transactions.id),
      resultTransactionRef: k.int("result_transaction_ref").references((): Column => s().transactions.id),
      amount: k.int("amount"),
      paymentMethod: k.text("payment_method"),
      clientTransactionId: k.text("client_transaction_id"),
      /** The provider's operation id (revert, preauth completion), followed until final. */
      providerOperationId: k.text("provider_operation_id"),
      /** The provider's operation status (INITIATED, IN_PROGRESS, SUCCESS, FAILED, EXPIRED). */
      providerStatus: k.text("provider_status"),
      status: k.text("status", { enum: OPERATION_STATUSES }).notNull().default("pending"),
      errorCode: k.text("error_code"),
      reason: k.text("reason"),
      nextPollAt: k.time("next_poll_at"),
      pollCount: k.int("poll_count").notNull().default(0),
      createdById: k.int("created_by_id")
        .notNull()
        .references((): Column => s().users.id),
      createdAt: k.time("created_at").notNull().default(k.now),
      finishedAt: k.time("finished_at"),
    },
    (t) => [
      k.uniqueIndex("transaction_operations_request_key_unique").on(t.requestKey),
      k.uniqueIndex("transaction_operations_client_transaction_id_unique")
        .on(t.environment, t.clientTransactionId)
        .where(sql`${t.clientTransactionId} is not null`),
      k.index("transaction_operations_transaction_idx").on(t.transactionRef, t.id),
      k.index("transaction_operations_result_idx").on(t.resultTransactionRef),
      k.index("transaction_operations_merchant_created_idx").on(t.merchantId, t.createdAt),
      k.index("transaction_operations_next_poll_idx").on(t.nextPollAt).where(sql`${t.nextPollAt} is not null`),
      k.check("transaction_operations_kind_check", sql.raw(`"kind" in (${quoted(OPERATION_KINDS)})`)),
      k.check("transaction_operations_status_check", sql.raw(`"status" in (${quoted(OPERATION_STATUSES)})`)),
    ],
  );
  return { transactions, transactionEvents, transactionOperations };
}
