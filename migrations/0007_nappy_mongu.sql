ALTER TABLE `payouts` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `decided_at` integer;--> statement-breakpoint
CREATE INDEX `payouts_status_idx` ON `payouts` (`status`,`created_at`);