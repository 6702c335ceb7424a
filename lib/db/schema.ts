import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  blob,
  check,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import {
  ATTEMPT_STATUSES,
  DELIVERY_VERDICTS,
  ENVIRONMENTS,
  EVENT_EFFECTS,
  EVENT_SOURCES,
  MERCHANT_ROLES,
  MERCHANT_STATUSES,
  OPERATION_KINDS,
  OPERATION_STATUSES,
  PAIRING_STATUSES,
  REGISTER_KINDS,
  ROLES,
  SECRET_FIELDS,
  STAFF_ROLES,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
} from "../domain";

// The plain constants live in lib/domain (importable by client components); re-exported here.
export {
  ATTEMPT_STATUSES,
  DELIVERY_VERDICTS,
  EVENT_EFFECTS,
  EVENT_SOURCES,
  OPERATION_KINDS,
  OPERATION_STATUSES,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
  type DeliveryVerdict,
  type EventEffect,
  type EventSource,
  type OperationKind,
  type OperationStatus,
  type TransactionKind,
  type TransactionStatus,
  ENVIRONMENTS,
  MERCHANT_ROLES,
  MERCHANT_STATUSES,
  PAIRING_STATUSES,
  REGISTER_KINDS,
  ROLES,
  SECRET_FIELDS,
  STAFF_ROLES,
  type AttemptStatus,
  type Environment,
  type MerchantRole,
  type MerchantStatus,
  type PairingStatus,
  type RegisterKind,
  type Role,
  type StaffRole,
  type SecretField,
} from "../domain";

const now = sql`(unixepoch('subsec') * 1000)`;

/** `'a', 'b'`: constants in a CHECK (unqualified column names keep a table rebuild's rename safe). */
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
const ROLE_MERCHANT_RULE =
  `("role" in (${quoted(MERCHANT_ROLES)}) and "merchant_id" is not null) or ` +
  `("role" in (${quoted(STAFF_ROLES)}) and "merchant_id" is null)`;

/**
 * A business served by the integrator. Terminals, pairings, attempts, merchant users and audit
 * entries belong to one; merchant users see only theirs (lib/auth/scope.ts).
 */
export const merchants = sqliteTable(
  "merchants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    status: text("status", { enum: MERCHANT_STATUSES }).notNull().default("active"),
    /** The POS's own id for this merchant, if it has one. */
    externalRef: text("external_ref"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("merchants_name_unique").on(sql`${t.name} collate nocase`),
    uniqueIndex("merchants_external_ref_unique").on(t.externalRef).where(sql`${t.externalRef} is not null`),
    check("merchants_status_check", sql.raw(`"status" in (${quoted(MERCHANT_STATUSES)})`)),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** The merchant of a merchant role; null for staff (who see every merchant). */
    merchantId: integer("merchant_id").references(() => merchants.id),
    /** Bumped when the user is disabled: their existing sessions stop working. (Roles are read per request.) */
    sessionVersion: integer("session_version").notNull().default(1),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_merchant_idx").on(t.merchantId),
    // A merchant role has a merchant, a staff role none: held by the database, not only the forms.
    check("users_role_merchant_check", sql.raw(ROLE_MERCHANT_RULE)),
  ],
);

export const terminals = sqliteTable(
  "terminals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The merchant the terminal belongs to now (its last pairing's merchant). */
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    environment: text("environment", { enum: ENVIRONMENTS }).notNull(),
    /** The provider's terminal id. */
    terminalId: text("terminal_id").notNull(),
    /** The terminal's configuration as the provider last reported it (null until fetched). */
    currency: text("currency"),
    timeZone: text("time_zone"),
    /** JSON array of payment method names. */
    paymentMethods: text("payment_methods"),
    configFetchedAt: integer("config_fetched_at", { mode: "timestamp_ms" }),
    /** Why the last configuration fetch failed (support-readable), null after a success. */
    configError: text("config_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("terminals_environment_terminal_id_unique").on(t.environment, t.terminalId),
    index("terminals_terminal_id_idx").on(t.terminalId),
    index("terminals_merchant_terminal_id_idx").on(t.merchantId, t.terminalId),
  ],
);

export const pairingAttempts = sqliteTable(
  "pairing_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** One per rendered pairing form: a second submit of the same form is refused. */
    requestKey: text("request_key").notNull(),
    /** The merchant the terminal was being paired into. */
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    environment: text("environment", { enum: ENVIRONMENTS }).notNull(),
    name: text("name").notNull(),
    webhookUrl: text("webhook_url"),
    status: text("status", { enum: ATTEMPT_STATUSES }).notNull().default("pending"),
    /** A support-readable reason for a failure, unknown outcome or recovery. Never a secret. */
    reason: text("reason"),
    /** Machine-readable error code from lib/pay-connect (e.g. otp_rejected, timeout). */
    errorCode: text("error_code"),
    /** Filled in once Pay-Connect answered 200. */
    terminalId: text("terminal_id"),
    /** "Pair again" of this terminal: a result for another terminal is kept and flagged (warning). */
    intendedTerminalRef: integer("intended_terminal_ref").references((): AnySQLiteColumn => terminals.id),
    /** Paired from this register's page: the register routes to the terminal in the same write. */
    registerRef: integer("register_ref").references((): AnySQLiteColumn => registers.id),
    /** A succeeded attempt that needs a second look (another terminal than meant, a route that could not be made). */
    warning: text("warning"),
    pairingId: integer("pairing_id").references((): AnySQLiteColumn => pairings.id),
    createdById: integer("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    recoveredAt: integer("recovered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("pairing_attempts_request_key_unique").on(t.requestKey),
    index("pairing_attempts_created_at_idx").on(t.createdAt),
    index("pairing_attempts_status_idx").on(t.status),
    index("pairing_attempts_merchant_created_at_idx").on(t.merchantId, t.createdAt),
  ],
);

