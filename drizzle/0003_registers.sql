CREATE TABLE `locations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`merchant_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`time_zone` text NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_merchant_name_unique` ON `locations` (`merchant_id`,"name" collate nocase) WHERE "locations"."archived_at" is null;--> statement-breakpoint
CREATE TABLE `registers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`register_id` text NOT NULL,
	`merchant_id` integer NOT NULL,
	`location_id` integer NOT NULL,
	`kind` text NOT NULL,
	`parent_id` integer,
	`name` text NOT NULL,
	`external_ref` text,
	`terminal_ref` integer,
	`routed_at` integer,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terminal_ref`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "registers_kind_check" CHECK("kind" in ('physical', 'virtual')),
	CONSTRAINT "registers_parent_check" CHECK(("kind" = 'physical' and "parent_id" is null) or ("kind" = 'virtual' and "parent_id" is not null)),
	CONSTRAINT "registers_archived_unrouted_check" CHECK("archived_at" is null or "terminal_ref" is null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registers_register_id_unique` ON `registers` (`register_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `registers_location_name_unique` ON `registers` (`location_id`,"name" collate nocase) WHERE "registers"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `registers_merchant_external_ref_unique` ON `registers` (`merchant_id`,`external_ref`) WHERE "registers"."external_ref" is not null and "registers"."archived_at" is null;--> statement-breakpoint
CREATE INDEX `registers_terminal_idx` ON `registers` (`terminal_ref`);--> statement-breakpoint
CREATE INDEX `registers_parent_idx` ON `registers` (`parent_id`);--> statement-breakpoint
CREATE INDEX `registers_merchant_location_idx` ON `registers` (`merchant_id`,`location_id`,`name`);--> statement-breakpoint
ALTER TABLE `pairing_attempts` ADD `intended_terminal_ref` integer REFERENCES terminals(id);--> statement-breakpoint
ALTER TABLE `pairing_attempts` ADD `register_ref` integer REFERENCES registers(id);--> statement-breakpoint
ALTER TABLE `pairing_attempts` ADD `warning` text;--> statement-breakpoint
ALTER TABLE `pairings` ADD `replaced_by_id` integer REFERENCES pairings(id);--> statement-breakpoint
-- Pay-Connect pairs a terminal once per integration and environment: "superseded" becomes
-- "replaced", and of several active pairings of one terminal the newest stays active, the older
-- ones are replaced by it (their credentials no longer work on Pay-Connect's side, so their
-- secrets are destroyed, as a replace does) with an audit entry each.
UPDATE `pairings` SET `status` = 'replaced' WHERE `status` = 'superseded';--> statement-breakpoint
CREATE TEMP TABLE `__replaced_0003` AS
  SELECT p.`id` AS `id`, p.`merchant_id` AS `merchant_id`,
    (SELECT n.`id` FROM `pairings` n WHERE n.`terminal_ref` = p.`terminal_ref` AND n.`status` = 'active'
      ORDER BY n.`created_at` DESC, n.`id` DESC LIMIT 1) AS `by_id`
  FROM `pairings` p
  WHERE p.`status` = 'active' AND p.`id` <> (SELECT n.`id` FROM `pairings` n WHERE n.`terminal_ref` = p.`terminal_ref`
    AND n.`status` = 'active' ORDER BY n.`created_at` DESC, n.`id` DESC LIMIT 1);--> statement-breakpoint
UPDATE `pairings` SET `status` = 'replaced', `replaced_by_id` = (SELECT r.`by_id` FROM `__replaced_0003` r WHERE r.`id` = `pairings`.`id`),
  `ended_at` = coalesce(`ended_at`, unixepoch('subsec') * 1000)
  WHERE `id` IN (SELECT `id` FROM `__replaced_0003`);--> statement-breakpoint
DELETE FROM `pairing_secrets` WHERE `pairing_id` IN (SELECT `id` FROM `__replaced_0003`);--> statement-breakpoint
INSERT INTO `audit_log` (`actor_id`, `actor_email`, `merchant_id`, `action`, `target_type`, `target_id`, `details`)
  SELECT NULL, NULL, `merchant_id`, 'pairing.replace', 'pairing', CAST(`id` AS text),
    json_object('replacedBy', `by_id`, 'by', 'migration 0003: one active pairing per terminal')
  FROM `__replaced_0003`;--> statement-breakpoint
DROP TABLE `__replaced_0003`;--> statement-breakpoint
CREATE UNIQUE INDEX `pairings_one_active_per_terminal` ON `pairings` (`terminal_ref`) WHERE "pairings"."status" = 'active';
--> statement-breakpoint
-- The rules the columns cannot say. Each refusal raises "pairdesk_rule:<code>"; lib/registers/rules.ts
-- turns the code into the message a user reads.
CREATE TRIGGER `pairings_status_check_insert` BEFORE INSERT ON `pairings`
  WHEN NEW.`status` NOT IN ('active', 'replaced', 'unpaired')
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:pairing_status'); END;--> statement-breakpoint
CREATE TRIGGER `pairings_status_check_update` BEFORE UPDATE OF `status` ON `pairings`
  WHEN NEW.`status` NOT IN ('active', 'replaced', 'unpaired')
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:pairing_status'); END;--> statement-breakpoint
-- Unpairing a terminal that registers route to: the registers are unrouted first (in the same
-- transaction, by lib/pairing/unpair.ts), never left pointing at a dead pairing.
CREATE TRIGGER `pairings_unpair_routed` BEFORE UPDATE OF `status` ON `pairings`
  WHEN OLD.`status` = 'active' AND NEW.`status` = 'unpaired'
    AND EXISTS (SELECT 1 FROM `registers` r WHERE r.`terminal_ref` = NEW.`terminal_ref`)
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:unpair_routed'); END;--> statement-breakpoint
-- A terminal paired into another merchant: the first merchant's registers are unrouted first.
CREATE TRIGGER `terminals_merchant_routed` BEFORE UPDATE OF `merchant_id` ON `terminals`
  WHEN NEW.`merchant_id` <> OLD.`merchant_id`
    AND EXISTS (SELECT 1 FROM `registers` r WHERE r.`terminal_ref` = NEW.`id` AND r.`merchant_id` <> NEW.`merchant_id`)
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:terminal_merchant_routed'); END;--> statement-breakpoint
CREATE TRIGGER `locations_merchant_fixed` BEFORE UPDATE OF `merchant_id` ON `locations`
  WHEN NEW.`merchant_id` <> OLD.`merchant_id`
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:location_merchant_fixed'); END;--> statement-breakpoint
CREATE TRIGGER `locations_archive_check` BEFORE UPDATE OF `archived_at` ON `locations`
  WHEN NEW.`archived_at` IS NOT NULL AND OLD.`archived_at` IS NULL
    AND EXISTS (SELECT 1 FROM `registers` r WHERE r.`location_id` = NEW.`id` AND r.`archived_at` IS NULL)
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:location_has_registers'); END;--> statement-breakpoint
CREATE TRIGGER `registers_insert_check` BEFORE INSERT ON `registers`
  BEGIN
    SELECT RAISE(ABORT, 'pairdesk_rule:register_location')
      WHERE NOT EXISTS (SELECT 1 FROM `locations` l WHERE l.`id` = NEW.`location_id`
        AND l.`merchant_id` = NEW.`merchant_id` AND l.`archived_at` IS NULL);
    SELECT RAISE(ABORT, 'pairdesk_rule:register_parent')
      WHERE NEW.`kind` = 'virtual' AND NOT EXISTS (SELECT 1 FROM `registers` p WHERE p.`id` = NEW.`parent_id`
        AND p.`kind` = 'physical' AND p.`location_id` = NEW.`location_id` AND p.`archived_at` IS NULL);
    SELECT RAISE(ABORT, 'pairdesk_rule:route_unpaired')
      WHERE NEW.`terminal_ref` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `pairings` p
        WHERE p.`terminal_ref` = NEW.`terminal_ref` AND p.`status` = 'active');
    SELECT RAISE(ABORT, 'pairdesk_rule:route_other_merchant')
      WHERE NEW.`terminal_ref` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `terminals` t
        WHERE t.`id` = NEW.`terminal_ref` AND t.`merchant_id` = NEW.`merchant_id`);
  END;--> statement-breakpoint
CREATE TRIGGER `registers_fixed_columns` BEFORE UPDATE OF `merchant_id`, `location_id`, `kind`, `parent_id`, `register_id` ON `registers`
  WHEN NEW.`merchant_id` <> OLD.`merchant_id` OR NEW.`location_id` <> OLD.`location_id` OR NEW.`kind` <> OLD.`kind`
    OR NEW.`parent_id` IS NOT OLD.`parent_id` OR NEW.`register_id` <> OLD.`register_id`
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:register_fixed'); END;--> statement-breakpoint
CREATE TRIGGER `registers_route_check` BEFORE UPDATE OF `terminal_ref` ON `registers`
  WHEN NEW.`terminal_ref` IS NOT NULL
  BEGIN
    SELECT RAISE(ABORT, 'pairdesk_rule:register_archived') WHERE NEW.`archived_at` IS NOT NULL;
    SELECT RAISE(ABORT, 'pairdesk_rule:route_unpaired')
      WHERE NOT EXISTS (SELECT 1 FROM `pairings` p WHERE p.`terminal_ref` = NEW.`terminal_ref` AND p.`status` = 'active');
    SELECT RAISE(ABORT, 'pairdesk_rule:route_other_merchant')
      WHERE NOT EXISTS (SELECT 1 FROM `terminals` t WHERE t.`id` = NEW.`terminal_ref` AND t.`merchant_id` = NEW.`merchant_id`);
  END;--> statement-breakpoint
CREATE TRIGGER `registers_archive_check` BEFORE UPDATE OF `archived_at` ON `registers`
  WHEN NEW.`archived_at` IS NOT NULL AND OLD.`archived_at` IS NULL
    AND EXISTS (SELECT 1 FROM `registers` c WHERE c.`parent_id` = NEW.`id` AND c.`archived_at` IS NULL)
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:register_has_virtual'); END;--> statement-breakpoint
CREATE TRIGGER `registers_unarchive_check` BEFORE UPDATE OF `archived_at` ON `registers`
  WHEN NEW.`archived_at` IS NULL AND OLD.`archived_at` IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'pairdesk_rule:register_archived'); END;
