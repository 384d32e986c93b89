ALTER TABLE "conversations" ADD COLUMN "visitor_seen_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "visitor_seen_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "agent_seen_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "agent_seen_at" bigint;