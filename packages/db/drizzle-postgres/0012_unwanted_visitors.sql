CREATE TABLE "visitor_blocks" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"visitor_id" text,
	"chat_id_hash" text,
	"network" text,
	"reason" text,
	"blocked_by" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "visitor_blocks" ADD CONSTRAINT "visitor_blocks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visitor_blocks_chat_id" ON "visitor_blocks" USING btree ("account_id","chat_id_hash");--> statement-breakpoint
CREATE INDEX "visitor_blocks_network" ON "visitor_blocks" USING btree ("account_id","network");--> statement-breakpoint
CREATE INDEX "visitor_blocks_visitor" ON "visitor_blocks" USING btree ("visitor_id");