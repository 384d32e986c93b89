CREATE TABLE `page_visits` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`path` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `page_visits_conversation` ON `page_visits` (`conversation_id`,`at`);--> statement-breakpoint
ALTER TABLE `visitors` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `browser` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `system` text;--> statement-breakpoint
ALTER TABLE `websites` ADD `context_pages` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `websites` ADD `context_local_time` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `websites` ADD `context_country` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `websites` ADD `context_browser` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `websites` ADD `context_history` integer DEFAULT false NOT NULL;