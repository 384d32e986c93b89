CREATE TABLE `installation_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installation_tokens_token_hash_unique` ON `installation_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `installation_tokens_kind` ON `installation_tokens` (`kind`,`expires_at`);--> statement-breakpoint
CREATE TABLE `pending_signups` (
	`id` text PRIMARY KEY NOT NULL,
	`organization` text NOT NULL,
	`owner_name` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`phone` text,
	`im_handle` text,
	`token_hash` text NOT NULL,
	`policy_version` text NOT NULL,
	`text_hash` text NOT NULL,
	`mails_sent` integer NOT NULL,
	`last_mailed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_signups_email_unique` ON `pending_signups` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `pending_signups_token_hash_unique` ON `pending_signups` (`token_hash`);