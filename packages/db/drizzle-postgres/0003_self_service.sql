CREATE TABLE "person_links" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"new_email" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "person_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "initials" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notify_sound" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notify_desktop" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notify_missed_mail" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_links_agent" ON "person_links" USING btree ("agent_id","purpose");