ALTER TABLE `calls` ADD `category` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `priority` integer;--> statement-breakpoint
ALTER TABLE `calls` ADD `language` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `ivr_version` integer;--> statement-breakpoint
ALTER TABLE `calls` ADD `enqueued_at` integer;