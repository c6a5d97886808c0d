ALTER TABLE `products` ADD `cover_sha256` text;--> statement-breakpoint
ALTER TABLE `products` ADD `cover_type` text;