CREATE TABLE `transaction_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transaction_ref` integer NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`effect` text NOT NULL,
	`note` text,
	`delivery_id` integer,
	`operation_id` integer,
	`fingerprint` text NOT NULL,
	`observed` text,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`transaction_ref`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`operation_id`) REFERENCES `transaction_operations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_events_fingerprint_unique` ON `transaction_events` (`transaction_ref`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `transaction_events_transaction_idx` ON `transaction_events` (`transaction_ref`,`id`);--> statement-breakpoint
CREATE INDEX `transaction_events_delivery_idx` ON `transaction_events` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `transaction_operations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_key` text NOT NULL,
	`kind` text NOT NULL,
	`merchant_id` integer NOT NULL,
	`environment` text NOT NULL,
	`terminal_ref` integer NOT NULL,
	`pairing_id` integer NOT NULL,
	`register_ref` integer,
	`transaction_ref` integer,
	`result_transaction_ref` integer,
	`amount` integer,
	`payment_method` text,
	`client_transaction_id` text,
	`provider_operation_id` text,
	`provider_status` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`error_code` text,
	`reason` text,
	`next_poll_at` integer,
	`poll_count` integer DEFAULT 0 NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terminal_ref`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`register_ref`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_ref`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`result_transaction_ref`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transaction_operations_kind_check" CHECK("kind" in ('charge', 'preauth', 'cancel', 'refund', 'revert', 'independent_refund', 'preauth_complete')),
	CONSTRAINT "transaction_operations_status_check" CHECK("status" in ('pending', 'sent', 'succeeded', 'failed', 'outcome_unknown'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_operations_request_key_unique` ON `transaction_operations` (`request_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_operations_client_transaction_id_unique` ON `transaction_operations` (`environment`,`client_transaction_id`) WHERE "transaction_operations"."client_transaction_id" is not null;--> statement-breakpoint
CREATE INDEX `transaction_operations_transaction_idx` ON `transaction_operations` (`transaction_ref`,`id`);--> statement-breakpoint
CREATE INDEX `transaction_operations_result_idx` ON `transaction_operations` (`result_transaction_ref`);--> statement-breakpoint
CREATE INDEX `transaction_operations_merchant_created_idx` ON `transaction_operations` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `transaction_operations_next_poll_idx` ON `transaction_operations` (`next_poll_at`) WHERE "transaction_operations"."next_poll_at" is not null;--> statement-breakpoint
CREATE TABLE `transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`merchant_id` integer NOT NULL,
	`environment` text NOT NULL,
	`terminal_ref` integer NOT NULL,
	`pairing_id` integer NOT NULL,
	`register_ref` integer,
	`provider_transaction_id` text NOT NULL,
	`client_transaction_id` text,
	`kind` text NOT NULL,
	`linked_transaction_ref` integer,
	`amount` integer NOT NULL,
	`tip_amount` integer,
	`total_amount` integer,
	`refund_total_amount` integer DEFAULT 0 NOT NULL,
	`currency` text,
	`payment_method` text,
	`payment_option` text,
	`status` text NOT NULL,
	`status_source` text NOT NULL,
	`status_changed_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`provider_created_at` integer,
	`completed_at` integer,
	`canceled_at` integer,
	`reverted_at` integer,
	`details` text,
	`slip` text,
	`slip_fetched_at` integer,
	`next_poll_at` integer,
	`poll_count` integer DEFAULT 0 NOT NULL,
	`last_polled_at` integer,
	`poll_error` text,
	`stale_at` integer,
	`created_by_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terminal_ref`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`register_ref`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`linked_transaction_ref`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transactions_kind_check" CHECK("kind" in ('charge', 'preauth', 'refund', 'independent_refund')),
	CONSTRAINT "transactions_status_check" CHECK("status" in ('INITIATED', 'IN_PROGRESS', 'SUCCESS', 'CANCELED', 'DECLINED', 'REVERTED', 'EXPIRED', 'FAILED')),
	CONSTRAINT "transactions_amount_check" CHECK("amount" >= 0 and "refund_total_amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transactions_environment_provider_id_unique` ON `transactions` (`environment`,`provider_transaction_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `transactions_client_transaction_id_unique` ON `transactions` (`environment`,`client_transaction_id`) WHERE "transactions"."client_transaction_id" is not null;--> statement-breakpoint
CREATE INDEX `transactions_provider_id_idx` ON `transactions` (`provider_transaction_id`);--> statement-breakpoint
CREATE INDEX `transactions_created_idx` ON `transactions` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_merchant_created_idx` ON `transactions` (`merchant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_changed_idx` ON `transactions` (`status_changed_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_merchant_changed_idx` ON `transactions` (`merchant_id`,`status_changed_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_status_created_idx` ON `transactions` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_merchant_status_created_idx` ON `transactions` (`merchant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_terminal_created_idx` ON `transactions` (`terminal_ref`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_register_created_idx` ON `transactions` (`register_ref`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transactions_linked_idx` ON `transactions` (`linked_transaction_ref`);--> statement-breakpoint
CREATE INDEX `transactions_next_poll_idx` ON `transactions` (`next_poll_at`) WHERE "transactions"."next_poll_at" is not null;--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`pairing_id` integer,
	`merchant_id` integer,
	`verdict` text NOT NULL,
	`http_status` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`body` blob,
	`body_truncated` integer DEFAULT false NOT NULL,
	`signature_form` text,
	`reason` text,
	`processed_at` integer,
	`event_count` integer,
	`process_error` text,
	`reprocessed_at` integer,
	`reprocess_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "webhook_deliveries_verdict_check" CHECK("verdict" in ('accepted', 'bad_signature', 'no_secret', 'unparsed', 'gone', 'unknown_pairing', 'too_large'))
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received_idx` ON `webhook_deliveries` (`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_merchant_received_idx` ON `webhook_deliveries` (`merchant_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_verdict_received_idx` ON `webhook_deliveries` (`verdict`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_pairing_received_idx` ON `webhook_deliveries` (`pairing_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `workers` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text,
	`lease_expires_at` integer,
	`last_run_at` integer,
	`last_run_ms` integer,
	`last_run_count` integer,
	`last_run_errors` integer,
	`lag_ms` integer,
	`errors_total` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_error_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `terminals` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `terminals` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `terminals` ADD `payment_methods` text;--> statement-breakpoint
ALTER TABLE `terminals` ADD `config_fetched_at` integer;--> statement-breakpoint
ALTER TABLE `terminals` ADD `config_error` text;--> statement-breakpoint
-- A final status never goes back; the one move out of a final status is SUCCESS → REVERTED, and an
-- open status only moves forward (lib/transactions/status.ts applies the same rule first).
CREATE TRIGGER `transactions_status_forward` BEFORE UPDATE OF `status` ON `transactions`
WHEN OLD.`status` <> NEW.`status` AND (
  (OLD.`status` IN ('SUCCESS', 'CANCELED', 'DECLINED', 'REVERTED', 'EXPIRED', 'FAILED')
    AND NOT (OLD.`status` = 'SUCCESS' AND NEW.`status` = 'REVERTED'))
  OR (OLD.`status` = 'IN_PROGRESS' AND NEW.`status` = 'INITIATED')
)
BEGIN
  SELECT RAISE(ABORT, 'pairdesk_rule:transaction_status_backwards');
END;
