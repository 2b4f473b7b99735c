CREATE TABLE `agencies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`numbers` text DEFAULT '[]' NOT NULL,
	`serves` text DEFAULT '[]' NOT NULL,
	`webhook_url` text,
	`signing_key_sealed` text,
	`position` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `agency_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` text NOT NULL,
	`digest` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agency_tokens_digest` ON `agency_tokens` (`digest`);--> statement-breakpoint
CREATE TABLE `dispatch_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dispatch_id` text NOT NULL,
	`seq` integer NOT NULL,
	`event` text NOT NULL,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	FOREIGN KEY (`dispatch_id`) REFERENCES `dispatches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dispatch_events_seq` ON `dispatch_events` (`dispatch_id`,`seq`);--> statement-breakpoint
CREATE TABLE `dispatches` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`agency_id` text NOT NULL,
	`requested_at` integer NOT NULL,
	`requested_by` text NOT NULL,
	`brief` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dispatches_incident` ON `dispatches` (`incident_id`);--> statement-breakpoint
CREATE INDEX `dispatches_agency` ON `dispatches` (`agency_id`,`requested_at`);--> statement-breakpoint
CREATE TABLE `incident_calls` (
	`call_id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`how` text NOT NULL,
	`linked_at` integer NOT NULL,
	`by` text NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_calls_incident` ON `incident_calls` (`incident_id`,`linked_at`);--> statement-breakpoint
CREATE TABLE `incident_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_events_incident` ON `incident_events` (`incident_id`,`id`);--> statement-breakpoint
CREATE TABLE `incident_subcategories` (
	`category` text PRIMARY KEY NOT NULL,
	`subcategories` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_created_at` ON `incidents` (`created_at`);--> statement-breakpoint
CREATE TABLE `surge_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`surge_key` text NOT NULL,
	`decision` text NOT NULL,
	`suggestion` text NOT NULL,
	`incident_id` text,
	`announcement_id` integer,
	`event_tag` text,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `surge_decisions_key` ON `surge_decisions` (`surge_key`);--> statement-breakpoint
CREATE TABLE `webhook_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`first_attempt_at` integer,
	`last_error` text,
	`delivered_at` integer,
	`dead_at` integer,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_outbox_key` ON `webhook_outbox` (`agency_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `webhook_outbox_due` ON `webhook_outbox` (`delivered_at`,`dead_at`,`next_attempt_at`);