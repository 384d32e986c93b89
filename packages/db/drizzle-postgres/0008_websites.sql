CREATE TABLE "websites" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"public_key" text NOT NULL,
	"name" text NOT NULL,
	"origins" jsonb NOT NULL,
	"color" text NOT NULL,
	"position" text NOT NULL,
	"launcher_label" text,
	"greeting" text,
	"agent_display" text NOT NULL,
	"languages" jsonb NOT NULL,
	"pre_chat_name" text NOT NULL,
	"pre_chat_email" text NOT NULL,
	"hours" jsonb,
	"transcripts" boolean NOT NULL,
	"ratings" boolean NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "websites_public_key_unique" UNIQUE("public_key"),
	CONSTRAINT "websites_color" CHECK ("websites"."color" ~ '^#[0-9a-f]{6}$')
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "website_id" text;--> statement-breakpoint
ALTER TABLE "websites" ADD CONSTRAINT "websites_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "websites_account" ON "websites" USING btree ("account_id");--> statement-breakpoint
-- Every account gets one website carrying its public key and pre-chat choice, so its snippets keep working.
INSERT INTO "websites" ("id", "account_id", "public_key", "name", "origins", "color", "position", "launcher_label", "greeting", "agent_display", "languages", "pre_chat_name", "pre_chat_email", "hours", "transcripts", "ratings", "created_at")
SELECT 'web_' || "id", "id", "public_key", "organization", '[]'::jsonb, '#2a5d9f', 'right', NULL, NULL, 'name', '["en"]'::jsonb, CASE WHEN "pre_chat_form" THEN 'optional' ELSE 'off' END, CASE WHEN "pre_chat_form" THEN 'required' ELSE 'off' END, NULL, TRUE, TRUE, "created_at" FROM "accounts";
