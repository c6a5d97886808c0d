ALTER TABLE `payment_events` ADD `handled_at` integer;--> statement-breakpoint
ALTER TABLE `payment_events` ADD `handled_by` text;--> statement-breakpoint
ALTER TABLE `payment_events` ADD `handled_note` text;