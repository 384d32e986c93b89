CREATE TABLE `person_links` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`new_email` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_links_token_hash_unique` ON `person_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `person_links_agent` ON `person_links` (`agent_id`,`purpose`);--> statement-breakpoint
ALTER TABLE `agents` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `initials` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `notify_sound` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `notify_desktop` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `notify_missed_mail` integer DEFAULT true NOT NULL;