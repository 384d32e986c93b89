CREATE TABLE `visitor_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text,
	`chat_id_hash` text,
	`network` text,
	`reason` text,
	`blocked_by` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `visitor_blocks_chat_id` ON `visitor_blocks` (`account_id`,`chat_id_hash`);--> statement-breakpoint
CREATE INDEX `visitor_blocks_network` ON `visitor_blocks` (`account_id`,`network`);--> statement-breakpoint
CREATE INDEX `visitor_blocks_visitor` ON `visitor_blocks` (`visitor_id`);