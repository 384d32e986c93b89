CREATE TABLE "files" (
	"id" text PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"account_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"author" text NOT NULL,
	"agent_id" text,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"created_at" bigint NOT NULL,
	"thumbnail" "bytea",
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "file_kinds" jsonb DEFAULT '["image","pdf"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "files_message" ON "files" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "files_visitor" ON "files" USING btree ("visitor_id","account_id");--> statement-breakpoint
CREATE INDEX "files_account" ON "files" USING btree ("account_id","size");