CREATE TABLE "account_suspensions" (
	"account_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"suspended_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"thread_id" text NOT NULL,
	"account_id" text NOT NULL,
	"author" text NOT NULL,
	"agent_id" text,
	"staff_id" text,
	"body" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_threads" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"agent_id" text,
	"subject" text NOT NULL,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_message_at" bigint NOT NULL,
	"last_author" text NOT NULL,
	"account_read_at" bigint,
	"staff_read_at" bigint,
	"closed_at" bigint
);
--> statement-breakpoint
ALTER TABLE "operator_staff" ADD COLUMN "role" text DEFAULT 'admin' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_suspensions" ADD CONSTRAINT "account_suspensions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_thread_id_support_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."support_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_threads" ADD CONSTRAINT "support_threads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_messages_thread" ON "support_messages" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "support_threads_account" ON "support_threads" USING btree ("account_id","last_message_at");