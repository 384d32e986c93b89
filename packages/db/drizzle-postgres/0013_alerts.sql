CREATE TABLE "offline_replies" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"offline_message_id" text NOT NULL,
	"visitor_id" text,
	"agent_id" text,
	"email" text NOT NULL,
	"body" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "missed_mail_at" bigint;--> statement-breakpoint
ALTER TABLE "offline_replies" ADD CONSTRAINT "offline_replies_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_replies" ADD CONSTRAINT "offline_replies_offline_message_id_offline_messages_id_fk" FOREIGN KEY ("offline_message_id") REFERENCES "public"."offline_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_replies" ADD CONSTRAINT "offline_replies_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offline_replies_message" ON "offline_replies" USING btree ("offline_message_id","created_at");--> statement-breakpoint
CREATE INDEX "offline_replies_visitor" ON "offline_replies" USING btree ("account_id","visitor_id");--> statement-breakpoint
CREATE INDEX "offline_replies_email" ON "offline_replies" USING btree ("account_id","email");