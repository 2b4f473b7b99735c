CREATE INDEX `calls_connected_at` ON `calls` (`connected_at`);--> statement-breakpoint
CREATE INDEX `calls_open` ON `calls` (`arrived_at`) WHERE "calls"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX `calls_state` ON `calls` (`state`);