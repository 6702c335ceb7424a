// Pairing: terminals, pairing attempts, pairings and the vault of their secrets (lib/pairing/).
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ATTEMPT_STATUSES, ENVIRONMENTS, PAIRING_STATUSES, SECRET_FIELDS } from "../../domain";
import { now } from "./columns";
import { merchants } from "./merchants";
import { users } from "./users";
import { registers } from "./registers";

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
