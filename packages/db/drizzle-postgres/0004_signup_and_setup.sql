CREATE TABLE "installation_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	CONSTRAINT "installation_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "pending_signups" (
	"id" text PRIMARY KEY NOT NULL,
	"organization" text NOT NULL,
	"owner_name" text NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"phone" text,
	"im_handle" text,
	"token_hash" text NOT NULL,
	"policy_version" text NOT NULL,
	"text_hash" text NOT NULL,
	"mails_sent" integer NOT NULL,
	"last_mailed_at" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "pending_signups_email_unique" UNIQUE("email"),
	CONSTRAINT "pending_signups_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE INDEX "installation_tokens_kind" ON "installation_tokens" USING btree ("kind","expires_at");