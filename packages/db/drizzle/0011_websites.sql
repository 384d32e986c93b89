CREATE TABLE `websites` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`public_key` text NOT NULL,
	`name` text NOT NULL,
	`origins` text NOT NULL,
	`color` text NOT NULL,
	`position` text NOT NULL,
	`launcher_label` text,
	`greeting` text,
	`agent_display` text NOT NULL,
	`languages` text NOT NULL,
	`pre_chat_name` text NOT NULL,
	`pre_chat_email` text NOT NULL,
	`hours` text,
	`transcripts` integer NOT NULL,
	`ratings` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "websites_color" CHECK(length("websites"."color") = 7 AND "websites"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `websites_public_key_unique` ON `websites` (`public_key`);--> statement-breakpoint
CREATE INDEX `websites_account` ON `websites` (`account_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `website_id` text;--> statement-breakpoint
-- Every account gets one website carrying its public key and pre-chat choice, so its snippets keep working.
INSERT INTO `websites` (`id`, `account_id`, `public_key`, `name`, `origins`, `color`, `position`, `launcher_label`, `greeting`, `agent_display`, `languages`, `pre_chat_name`, `pre_chat_email`, `hours`, `transcripts`, `ratings`, `created_at`)
SELECT 'web_' || `id`, `id`, `public_key`, `organization`, '[]', '#2a5d9f', 'right', NULL, NULL, 'name', '["en"]', CASE WHEN `pre_chat_form` THEN 'optional' ELSE 'off' END, CASE WHEN `pre_chat_form` THEN 'required' ELSE 'off' END, NULL, 1, 1, `created_at` FROM `accounts`;
