CREATE TABLE `erasure_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`key_id` text NOT NULL,
	`subject_hash` text NOT NULL,
	`chat_hashes` text NOT NULL,
	`email_hashes` text NOT NULL,
	`erased_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `erasure_ledger_subject` ON `erasure_ledger` (`subject_hash`);