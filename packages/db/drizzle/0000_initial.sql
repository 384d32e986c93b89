CREATE TABLE `access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`route` text NOT NULL,
	`status` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`ip_truncated` text,
	`browser` text,
	`language` text,
	`visitor_id` text
);
--> statement-breakpoint
CREATE INDEX `access_log_at` ON `access_log` (`at`);--> statement-breakpoint
CREATE INDEX `access_log_visitor` ON `access_log` (`visitor_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`organization` text NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`phone` text,
	`im_handle` text,
	`region` text NOT NULL,
	`pre_chat_form` integer DEFAULT false NOT NULL,
	`request_deadline_days` integer DEFAULT 30 NOT NULL,
	`api_key_hash` text,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	CONSTRAINT "accounts_region_code" CHECK(length("accounts"."region") = 2 AND "accounts"."region" = upper("accounts"."region"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_public_key_unique` ON `accounts` (`public_key`);--> statement-breakpoint
CREATE TABLE `agent_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`accepted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_invitations_token_hash_unique` ON `agent_invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `agent_invitations_account` ON `agent_invitations` (`account_id`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`role` text NOT NULL,
	`online` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_email` ON `agents` (`email`);--> statement-breakpoint
CREATE INDEX `agents_account` ON `agents` (`account_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text,
	`account_id` text,
	`action` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_created` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_account` ON `audit_log` (`account_id`);--> statement-breakpoint
CREATE TABLE `consent_records` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text,
	`agent_id` text,
	`scope` text NOT NULL,
	`choice` text NOT NULL,
	`policy_version` text NOT NULL,
	`text_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_records_visitor` ON `consent_records` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `consent_records_account` ON `consent_records` (`account_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`status` text NOT NULL,
	`agent_id` text,
	`started_at` integer NOT NULL,
	`first_response_at` integer,
	`closed_at` integer,
	`rating` integer,
	`rating_comment` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "conversations_rating" CHECK("conversations"."rating" IS NULL OR "conversations"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE INDEX `conversations_account_status` ON `conversations` (`account_id`,`status`);--> statement-breakpoint
CREATE INDEX `conversations_visitor` ON `conversations` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `conversations_closed` ON `conversations` (`closed_at`);--> statement-breakpoint
CREATE TABLE `data_subject_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text,
	`kind` text NOT NULL,
	`received_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`completed_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `dsr_account` ON `data_subject_requests` (`account_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `dsr_visitor` ON `data_subject_requests` (`visitor_id`);--> statement-breakpoint
CREATE TABLE `disclosures` (
	`id` text PRIMARY KEY NOT NULL,
	`requester` text NOT NULL,
	`legal_basis` text NOT NULL,
	`categories` text NOT NULL,
	`account_id` text,
	`received_at` integer NOT NULL,
	`approved_by` text,
	`approved_at` integer,
	`disclosed_at` integer,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `installation_secrets` (
	`name` text NOT NULL,
	`key_id` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`name`, `key_id`)
);
--> statement-breakpoint
CREATE TABLE `marketing_preferences` (
	`account_id` text PRIMARY KEY NOT NULL,
	`opted_in` integer NOT NULL,
	`source` text NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`author` text NOT NULL,
	`agent_id` text,
	`body` text NOT NULL,
	`client_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_client_key` ON `messages` (`conversation_id`,`author`,`client_key`);--> statement-breakpoint
CREATE INDEX `messages_conversation` ON `messages` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_visitor` ON `messages` (`visitor_id`);--> statement-breakpoint
CREATE TABLE `notice_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`account_id` text,
	`visitor_id` text,
	`to_email` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`headers` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `notice_outbox_pending` ON `notice_outbox` (`sent_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `notice_outbox_visitor` ON `notice_outbox` (`visitor_id`);--> statement-breakpoint
CREATE TABLE `offline_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`visitor_id` text,
	`name` text,
	`email` text NOT NULL,
	`body` text NOT NULL,
	`client_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`handled_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `offline_messages_client_key` ON `offline_messages` (`account_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `offline_messages_email` ON `offline_messages` (`account_id`,`email`);--> statement-breakpoint
CREATE TABLE `operator_staff` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operator_staff_email_unique` ON `operator_staff` (`email`);--> statement-breakpoint
CREATE TABLE `payment_cards` (
	`account_id` text PRIMARY KEY NOT NULL,
	`processor_token` text NOT NULL,
	`brand` text NOT NULL,
	`last4` text NOT NULL,
	`exp_month` integer NOT NULL,
	`exp_year` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "payment_cards_last4" CHECK(length("payment_cards"."last4") = 4 AND "payment_cards"."last4" NOT GLOB '*[^0-9]*'),
	CONSTRAINT "payment_cards_token_not_pan" CHECK("payment_cards"."processor_token" NOT GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'),
	CONSTRAINT "payment_cards_exp" CHECK("payment_cards"."exp_month" BETWEEN 1 AND 12 AND "payment_cards"."exp_year" BETWEEN 2000 AND 2100)
);
--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`version` text PRIMARY KEY NOT NULL,
	`date` text NOT NULL,
	`summary` text NOT NULL,
	`content_json` text NOT NULL,
	`significant` integer NOT NULL,
	`published_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `processor_handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`processor_id` text NOT NULL,
	`activity` text NOT NULL,
	`account_id` text,
	`sent_fields` text NOT NULL,
	`dropped_fields` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_kind` text NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_kind`,`user_id`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`chat_id_hash` text,
	`persistent` integer NOT NULL,
	`name` text,
	`email` text,
	`country` text,
	`locale` text,
	`current_page` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visitors_chat_id` ON `visitors` (`account_id`,`chat_id_hash`);--> statement-breakpoint
CREATE INDEX `visitors_email` ON `visitors` (`account_id`,`email`);