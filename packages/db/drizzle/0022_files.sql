CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`author` text NOT NULL,
	`agent_id` text,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`created_at` integer NOT NULL,
	`thumbnail` blob,
	`bytes` blob NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `files_message` ON `files` (`message_id`);--> statement-breakpoint
CREATE INDEX `files_visitor` ON `files` (`visitor_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `files_account` ON `files` (`account_id`,`size`);--> statement-breakpoint
ALTER TABLE `websites` ADD `file_kinds` text DEFAULT '["image","pdf"]' NOT NULL;