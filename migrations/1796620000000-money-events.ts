import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Money driven by events (docs/money.md): the month a suspension took effect from (what a resumption pays back when
 * it says so), the arrears owed per entitlement and month, and the household events received, kept by their id so
 * the same event twice changes nothing.
 */
export class MoneyEvents1796620000000 implements MigrationInterface {
  name = 'MoneyEvents1796620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "entitlements" ADD "suspended_from" text`);
    await q.query(`CREATE TABLE "entitlement_arrears" (
      "entitlement_id" uuid NOT NULL,
      "month" text NOT NULL,
      "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "decided_by" text NOT NULL,
      "run_id" uuid,
      CONSTRAINT "PK_entitlement_arrears" PRIMARY KEY ("entitlement_id", "month"),
      CONSTRAINT "FK_entitlement_arrears_entitlement" FOREIGN KEY ("entitlement_id") REFERENCES "entitlements"("id"),
      CONSTRAINT "FK_entitlement_arrears_run" FOREIGN KEY ("run_id") REFERENCES "payment_runs"("id"))`);
    await q.query(
      `CREATE INDEX "IDX_entitlement_arrears_unpaid" ON "entitlement_arrears" ("entitlement_id") WHERE "run_id" IS NULL`,
    );
    await q.query(`CREATE TABLE "household_events" (
      "event_id" text NOT NULL,
      "kind" text NOT NULL,
      "request_hash" text NOT NULL,
      "answer" jsonb NOT NULL,
      "received_by" text NOT NULL,
      "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "request_id" text,
      CONSTRAINT "PK_household_events" PRIMARY KEY ("event_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "household_events"`);
    await q.query(`DROP TABLE "entitlement_arrears"`);
    await q.query(`ALTER TABLE "entitlements" DROP COLUMN "suspended_from"`);
  }
}
