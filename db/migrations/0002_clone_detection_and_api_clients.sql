CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` integer NOT NULL,
	`rule` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`producer_id` integer,
	`product_id` integer,
	`region` text,
	`detail` text,
	`report_text` text,
	`report_contact` text,
	`report_shop` text,
	`opened_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`closed_at` integer,
	`closed_by` integer,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_serial_rule_uq` ON `alerts` (`serial`,`rule`) WHERE "alerts"."rule" <> 'consumer_report';--> statement-breakpoint
CREATE INDEX `alerts_status_idx` ON `alerts` (`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `api_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`producer_id` integer,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_key_hash_uq` ON `api_clients` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_clients_producer_idx` ON `api_clients` (`producer_id`);--> statement-breakpoint
CREATE TABLE `api_usage` (
	`api_client_id` integer NOT NULL,
	`window_start` integer NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`codes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`api_client_id`, `window_start`),
	FOREIGN KEY (`api_client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pin_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` integer NOT NULL,
	`session_hash` text,
	`at` integer NOT NULL,
	`result` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pin_attempts_serial_idx` ON `pin_attempts` (`serial`,`at`);--> statement-breakpoint
CREATE INDEX `pin_attempts_session_idx` ON `pin_attempts` (`session_hash`,`at`);--> statement-breakpoint
ALTER TABLE `batches` ADD `recalled_at` integer;--> statement-breakpoint
ALTER TABLE `batches` ADD `recall_reason` text;--> statement-breakpoint
ALTER TABLE `scans` ADD `api_client_id` integer;--> statement-breakpoint
ALTER TABLE `stamps` ADD `pin_confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `stamps` ADD `pin_confirm_country` text;--> statement-breakpoint
ALTER TABLE `stamps` ADD `pin_confirm_region` text;--> statement-breakpoint
ALTER TABLE `stamps` ADD `pin_confirm_city` text;--> statement-breakpoint
ALTER TABLE `stamps` ADD `pin_confirmations` integer DEFAULT 0 NOT NULL;