ALTER TABLE `pairings` ADD `credentials_refused_at` integer;--> statement-breakpoint
ALTER TABLE `pairings` ADD `credentials_refused_reason` text;--> statement-breakpoint
ALTER TABLE `transactions` ADD `conflict_at` integer;--> statement-breakpoint
ALTER TABLE `transactions` ADD `conflict_note` text;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `conflict` text;