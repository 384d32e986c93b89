CREATE TABLE "page_visits" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"account_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"path" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "browser" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "system" text;--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "context_pages" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "context_local_time" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "context_country" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "context_browser" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "websites" ADD COLUMN "context_history" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "page_visits" ADD CONSTRAINT "page_visits_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "page_visits_conversation" ON "page_visits" USING btree ("conversation_id","at");