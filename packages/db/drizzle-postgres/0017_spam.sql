ALTER TABLE "conversations" ADD COLUMN "spam_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "spam_reported_by" text;