DROP INDEX `entitlements_order_uq`;--> statement-breakpoint
DROP INDEX `ledger_account_idx`;--> statement-breakpoint
DROP INDEX `ledger_order_idx`;--> statement-breakpoint
DROP INDEX `ledger_seller_idx`;--> statement-breakpoint
CREATE INDEX `ledger_seller_idx` ON `ledger_entries` (`seller_id`,`currency`) WHERE "ledger_entries"."seller_id" is not null;--> statement-breakpoint
DROP INDEX `payment_events_payment_idx`;--> statement-breakpoint
DROP INDEX `payment_events_flag_idx`;--> statement-breakpoint
CREATE INDEX `payment_events_flag_idx` ON `payment_events` (`flag`) WHERE "payment_events"."flag" is not null;--> statement-breakpoint
DROP INDEX `orders_buyer_product_idx`;--> statement-breakpoint
CREATE INDEX `orders_buyer_product_idx` ON `orders` (`buyer_id`,`product_id`);