CREATE TABLE `capture_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`capture_id` text NOT NULL,
	`producer_id` integer,
	`user_id` integer,
	`api_client_id` integer,
	`event_count` integer NOT NULL,
	`stored_count` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`api_client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `capture_jobs_capture_id_uq` ON `capture_jobs` (`capture_id`);--> statement-breakpoint
CREATE INDEX `capture_jobs_producer_idx` ON `capture_jobs` (`producer_id`);