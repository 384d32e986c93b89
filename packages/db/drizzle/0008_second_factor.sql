CREATE TABLE `recovery_codes` (
	`factor_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`factor_id`, `code_hash`),
	FOREIGN KEY (`factor_id`) REFERENCES `second_factors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `second_factors` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text,
	`staff_id` text,
	`secret` text NOT NULL,
	`confirmed_at` integer,
	`last_step` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_id`) REFERENCES `operator_staff`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "second_factors_one_person" CHECK(("second_factors"."agent_id" IS NULL) <> ("second_factors"."staff_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `second_factors_agent` ON `second_factors` (`agent_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `second_factors_staff` ON `second_factors` (`staff_id`);