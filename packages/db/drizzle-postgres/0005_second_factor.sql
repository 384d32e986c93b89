CREATE TABLE "recovery_codes" (
	"factor_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "recovery_codes_factor_id_code_hash_pk" PRIMARY KEY("factor_id","code_hash")
);
--> statement-breakpoint
CREATE TABLE "second_factors" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text,
	"staff_id" text,
	"secret" text NOT NULL,
	"confirmed_at" bigint,
	"last_step" bigint,
	"created_at" bigint NOT NULL,
	CONSTRAINT "second_factors_one_person" CHECK (("second_factors"."agent_id" IS NULL) <> ("second_factors"."staff_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_factor_id_second_factors_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."second_factors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_factors" ADD CONSTRAINT "second_factors_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_factors" ADD CONSTRAINT "second_factors_staff_id_operator_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."operator_staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "second_factors_agent" ON "second_factors" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "second_factors_staff" ON "second_factors" USING btree ("staff_id");