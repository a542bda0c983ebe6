CREATE TABLE `activations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`print_run_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`first_serial` integer NOT NULL,
	`last_serial` integer NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`print_run_id`) REFERENCES `print_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "activations_range_ck" CHECK("activations"."last_serial" >= "activations"."first_serial")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `activations_first_serial_uq` ON `activations` (`first_serial`);--> statement-breakpoint
CREATE INDEX `activations_batch_idx` ON `activations` (`batch_id`);--> statement-breakpoint
CREATE TABLE `allocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`print_run_id` integer NOT NULL,
	`producer_id` integer NOT NULL,
	`first_serial` integer NOT NULL,
	`last_serial` integer NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`print_run_id`) REFERENCES `print_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "allocations_range_ck" CHECK("allocations"."last_serial" >= "allocations"."first_serial")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `allocations_first_serial_uq` ON `allocations` (`first_serial`);--> statement-breakpoint
CREATE INDEX `allocations_producer_idx` ON `allocations` (`producer_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`user_id` integer,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`detail` text,
	`request_id` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`producer_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`lot_code` text NOT NULL,
	`production_date` text NOT NULL,
	`expiry_date` text,
	`quantity` integer NOT NULL,
	`unit` text DEFAULT 'gói' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batches_product_lot_uq` ON `batches` (`product_id`,`lot_code`);--> statement-breakpoint
CREATE INDEX `batches_producer_idx` ON `batches` (`producer_id`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`producer_id` integer NOT NULL,
	`product_id` integer,
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`issuer` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `certificates_producer_idx` ON `certificates` (`producer_id`);--> statement-breakpoint
CREATE TABLE `print_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`first_serial` integer NOT NULL,
	`last_serial` integer NOT NULL,
	`quantity` integer NOT NULL,
	`key_id` integer NOT NULL,
	`note` text,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "print_runs_range_ck" CHECK("print_runs"."last_serial" = "print_runs"."first_serial" + "print_runs"."quantity" - 1 and "print_runs"."quantity" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `print_runs_first_serial_uq` ON `print_runs` (`first_serial`);--> statement-breakpoint
CREATE TABLE `producers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`tax_code` text NOT NULL,
	`address` text NOT NULL,
	`province` text NOT NULL,
	`district` text,
	`gln` text,
	`phone` text,
	`distribution_area` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `producers_tax_code_uq` ON `producers` (`tax_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `producers_gln_uq` ON `producers` (`gln`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`producer_id` integer NOT NULL,
	`name` text NOT NULL,
	`gtin` text NOT NULL,
	`category` text NOT NULL,
	`ocop_stars` integer,
	`image_url` text,
	`description` text,
	`shelf_life_days` integer,
	`standards` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "products_ocop_stars_ck" CHECK("products"."ocop_stars" is null or "products"."ocop_stars" between 1 and 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_gtin_uq` ON `products` (`gtin`);--> statement-breakpoint
CREATE INDEX `products_producer_idx` ON `products` (`producer_id`);--> statement-breakpoint
CREATE TABLE `scans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` integer NOT NULL,
	`channel` text NOT NULL,
	`scanned_at` integer NOT NULL,
	`country` text,
	`region` text,
	`city` text,
	`latitude` real,
	`longitude` real,
	`session_hash` text
);
--> statement-breakpoint
CREATE INDEX `scans_serial_idx` ON `scans` (`serial`,`scanned_at`);--> statement-breakpoint
CREATE TABLE `stamps` (
	`serial` integer PRIMARY KEY NOT NULL,
	`scan_count` integer DEFAULT 0 NOT NULL,
	`first_scan_at` integer NOT NULL,
	`first_scan_country` text,
	`first_scan_region` text,
	`first_scan_city` text,
	`last_scan_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`producer_id` integer,
	`disabled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `voids` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`first_serial` integer NOT NULL,
	`last_serial` integer NOT NULL,
	`reason` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "voids_range_ck" CHECK("voids"."last_serial" >= "voids"."first_serial")
);
--> statement-breakpoint
CREATE INDEX `voids_first_serial_idx` ON `voids` (`first_serial`);