ALTER TABLE `consent_records` ADD `language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `pending_signups` ADD `language` text DEFAULT 'en' NOT NULL;