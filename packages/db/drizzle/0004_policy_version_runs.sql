CREATE TABLE `policy_version_runs` (
	`version` text PRIMARY KEY NOT NULL,
	`first_run_at` integer NOT NULL,
	`notice_queued_at` integer,
	`in_force_at` integer NOT NULL
);
--> statement-breakpoint
-- Versions published before this table existed came into force when they were published.
INSERT INTO `policy_version_runs` (`version`, `first_run_at`, `notice_queued_at`, `in_force_at`) SELECT `version`, `published_at`, NULL, `published_at` FROM `policy_versions`;
