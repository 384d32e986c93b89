CREATE TABLE `offline_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`offline_message_id` text NOT NULL,
	`visitor_id` text,
	`agent_id` text,
	`email` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`offline_message_id`) REFERENCES `offline_messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `offline_replies_message` ON `offline_replies` (`offline_message_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `offline_replies_visitor` ON `offline_replies` (`account_id`,`visitor_id`);--> statement-breakpoint
CREATE INDEX `offline_replies_email` ON `offline_replies` (`account_id`,`email`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `missed_mail_at` integer;