export const pairings = sqliteTable(
  "pairings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    terminalRef: integer("terminal_ref")
      .notNull()
      .references(() => terminals.id),
    /** The merchant the terminal was paired into (a terminal that changes merchant keeps its history apart). */
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    payConnectId: text("pay_connect_id").notNull(),
    name: text("name").notNull(),
    clientId: text("client_id").notNull(),
    webhookUrl: text("webhook_url"),
    /** The path token of the webhook URL Pairdesk generated for this pairing, if it was used. */
    webhookToken: text("webhook_token"),
    hasWebhookSecret: integer("has_webhook_secret", { mode: "boolean" }).notNull(),
    status: text("status", { enum: PAIRING_STATUSES }).notNull().default("active"),
    /** The pairing that replaced this one (status replaced). */
    replacedById: integer("replaced_by_id").references((): AnySQLiteColumn => pairings.id),
    attemptId: integer("attempt_id").references((): AnySQLiteColumn => pairingAttempts.id),
    createdById: integer("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endedById: integer("ended_by_id").references(() => users.id),
    /**
     * Set when Pay-Connect refused this (active) pairing's credentials on a fresh token request
     * (unpaired on the terminal, or ended by the provider): the terminal takes no payment until
     * it is paired again. Cleared by the next call those credentials make successfully.
     */
    credentialsRefusedAt: integer("credentials_refused_at", { mode: "timestamp_ms" }),
    credentialsRefusedReason: text("credentials_refused_reason"),
  },
  (t) => [
    index("pairings_terminal_status_idx").on(t.terminalRef, t.status, t.createdAt),
    index("pairings_status_idx").on(t.status),
    index("pairings_pay_connect_id_idx").on(t.payConnectId),
    uniqueIndex("pairings_webhook_token_unique").on(t.webhookToken),
    // Pay-Connect pairs a terminal once per integration and environment (a terminal row is one
    // environment's): at most one active pairing per terminal.
    uniqueIndex("pairings_one_active_per_terminal").on(t.terminalRef).where(sql`${t.status} = 'active'`),
  ],
);

/** A merchant's place of business: its registers live here. */
export const locations = sqliteTable(
  "locations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    /** IANA time zone, e.g. Europe/Lisbon. */
    timeZone: text("time_zone").notNull(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("locations_merchant_name_unique")
      .on(t.merchantId, sql`${t.name} collate nocase`)
      .where(sql`${t.archivedAt} is null`),
  ],
);

/**
 * The POS side: a physical register, or a virtual register (child of a physical register of the
 * same location). Each routes to at most one terminal (terminal_ref), one with an active pairing
 * of the register's merchant; the rules the columns cannot say are held by triggers (0003).
 */
export const registers = sqliteTable(
  "registers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The stable UUID the POS sends. */
    registerId: text("register_id").notNull(),
    merchantId: integer("merchant_id")
      .notNull()
      .references(() => merchants.id),
    locationId: integer("location_id")
      .notNull()
      .references(() => locations.id),
    kind: text("kind", { enum: REGISTER_KINDS }).notNull(),
    parentId: integer("parent_id").references((): AnySQLiteColumn => registers.id),
    name: text("name").notNull(),
    externalRef: text("external_ref"),
    /** The terminal the register sends its payments to (its route); null: unrouted. */
    terminalRef: integer("terminal_ref").references(() => terminals.id),
    routedAt: integer("routed_at", { mode: "timestamp_ms" }),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("registers_register_id_unique").on(t.registerId),
    uniqueIndex("registers_location_name_unique")
      .on(t.locationId, sql`${t.name} collate nocase`)
      .where(sql`${t.archivedAt} is null`),
    uniqueIndex("registers_merchant_external_ref_unique")
      .on(t.merchantId, t.externalRef)
      .where(sql`${t.externalRef} is not null and ${t.archivedAt} is null`),
    index("registers_terminal_idx").on(t.terminalRef),
    index("registers_parent_idx").on(t.parentId),
    index("registers_merchant_location_idx").on(t.merchantId, t.locationId, t.name),
    check("registers_kind_check", sql.raw(`"kind" in (${quoted(REGISTER_KINDS)})`)),
    check(
      "registers_parent_check",
      sql.raw(`("kind" = 'physical' and "parent_id" is null) or ("kind" = 'virtual' and "parent_id" is not null)`),
    ),
    check("registers_archived_unrouted_check", sql.raw(`"archived_at" is null or "terminal_ref" is null`)),
  ],
);

