CREATE TABLE `email_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`purpose` text NOT NULL,
	`email` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts_left` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`change` text,
	`used_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `email_codes_subject_idx` ON `email_codes` (`subject`,`created_at`);--> statement-breakpoint
ALTER TABLE `sellers` ADD `email_verified_at` integer;--> statement-breakpoint
ALTER TABLE `sellers` ADD `suspended_reason` text;