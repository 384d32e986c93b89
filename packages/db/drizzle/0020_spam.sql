ALTER TABLE `conversations` ADD `spam_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `spam_reported_by` text;