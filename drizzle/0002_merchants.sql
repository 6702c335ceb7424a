-- Merchants. Terminals, pairings and pairing attempts now belong to one merchant, users with a
-- merchant role to one, and audit entries record the merchant they are about.
-- Runs with foreign keys off (lib/db/open.ts checks them all after the migrations): tables are
-- rebuilt the SQLite way (create new, copy, drop, rename), and a DROP TABLE with foreign keys on
-- would cascade-delete the vault's rows.
CREATE TABLE `merchants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`external_ref` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	CONSTRAINT "merchants_status_check" CHECK("status" in ('active', 'suspended'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `merchants_name_unique` ON `merchants` ("name" collate nocase);--> statement-breakpoint
CREATE UNIQUE INDEX `merchants_external_ref_unique` ON `merchants` (`external_ref`) WHERE "merchants"."external_ref" is not null;--> statement-breakpoint
-- Nothing is orphaned: the data from before merchants moves into "Default merchant", created only
-- when there is data to move (a fresh database starts with no merchant).
INSERT INTO `merchants` (`name`)
	SELECT 'Default merchant'
	WHERE EXISTS (SELECT 1 FROM `terminals`) OR EXISTS (SELECT 1 FROM `pairing_attempts`);--> statement-breakpoint
CREATE TABLE `__new_terminals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`merchant_id` integer NOT NULL,
	`environment` text NOT NULL,
	`terminal_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_terminals` (`id`, `merchant_id`, `environment`, `terminal_id`, `created_at`, `updated_at`)
	SELECT `id`, (SELECT min(`id`) FROM `merchants`), `environment`, `terminal_id`, `created_at`, `updated_at` FROM `terminals`;--> statement-breakpoint
DROP TABLE `terminals`;--> statement-breakpoint
ALTER TABLE `__new_terminals` RENAME TO `terminals`;--> statement-breakpoint
CREATE UNIQUE INDEX `terminals_environment_terminal_id_unique` ON `terminals` (`environment`,`terminal_id`);--> statement-breakpoint
CREATE INDEX `terminals_terminal_id_idx` ON `terminals` (`terminal_id`);--> statement-breakpoint
CREATE INDEX `terminals_merchant_terminal_id_idx` ON `terminals` (`merchant_id`,`terminal_id`);--> statement-breakpoint
CREATE TABLE `__new_pairings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`terminal_ref` integer NOT NULL,
	`merchant_id` integer NOT NULL,
	`pay_connect_id` text NOT NULL,
	`name` text NOT NULL,
	`client_id` text NOT NULL,
	`webhook_url` text,
	`webhook_token` text,
	`has_webhook_secret` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`attempt_id` integer,
	`created_by_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`ended_at` integer,
	`ended_by_id` integer,
	FOREIGN KEY (`terminal_ref`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `pairing_attempts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_pairings` (`id`, `terminal_ref`, `merchant_id`, `pay_connect_id`, `name`, `client_id`, `webhook_url`, `webhook_token`, `has_webhook_secret`, `status`, `attempt_id`, `created_by_id`, `created_at`, `ended_at`, `ended_by_id`)
	SELECT `id`, `terminal_ref`, (SELECT min(`id`) FROM `merchants`), `pay_connect_id`, `name`, `client_id`, `webhook_url`, `webhook_token`, `has_webhook_secret`, `status`, `attempt_id`, `created_by_id`, `created_at`, `ended_at`, `ended_by_id` FROM `pairings`;--> statement-breakpoint
DROP TABLE `pairings`;--> statement-breakpoint
ALTER TABLE `__new_pairings` RENAME TO `pairings`;--> statement-breakpoint
CREATE INDEX `pairings_terminal_status_idx` ON `pairings` (`terminal_ref`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `pairings_status_idx` ON `pairings` (`status`);--> statement-breakpoint
CREATE INDEX `pairings_pay_connect_id_idx` ON `pairings` (`pay_connect_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pairings_webhook_token_unique` ON `pairings` (`webhook_token`);--> statement-breakpoint
CREATE TABLE `__new_pairing_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_key` text NOT NULL,
	`merchant_id` integer NOT NULL,
	`environment` text NOT NULL,
	`name` text NOT NULL,
	`webhook_url` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`error_code` text,
	`terminal_id` text,
	`pairing_id` integer,
	`created_by_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	`recovered_at` integer,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_pairing_attempts` (`id`, `request_key`, `merchant_id`, `environment`, `name`, `webhook_url`, `status`, `reason`, `error_code`, `terminal_id`, `pairing_id`, `created_by_id`, `created_at`, `finished_at`, `recovered_at`)
	SELECT `id`, `request_key`, (SELECT min(`id`) FROM `merchants`), `environment`, `name`, `webhook_url`, `status`, `reason`, `error_code`, `terminal_id`, `pairing_id`, `created_by_id`, `created_at`, `finished_at`, `recovered_at` FROM `pairing_attempts`;--> statement-breakpoint
DROP TABLE `pairing_attempts`;--> statement-breakpoint
ALTER TABLE `__new_pairing_attempts` RENAME TO `pairing_attempts`;--> statement-breakpoint
CREATE UNIQUE INDEX `pairing_attempts_request_key_unique` ON `pairing_attempts` (`request_key`);--> statement-breakpoint
CREATE INDEX `pairing_attempts_created_at_idx` ON `pairing_attempts` (`created_at`);--> statement-breakpoint
CREATE INDEX `pairing_attempts_status_idx` ON `pairing_attempts` (`status`);--> statement-breakpoint
CREATE INDEX `pairing_attempts_merchant_created_at_idx` ON `pairing_attempts` (`merchant_id`,`created_at`);--> statement-breakpoint
-- Every user so far is staff: merchant_id stays null, which the role rule requires.
CREATE TABLE `__new_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`merchant_id` integer,
	`session_version` integer DEFAULT 1 NOT NULL,
	`disabled_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role_merchant_check" CHECK(("role" in ('merchant-admin', 'merchant-viewer') and "merchant_id" is not null) or ("role" in ('admin', 'support', 'viewer') and "merchant_id" is null))
);
--> statement-breakpoint
INSERT INTO `__new_users` (`id`, `email`, `name`, `password_hash`, `role`, `merchant_id`, `session_version`, `disabled_at`, `created_at`, `updated_at`)
	SELECT `id`, `email`, `name`, `password_hash`, `role`, NULL, `session_version`, `disabled_at`, `created_at`, `updated_at` FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_merchant_idx` ON `users` (`merchant_id`);--> statement-breakpoint
-- Audit entries about terminals, pairings and attempts are the Default merchant's; the others
-- (sign-ins, users, exports: all by staff so far) stay staff-only.
ALTER TABLE `audit_log` ADD `merchant_id` integer REFERENCES merchants(id);--> statement-breakpoint
UPDATE `audit_log` SET `merchant_id` = (SELECT min(`id`) FROM `merchants`)
	WHERE `target_type` IN ('terminal', 'pairing', 'pairing_attempt') OR `action` LIKE 'pairing.%';--> statement-breakpoint
CREATE INDEX `audit_log_merchant_at_idx` ON `audit_log` (`merchant_id`,`at`);
