DROP INDEX `jobs_kind_idx`;--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`kind`,`status`,`run_at`);