CREATE TABLE `mail_limits` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `transcripts_sent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `offline_messages` ADD `mail_held` integer DEFAULT false NOT NULL;