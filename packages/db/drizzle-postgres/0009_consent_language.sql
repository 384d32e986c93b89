ALTER TABLE "consent_records" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_signups" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;