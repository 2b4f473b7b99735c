CREATE TABLE `ivr_activations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`previous_version` integer,
	`action` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ivr_active_flows` (
	`flow_id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`activated_at` integer NOT NULL,
	FOREIGN KEY (`version`) REFERENCES `ivr_flow_versions`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ivr_flow_versions` (
	`version` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`flow_id` text NOT NULL,
	`document` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ivr_flow_versions_flow` ON `ivr_flow_versions` (`flow_id`,`version`);