-- A migration as an ORM would generate it: every statement here is unsafe on a busy table.
ALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL;
ALTER TABLE "users" RENAME COLUMN "nme" TO "name";
CREATE INDEX "users_plan_idx" ON "users"("plan");
ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email");
