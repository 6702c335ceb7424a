PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_transaction_operations` (
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
	CONSTRAINT "transaction_operations_kind_check" CHECK("kind" in ('charge', 'preauth', 'cancel', 'refund', 'revert', 'independent_refund', 'preauth_complete', 'preauth_increment')),
	CONSTRAINT "transaction_operations_status_check" CHECK("status" in ('pending', 'sent', 'succeeded', 'failed', 'outcome_unknown'))
);
--> statement-breakpoint
INSERT INTO `__new_transaction_operations`("id", "request_key", "kind", "merchant_id", "environment", "terminal_ref", "pairing_id", "register_ref", "transaction_ref", "result_transaction_ref", "amount", "payment_method", "client_transaction_id", "provider_operation_id", "provider_status", "status", "error_code", "reason", "next_poll_at", "poll_count", "created_by_id", "created_at", "finished_at") SELECT "id", "request_key", "kind", "merchant_id", "environment", "terminal_ref", "pairing_id", "register_ref", "transaction_ref", "result_transaction_ref", "amount", "payment_method", "client_transaction_id", "provider_operation_id", "provider_status", "status", "error_code", "reason", "next_poll_at", "poll_count", "created_by_id", "created_at", "finished_at" FROM `transaction_operations`;--> statement-breakpoint
DROP TABLE `transaction_operations`;--> statement-breakpoint
ALTER TABLE `__new_transaction_operations` RENAME TO `transaction_operations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_operations_request_key_unique` ON `transaction_operations` (`request_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_operations_client_transaction_id_unique` ON `transaction_operations` (`environment`,`client_transaction_id`) WHERE "transaction_operations"."client_transaction_id" is not null;--> statement-breakpoint
CREATE INDEX `transaction_operations_transaction_idx` ON `transaction_operations` (`transaction_ref`,`id`);--> statement-breakpoint
CREATE INDEX `transaction_operations_result_idx` ON `transaction_operations` (`result_transaction_ref`);--> statement-breakpoint
CREATE INDEX `transaction_operations_merchant_created_idx` ON `transaction_operations` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `transaction_operations_next_poll_idx` ON `transaction_operations` (`next_poll_at`) WHERE "transaction_operations"."next_poll_at" is not null;