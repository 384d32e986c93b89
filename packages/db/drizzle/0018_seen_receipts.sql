ALTER TABLE `conversations` ADD `visitor_seen_id` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `visitor_seen_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `agent_seen_id` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `agent_seen_at` integer;