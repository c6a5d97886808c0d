-- The five tables a payment writes to keep plain rowids instead of AUTOINCREMENT: with it, each
-- insert also rewrote the sqlite_sequence row of its table, one more page (of ~22) in every paid
-- order's transaction (22.3 -> 21.1 WAL pages per applied IPN). Ids still grow: a new row takes
-- the largest id + 1. Only an id deleted while the largest can come back, and of these tables
-- only jobs lose rows (a dead job discarded by the operator; the audit keeps what it was).
-- Each table is copied whole, ids kept, once at the upgrade: 2.75 s for 200,000 paid orders (their
-- 1.4 million rows in these tables, each IPN's body included) on the 2-core test machine.
-- (PRAGMA foreign_keys cannot change inside the migration's transaction; no table refers to these.)
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_jobs` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`unique_key` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`run_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_jobs`("id", "kind", "payload", "unique_key", "status", "attempts", "max_attempts", "run_at", "lease_until", "last_error", "finished_at", "created_at", "updated_at") SELECT "id", "kind", "payload", "unique_key", "status", "attempts", "max_attempts", "run_at", "lease_until", "last_error", "finished_at", "created_at", "updated_at" FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_unique_key_uq` ON `jobs` (`unique_key`) WHERE "jobs"."unique_key" is not null;--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`kind`,`status`,`run_at`);--> statement-breakpoint
CREATE TABLE `__new_entitlements` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`product_id` text NOT NULL,
	`order_id` text NOT NULL,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_entitlements`("id", "user_id", "product_id", "order_id", "revoked_at", "created_at") SELECT "id", "user_id", "product_id", "order_id", "revoked_at", "created_at" FROM `entitlements`;--> statement-breakpoint
DROP TABLE `entitlements`;--> statement-breakpoint
ALTER TABLE `__new_entitlements` RENAME TO `entitlements`;--> statement-breakpoint
CREATE UNIQUE INDEX `entitlements_user_product_uq` ON `entitlements` (`user_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `__new_ledger_entries` (
	`id` integer PRIMARY KEY NOT NULL,
	`account` text NOT NULL,
	`seller_id` integer,
	`order_id` text,
	`payout_id` integer,
	`kind` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`seller_id`) REFERENCES `sellers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payout_id`) REFERENCES `payouts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_ledger_entries`("id", "account", "seller_id", "order_id", "payout_id", "kind", "amount_cents", "currency", "created_at") SELECT "id", "account", "seller_id", "order_id", "payout_id", "kind", "amount_cents", "currency", "created_at" FROM `ledger_entries`;--> statement-breakpoint
DROP TABLE `ledger_entries`;--> statement-breakpoint
ALTER TABLE `__new_ledger_entries` RENAME TO `ledger_entries`;--> statement-breakpoint
CREATE INDEX `ledger_seller_idx` ON `ledger_entries` (`seller_id`,`currency`) WHERE "ledger_entries"."seller_id" is not null;--> statement-breakpoint
CREATE TABLE `__new_order_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_order_events`("id", "order_id", "from_status", "to_status", "actor", "reason", "created_at") SELECT "id", "order_id", "from_status", "to_status", "actor", "reason", "created_at" FROM `order_events`;--> statement-breakpoint
DROP TABLE `order_events`;--> statement-breakpoint
ALTER TABLE `__new_order_events` RENAME TO `order_events`;--> statement-breakpoint
CREATE INDEX `order_events_order_idx` ON `order_events` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `__new_payment_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`provider_payment_id` text NOT NULL,
	`payment_id` integer,
	`status` text NOT NULL,
	`amount` text,
	`dedupe_key` text NOT NULL,
	`raw` text NOT NULL,
	`flag` text,
	`received_at` integer NOT NULL,
	`applied_at` integer,
	`handled_at` integer,
	`handled_by` text,
	`handled_note` text,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_payment_events`("id", "provider", "provider_payment_id", "payment_id", "status", "amount", "dedupe_key", "raw", "flag", "received_at", "applied_at", "handled_at", "handled_by", "handled_note") SELECT "id", "provider", "provider_payment_id", "payment_id", "status", "amount", "dedupe_key", "raw", "flag", "received_at", "applied_at", "handled_at", "handled_by", "handled_note" FROM `payment_events`;--> statement-breakpoint
DROP TABLE `payment_events`;--> statement-breakpoint
ALTER TABLE `__new_payment_events` RENAME TO `payment_events`;--> statement-breakpoint
CREATE UNIQUE INDEX `payment_events_dedupe_uq` ON `payment_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `payment_events_flag_idx` ON `payment_events` (`flag`) WHERE "payment_events"."flag" is not null;