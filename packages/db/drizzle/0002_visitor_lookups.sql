DROP INDEX `messages_visitor`;--> statement-breakpoint
DROP INDEX `consent_records_visitor`;--> statement-breakpoint
CREATE INDEX `consent_records_visitor` ON `consent_records` (`visitor_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `notice_outbox_email` ON `notice_outbox` (`to_email`);--> statement-breakpoint
CREATE INDEX `offline_messages_visitor` ON `offline_messages` (`account_id`,`visitor_id`);