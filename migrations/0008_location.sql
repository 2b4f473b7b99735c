CREATE TABLE `aml_pending` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`received_at` integer NOT NULL,
	`message` text NOT NULL,
	`raw` text NOT NULL,
	`attached_call_id` text,
	`attached_at` integer
);
--> statement-breakpoint
CREATE INDEX `aml_pending_number` ON `aml_pending` (`number`,`received_at`);--> statement-breakpoint
CREATE TABLE `intake_rejections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`intake` text NOT NULL,
	`sender` text NOT NULL,
	`reason` text NOT NULL,
	`call_id` text,
	`raw` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `intake_rejections_at` ON `intake_rejections` (`at`);--> statement-breakpoint
CREATE TABLE `kecamatan_maps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uploaded_at` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`geojson` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `landlines` (
	`number` text PRIMARY KEY NOT NULL,
	`civic` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`label` text DEFAULT '' NOT NULL,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `location_fixes` (
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`source` text NOT NULL,
	`shape` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`accuracy_m` real,
	`confidence_pct` real,
	`altitude_m` real,
	`vertical_accuracy_m` real,
	`method` text NOT NULL,
	`geometry` text DEFAULT '{}' NOT NULL,
	`fixed_at` integer,
	`received_at` integer NOT NULL,
	`number` text NOT NULL,
	`kecamatan` text,
	`kecamatan_touched` text DEFAULT '[]' NOT NULL,
	`entered_by` text,
	`confirms_fix_id` text,
	`raw` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `location_fixes_call` ON `location_fixes` (`call_id`,`received_at`);--> statement-breakpoint
ALTER TABLE `calls` ADD `caller_number_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `calls_caller_number_key` ON `calls` (`caller_number_key`,`arrived_at`);