CREATE TABLE "erasure_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key_id" text NOT NULL,
	"subject_hash" text NOT NULL,
	"chat_hashes" jsonb NOT NULL,
	"email_hashes" jsonb NOT NULL,
	"erased_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "erasure_ledger_subject" ON "erasure_ledger" USING btree ("subject_hash");