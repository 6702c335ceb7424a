// Pairing: terminals, pairing attempts, pairings and the vault of their secrets (lib/pairing/).
import { sql } from "drizzle-orm";
import { ATTEMPT_STATUSES, ENVIRONMENTS, PAIRING_STATUSES, SECRET_FIELDS } from "../../domain";
import { type Column, type Kit } from "./kit";
import type { Schema } from "./build";

export function pairingTables(k: Kit, s: () => Schema) {
  const terminals = k.table(
    "terminals",
    {
      id: k.id(),
      /** The merchant the terminal belongs to now (its last pairing's merchant). */
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      environment: k.text("environment", { enum: ENVIRONMENTS }).notNull(),
      /** The provider's terminal id. */
      terminalId: k.text("terminal_id").notNull(),
      /** The terminal's configuration as the provider last reported it (null until fetched). */
      currency: k.text("currency"),
      timeZone: k.text("time_zone"),
      /** JSON array of payment method names. */
      paymentMethods: k.text("payment_methods"),
      configFetchedAt: k.time("config_fetched_at"),
      /** Why the last configuration fetch failed (support-readable), null after a success. */
      configError: k.text("config_error"),
      createdAt: k.time("created_at").notNull().default(k.now),
      updatedAt: k.time("updated_at").notNull().default(k.now),
    },
    (t) => [
      k.uniqueIndex("terminals_environment_terminal_id_unique").on(t.environment, t.terminalId),
      k.index("terminals_terminal_id_idx").on(t.terminalId),
      k.index("terminals_merchant_terminal_id_idx").on(t.merchantId, t.terminalId),
    ],
  );

  const pairingAttempts = k.table(
    "pairing_attempts",
    {
      id: k.id(),
      /** One per rendered pairing form: a second submit of the same form is refused. */
      requestKey: k.text("request_key").notNull(),
      /** The merchant the terminal was being paired into. */
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      environment: k.text("environment", { enum: ENVIRONMENTS }).notNull(),
      name: k.text("name").notNull(),
      webhookUrl: k.text("webhook_url"),
      status: k.text("status", { enum: ATTEMPT_STATUSES }).notNull().default("pending"),
      /** A support-readable reason for a failure, unknown outcome or recovery. Never a secret. */
      reason: k.text("reason"),
      /** Machine-readable error code from lib/pay-connect (e.g. otp_rejected, timeout). */
      errorCode: k.text("error_code"),
      /** Filled in once Pay-Connect answered 200. */
      terminalId: k.text("terminal_id"),
      /** "Pair again" of this terminal: a result for another terminal is kept and flagged (warning). */
      intendedTerminalRef: k.int("intended_terminal_ref").references((): Column => s().terminals.id),
      /** Paired from this register's page: the register routes to the terminal in the same write. */
      registerRef: k.int("register_ref").references((): Column => s().registers.id),
      /** A succeeded attempt that needs a second look (another terminal than meant, a route that could not be made). */
      warning: k.text("warning"),
      pairingId: k.int("pairing_id").references((): Column => s().pairings.id),
      createdById: k.int("created_by_id")
        .notNull()
        .references((): Column => s().users.id),
      createdAt: k.time("created_at").notNull().default(k.now),
      finishedAt: k.time("finished_at"),
      recoveredAt: k.time("recovered_at"),
      /**
       * The recovery spool's record of a write cut off after Pay-Connect's answer (JSON: the plain
       * fields and the sealed pair result, never a plaintext secret), copied from the spool file
       * of the instance that made the call, so that any instance can complete the recovery
       * (lib/pairing/recovery.ts). Cleared once the recovery is completed.
       */
      recoveryRecord: k.text("recovery_record"),
    },
    (t) => [
      k.uniqueIndex("pairing_attempts_request_key_unique").on(t.requestKey),
      k.index("pairing_attempts_created_at_idx").on(t.createdAt),
      k.index("pairing_attempts_status_idx").on(t.status),
      k.index("pairing_attempts_merchant_created_at_idx").on(t.merchantId, t.createdAt),
    ],
  );

  const pairings = k.table(
    "pairings",
    {
      id: k.id(),
      terminalRef: k.int("terminal_ref")
        .notNull()
        .references((): Column => s().terminals.id),
      /** The merchant the terminal was paired into (a terminal that changes merchant keeps its history apart). */
      merchantId: k.int("merchant_id")
        .notNull()
        .references((): Column => s().merchants.id),
      payConnectId: k.text("pay_connect_id").notNull(),
      name: k.text("name").notNull(),
      clientId: k.text("client_id").notNull(),
      webhookUrl: k.text("webhook_url"),
      /** The path token of the webhook URL Pairdesk generated for this pairing, if it was used. */
      webhookToken: k.text("webhook_token"),
      hasWebhookSecret: k.flag("has_webhook_secret").notNull(),
      status: k.text("status", { enum: PAIRING_STATUSES }).notNull().default("active"),
      /** The pairing that replaced this one (status replaced). */
      replacedById: k.int("replaced_by_id").references((): Column => s().pairings.id),
      attemptId: k.int("attempt_id").references((): Column => s().pairingAttempts.id),
      createdById: k.int("created_by_id")
        .notNull()
        .references((): Column => s().users.id),
      createdAt: k.time("created_at").notNull().default(k.now),
      endedAt: k.time("ended_at"),
      endedById: k.int("ended_by_id").references((): Column => s().users.id),
      /**
       * Set when Pay-Connect refused this (active) pairing's credentials on a fresh token request
       * (unpaired on the terminal, or ended by the provider): the terminal takes no payment until
       * it is paired again. Cleared by the next call those credentials make successfully.
       */
      credentialsRefusedAt: k.time("credentials_refused_at"),
      credentialsRefusedReason: k.text("credentials_refused_reason"),
    },
    (t) => [
      k.index("pairings_terminal_status_idx").on(t.terminalRef, t.status, t.createdAt),
      k.index("pairings_status_idx").on(t.status),
      k.index("pairings_pay_connect_id_idx").on(t.payConnectId),
      k.uniqueIndex("pairings_webhook_token_unique").on(t.webhookToken),
      // Pay-Connect pairs a terminal once per integration and environment (a terminal row is one
      // environment's): at most one active pairing per terminal.
      k.uniqueIndex("pairings_one_active_per_terminal").on(t.terminalRef).where(sql`${t.status} = 'active'`),
    ],
  );

  /** The vault: credential secrets, each encrypted with AES-256-GCM bound to (pairing, field). */
  const pairingSecrets = k.table(
    "pairing_secrets",
    {
      id: k.id(),
      pairingId: k.int("pairing_id")
        .notNull()
        .references((): Column => s().pairings.id, { onDelete: "cascade" }),
      field: k.text("field", { enum: SECRET_FIELDS }).notNull(),
      keyId: k.text("key_id").notNull(),
      nonce: k.bytes("nonce").notNull(),
      /** Ciphertext followed by the 16-byte GCM tag. */
      ciphertext: k.bytes("ciphertext").notNull(),
      createdAt: k.time("created_at").notNull().default(k.now),
    },
    (t) => [k.uniqueIndex("pairing_secrets_pairing_field_unique").on(t.pairingId, t.field)],
  );
  return { terminals, pairingAttempts, pairings, pairingSecrets };
}
