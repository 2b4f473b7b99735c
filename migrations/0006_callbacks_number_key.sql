DROP INDEX `callbacks_number`;--> statement-breakpoint
ALTER TABLE `callbacks` ADD `number_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `callbacks_number_key` ON `callbacks` (`number_key`,`status`);