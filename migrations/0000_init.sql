CREATE TABLE `call_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `call_events_call` ON `call_events` (`call_id`,`id`);--> statement-breakpoint
CREATE TABLE `calls` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`caller_number` text NOT NULL,
	`caller_name` text DEFAULT '' NOT NULL,
	`dialled_number` text NOT NULL,
	`state` text NOT NULL,
	`end_reason` text,
	`fallback_reason` text,
	`arrived_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calls_channel_id_unique` ON `calls` (`channel_id`);--> statement-breakpoint
CREATE INDEX `calls_arrived_at` ON `calls` (`arrived_at`);--> statement-breakpoint
CREATE INDEX `calls_dialled_arrived` ON `calls` (`dialled_number`,`arrived_at`);--> statement-breakpoint
CREATE TABLE `cdr_import` (
	`source` text PRIMARY KEY NOT NULL,
	`inode` integer NOT NULL,
	`offset` integer NOT NULL
);
