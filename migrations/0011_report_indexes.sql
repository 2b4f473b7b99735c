ALTER TABLE `callbacks` ADD `answered_at` integer;--> statement-breakpoint
CREATE INDEX `call_dispositions_call` ON `call_dispositions` (`call_id`,`id`);