/** The vault: credential secrets, each encrypted with AES-256-GCM bound to (pairing, field). */
export const pairingSecrets = sqliteTable(
  "pairing_secrets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pairingId: integer("pairing_id")
      .notNull()
      .references(() => pairings.id, { onDelete: "cascade" }),
    field: text("field", { enum: SECRET_FIELDS }).notNull(),
    keyId: text("key_id").notNull(),
    nonce: blob("nonce", { mode: "buffer" }).notNull(),
    /** Ciphertext followed by the 16-byte GCM tag. */
    ciphertext: blob("ciphertext", { mode: "buffer" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [uniqueIndex("pairing_secrets_pairing_field_unique").on(t.pairingId, t.field)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
    actorId: integer("actor_id").references(() => users.id),
    /** Kept as written, so the log still reads right after a user changes. */
    actorEmail: text("actor_email"),
    /** The merchant the entry is about (null: staff-only entries, e.g. a staff sign-in). */
    merchantId: integer("merchant_id").references(() => merchants.id),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** JSON of non-secret details. */
    details: text("details"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_action_idx").on(t.action, t.at),
    index("audit_log_actor_idx").on(t.actorId, t.at),
    index("audit_log_merchant_at_idx").on(t.merchantId, t.at),
  ],
);

/** Failed sign-ins, for rate limiting by email and by client address. */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("sign_in_failures_key_at_idx").on(t.key, t.at)],
);

/**
 * Signed-in sessions. The session cookie (a next-auth JWT) names one row; signing out ends that
 * row only, disabling a user ends all of theirs, and a cookie whose row is ended no longer opens
 * anything, even if it was copied before.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    /** Random, 32 bytes base64url; carried in the (encrypted, signed) session cookie. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** sign_out, disabled. */
    endReason: text("end_reason"),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.endedAt)],
);

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
 * Each HTTP request to the webhook endpoint, stored raw with its verdict before it is answered.
 * Rejected ones are capped and pruned (lib/webhooks/inbox.ts); accepted ones are kept.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull().default(now),
    pairingId: integer("pairing_id").references(() => pairings.id),
    /** The pairing's merchant (null for an unknown token): who may read the delivery. */
    merchantId: integer("merchant_id").references(() => merchants.id),
    verdict: text("verdict", { enum: DELIVERY_VERDICTS }).notNull(),
    httpStatus: integer("http_status").notNull(),
    /** The request body's size in bytes as received (or as declared, when too large to read). */
    sizeBytes: integer("size_bytes").notNull(),
    /** The raw body (a rejected one may be cut, see bodyTruncated); null when it was not read. */
    body: blob("body", { mode: "buffer" }),
    bodyTruncated: integer("body_truncated", { mode: "boolean" }).notNull().default(false),
    /** Which form of the body the signature matched: "raw" or "sorted" (null unless verified). */
    signatureForm: text("signature_form"),
    /** A plain reason for a rejection or a processing failure. */
    reason: text("reason"),
    /** When the accepted body was applied, and how many observations it held. */
    processedAt: integer("processed_at", { mode: "timestamp_ms" }),
    eventCount: integer("event_count"),
    processError: text("process_error"),
    /** Applied, but something in it was refused (a final transaction's amount or currency): why. */
    conflict: text("conflict"),
    reprocessedAt: integer("reprocessed_at", { mode: "timestamp_ms" }),
    reprocessCount: integer("reprocess_count").notNull().default(0),
  },
  (t) => [
    index("webhook_deliveries_received_idx").on(t.receivedAt, t.id),
    index("webhook_deliveries_merchant_received_idx").on(t.merchantId, t.receivedAt, t.id),
    index("webhook_deliveries_verdict_received_idx").on(t.verdict, t.receivedAt),
    index("webhook_deliveries_pairing_received_idx").on(t.pairingId, t.receivedAt),
    check("webhook_deliveries_verdict_check", sql.raw(`"verdict" in (${quoted(DELIVERY_VERDICTS)})`)),
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

/**
 * Background workers that must run once per database (the poller): a lease with an expiry, taken
 * over when its holder stops renewing it, and the figures of the last run.
 */
export const workers = sqliteTable("workers", {
  name: text("name").primaryKey(),
  /** Who holds the lease (host:pid:random), null when released. */
  holder: text("holder"),
  leaseExpiresAt: integer("lease_expires_at", { mode: "timestamp_ms" }),
  lastRunAt: integer("last_run_at", { mode: "timestamp_ms" }),
  lastRunMs: integer("last_run_ms"),
  /** Items handled in the last run and how many of them failed. */
  lastRunCount: integer("last_run_count"),
  lastRunErrors: integer("last_run_errors"),
  /** How late the most overdue item was at the last run (ms). */
  lagMs: integer("lag_ms"),
  errorsTotal: integer("errors_total").notNull().default(0),
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at", { mode: "timestamp_ms" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
});
