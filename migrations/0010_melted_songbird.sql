ALTER TABLE `products` ADD `cover_telegram_file_id` text;--> statement-breakpoint
ALTER TABLE `products` ADD `deleted_at` integer;