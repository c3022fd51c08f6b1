import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Money and dynamic management (docs/money.md): entitlements as records of their own, the monthly payment runs and
 * their lines. A line is unique per (entitlement, month) in the database, so a run that is retried, restarted or
 * started twice pays nobody twice; a returned line is moved into a later run, never copied.
 */
export class Money1764490500000 implements MigrationInterface {
  name = 'Money1764490500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "entitlements" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "case_id" uuid NOT NULL,
      "applicant_id" uuid NOT NULL,
      "item_code" text NOT NULL,
      "kind" text NOT NULL,
      "division" text NOT NULL,
      "district" text NOT NULL,
      "bank" text NOT NULL DEFAULT 'unassigned',
      "schedule" text NOT NULL,
      "monthly_amount_fen" bigint NOT NULL,
      "basis" jsonb NOT NULL DEFAULT '{}',
      "start_month" text NOT NULL,
      "end_month" text,
      "status" text NOT NULL DEFAULT 'active',
      "status_reason" text,
      "version" integer NOT NULL DEFAULT 0,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_entitlements" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_entitlements_case_kind" UNIQUE ("case_id", "kind"),
      CONSTRAINT "FK_entitlements_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"),
      CONSTRAINT "CHK_entitlements_status" CHECK ("status" IN ('active', 'suspended', 'gradual-exit', 'ended')),
      CONSTRAINT "CHK_entitlements_schedule" CHECK ("schedule" IN ('monthly', 'one-off')),
      CONSTRAINT "CHK_entitlements_amount" CHECK ("monthly_amount_fen" >= 0),
      CONSTRAINT "CHK_entitlements_months" CHECK (
        "start_month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' AND ("end_month" IS NULL OR "end_month" >= "start_month")))`);
    await q.query(`CREATE INDEX "IDX_entitlements_status" ON "entitlements" ("status", "id")`);

    await q.query(`CREATE TABLE "payment_runs" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "month" text NOT NULL,
      "state" text NOT NULL DEFAULT 'building',
      "candidates" integer,
      "examined" integer NOT NULL DEFAULT 0,
      "batches" integer NOT NULL DEFAULT 0,
      "after_entitlement_id" uuid,
      "requested_by" text NOT NULL,
      "request_id" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "ready_at" TIMESTAMP WITH TIME ZONE,
      "exported_at" TIMESTAMP WITH TIME ZONE,
      "confirmed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_payment_runs" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_payment_runs_month" UNIQUE ("month"),
      CONSTRAINT "CHK_payment_runs_state" CHECK ("state" IN ('building', 'ready', 'exported', 'confirmed')))`);

    await q.query(`CREATE TABLE "payment_lines" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "run_id" uuid NOT NULL,
      "entitlement_id" uuid NOT NULL,
      "month" text NOT NULL,
      "amount_fen" bigint NOT NULL,
      "item_code" text NOT NULL,
      "district" text NOT NULL,
      "division" text NOT NULL,
      "bank" text NOT NULL,
      "status" text NOT NULL DEFAULT 'pending',
      "return_reason" text,
      "carried_from_run_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "settled_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_payment_lines" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_payment_lines_entitlement_month" UNIQUE ("entitlement_id", "month"),
      CONSTRAINT "FK_payment_lines_run" FOREIGN KEY ("run_id") REFERENCES "payment_runs"("id"),
      CONSTRAINT "FK_payment_lines_entitlement" FOREIGN KEY ("entitlement_id") REFERENCES "entitlements"("id"),
      CONSTRAINT "CHK_payment_lines_status" CHECK ("status" IN ('pending', 'paid', 'returned', 'corrected')),
      CONSTRAINT "CHK_payment_lines_amount" CHECK ("amount_fen" >= 0))`);
    await q.query(`CREATE INDEX "IDX_payment_lines_run" ON "payment_lines" ("run_id", "district", "bank")`);
    await q.query(
      `CREATE INDEX "IDX_payment_lines_corrected" ON "payment_lines" ("status") WHERE "status" = 'corrected'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "payment_lines"`);
    await q.query(`DROP TABLE "payment_runs"`);
    await q.query(`DROP TABLE "entitlements"`);
  }
}
