CREATE TABLE `error_declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trace_event_id` integer NOT NULL,
	`declared_at` integer NOT NULL,
	`reason` text NOT NULL,
	`explanation` text,
	`corrective_event_ids` text NOT NULL,
	`declared_by` integer,
	`api_client_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`trace_event_id`) REFERENCES `trace_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`api_client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `error_declarations_event_uq` ON `error_declarations` (`trace_event_id`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`producer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`province_code` text NOT NULL,
	`commune_code` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`gln` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`deactivated_at` integer,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "locations_codes_ck" CHECK("locations"."province_code" glob '[0-9][0-9]' and "locations"."commune_code" glob '[0-9][0-9][0-9][0-9][0-9]'),
	CONSTRAINT "locations_gln_ck" CHECK("locations"."gln" is null or ("locations"."gln" glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and "locations"."gln" <> '0000000000000')),
	CONSTRAINT "locations_coordinates_ck" CHECK(("locations"."latitude" is null and "locations"."longitude" is null) or ("locations"."latitude" is not null and "locations"."longitude" is not null and "locations"."latitude" between -90 and 90 and "locations"."longitude" between -180 and 180))
);
--> statement-breakpoint
CREATE INDEX `locations_producer_idx` ON `locations` (`producer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `locations_gln_uq` ON `locations` (`gln`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`producer_id` integer NOT NULL,
	`name` text NOT NULL,
	`tax_code` text,
	`gln` text,
	`address` text,
	`province_code` text,
	`commune_code` text,
	`linked_producer_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`deactivated_at` integer,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`linked_producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "partners_codes_ck" CHECK(("partners"."province_code" is null or "partners"."province_code" glob '[0-9][0-9]') and ("partners"."commune_code" is null or ("partners"."province_code" is not null and "partners"."commune_code" glob '[0-9][0-9][0-9][0-9][0-9]'))),
	CONSTRAINT "partners_gln_ck" CHECK("partners"."gln" is null or ("partners"."gln" glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and "partners"."gln" <> '0000000000000'))
);
--> statement-breakpoint
CREATE INDEX `partners_producer_idx` ON `partners` (`producer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `partners_producer_tax_code_uq` ON `partners` (`producer_id`,`tax_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `partners_producer_gln_uq` ON `partners` (`producer_id`,`gln`);--> statement-breakpoint
CREATE UNIQUE INDEX `partners_producer_linked_uq` ON `partners` (`producer_id`,`linked_producer_id`);--> statement-breakpoint
CREATE TABLE `trace_event_lots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trace_event_id` integer NOT NULL,
	`role` text NOT NULL,
	`epc` text NOT NULL,
	`canonical_epc` text NOT NULL,
	`epc_kind` text NOT NULL,
	`quantity` real,
	`uom` text,
	`batch_id` integer,
	FOREIGN KEY (`trace_event_id`) REFERENCES `trace_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trace_event_lots_event_role_epc_uq` ON `trace_event_lots` (`trace_event_id`,`role`,`epc`);--> statement-breakpoint
CREATE INDEX `trace_event_lots_canonical_idx` ON `trace_event_lots` (`canonical_epc`,`role`);--> statement-breakpoint
CREATE INDEX `trace_event_lots_epc_idx` ON `trace_event_lots` (`epc`);--> statement-breakpoint
CREATE INDEX `trace_event_lots_batch_idx` ON `trace_event_lots` (`batch_id`);--> statement-breakpoint
CREATE TABLE `trace_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`stage` text,
	`type` text NOT NULL,
	`action` text,
	`biz_step` text,
	`disposition` text,
	`event_time` integer NOT NULL,
	`event_time_zone_offset` text NOT NULL,
	`record_time` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`producer_id` integer,
	`location_id` integer,
	`read_point` text,
	`biz_location` text,
	`source_partner_id` integer,
	`destination_partner_id` integer,
	`recorded_by` integer,
	`api_client_id` integer,
	`document` text NOT NULL,
	FOREIGN KEY (`producer_id`) REFERENCES `producers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`destination_partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`api_client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trace_events_event_id_uq` ON `trace_events` (`event_id`);--> statement-breakpoint
CREATE INDEX `trace_events_time_idx` ON `trace_events` (`event_time`);--> statement-breakpoint
CREATE INDEX `trace_events_producer_time_idx` ON `trace_events` (`producer_id`,`event_time`);--> statement-breakpoint
CREATE INDEX `trace_events_type_time_idx` ON `trace_events` (`type`,`event_time`);--> statement-breakpoint
CREATE INDEX `trace_events_biz_step_time_idx` ON `trace_events` (`biz_step`,`event_time`);--> statement-breakpoint
CREATE INDEX `trace_events_read_point_idx` ON `trace_events` (`read_point`);--> statement-breakpoint
CREATE INDEX `trace_events_biz_location_idx` ON `trace_events` (`biz_location`);--> statement-breakpoint
CREATE INDEX `trace_events_location_idx` ON `trace_events` (`location_id`);--> statement-breakpoint
CREATE INDEX `trace_events_source_partner_idx` ON `trace_events` (`source_partner_id`);--> statement-breakpoint
CREATE INDEX `trace_events_destination_partner_idx` ON `trace_events` (`destination_partner_id`);--> statement-breakpoint
-- Trace events, their lot links and error declarations are append-only: the engine refuses to
-- change or remove their rows (a wrong event is corrected by an error declaration, never edited).
CREATE TRIGGER `trace_events_no_update` BEFORE UPDATE ON `trace_events`
BEGIN SELECT RAISE(ABORT, 'trace_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `trace_events_no_delete` BEFORE DELETE ON `trace_events`
BEGIN SELECT RAISE(ABORT, 'trace_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `trace_event_lots_no_update` BEFORE UPDATE ON `trace_event_lots`
BEGIN SELECT RAISE(ABORT, 'trace_event_lots is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `trace_event_lots_no_delete` BEFORE DELETE ON `trace_event_lots`
BEGIN SELECT RAISE(ABORT, 'trace_event_lots is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `error_declarations_no_update` BEFORE UPDATE ON `error_declarations`
BEGIN SELECT RAISE(ABORT, 'error_declarations is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `error_declarations_no_delete` BEFORE DELETE ON `error_declarations`
BEGIN SELECT RAISE(ABORT, 'error_declarations is append-only'); END;
