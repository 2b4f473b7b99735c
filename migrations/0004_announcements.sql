CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`texts` text NOT NULL,
	`key` text NOT NULL,
	`event_tag` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer
);
