CREATE TABLE `call_offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`target` text NOT NULL,
	`channel_id` text NOT NULL,
	`decided_at` integer NOT NULL,
	`offered_at` integer NOT NULL,
	`ended_at` integer,
	`outcome` text,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_offers_channel_id_unique` ON `call_offers` (`channel_id`);--> statement-breakpoint
CREATE INDEX `call_offers_call` ON `call_offers` (`call_id`);--> statement-breakpoint
CREATE TABLE `callbacks` (
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`number` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`operator_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`outcome` text,
	`matched_call_id` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `callbacks_call_id_unique` ON `callbacks` (`call_id`);--> statement-breakpoint
CREATE INDEX `callbacks_number` ON `callbacks` (`number`,`status`);--> statement-breakpoint
CREATE TABLE `operator_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operator_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`trigger` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `operator_events_operator` ON `operator_events` (`operator_id`,`at`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint` text NOT NULL,
	`state` text NOT NULL,
	`pause_reason` text,
	`state_since` integer NOT NULL,
	`idle_since` integer NOT NULL,
	`languages` text DEFAULT '["id","en"]' NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`call_id` text
);
--> statement-breakpoint
ALTER TABLE `calls` ADD `connected_at` integer;--> statement-breakpoint
ALTER TABLE `calls` ADD `operator_id` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `queue_wait_ms` integer;--> statement-breakpoint
ALTER TABLE `calls` ADD `recording_name` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `recording_deleted_at` integer;