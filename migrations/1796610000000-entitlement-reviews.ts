import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Periodic review (动态管理, docs/money.md "Periodic review"): each reviewed entitlement's next review date and the
 * rule it came from, and one review row per (entitlement, review date), so a review sweep run twice opens it once.
 * A review the household answered keeps when and to whom (`responded_at`, `responded_by`) and the street office's
 * own decision limit (`decide_by`), counted from the answer.
 */
export class EntitlementReviews1796610000000 implements MigrationInterface {
  name = 'EntitlementReviews1796610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "entitlements" ADD COLUMN "next_review_on" date, ADD COLUMN "review_basis" jsonb`);
    await q.query(
      `CREATE INDEX "IDX_entitlements_next_review" ON "entitlements" ("next_review_on", "id") WHERE "status" = 'active'`,
    );
    await q.query(`CREATE TABLE "entitlement_reviews" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "entitlement_id" uuid NOT NULL,
      "case_id" uuid NOT NULL,
      "division" text NOT NULL,
      "due_on" date NOT NULL,
      "status" text NOT NULL DEFAULT 'open',
      "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "respond_by" TIMESTAMP WITH TIME ZONE,
      "calendar_missing" text,
      "limit_basis" jsonb NOT NULL DEFAULT '{}',
      "outcome" text,
      "decision" jsonb,
      "decided_by" text,
      "closed_at" TIMESTAMP WITH TIME ZONE,
      "responded_at" TIMESTAMP WITH TIME ZONE,
      "responded_by" text,
      "response" jsonb,
      "decide_by" TIMESTAMP WITH TIME ZONE,
      "decide_calendar_missing" text,
      "decide_limit_basis" jsonb,
      CONSTRAINT "PK_entitlement_reviews" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_entitlement_reviews_entitlement_due" UNIQUE ("entitlement_id", "due_on"),
      CONSTRAINT "FK_entitlement_reviews_entitlement" FOREIGN KEY ("entitlement_id") REFERENCES "entitlements"("id"),
      CONSTRAINT "FK_entitlement_reviews_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"),
      CONSTRAINT "CHK_entitlement_reviews_status" CHECK ("status" IN ('open', 'decided', 'lapsed')),
      CONSTRAINT "CHK_entitlement_reviews_outcome" CHECK (
        "outcome" IS NULL OR "outcome" IN ('continue', 'adjust', 'suspend', 'gradual-exit', 'end')))`);
    // At most one open review per entitlement.
    await q.query(
      `CREATE UNIQUE INDEX "UQ_entitlement_reviews_open" ON "entitlement_reviews" ("entitlement_id") WHERE "status" = 'open'`,
    );
    await q.query(
      `CREATE INDEX "IDX_entitlement_reviews_open" ON "entitlement_reviews" ("respond_by") WHERE "status" = 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "entitlement_reviews"`);
    await q.query(`DROP INDEX "IDX_entitlements_next_review"`);
    await q.query(`ALTER TABLE "entitlements" DROP COLUMN "review_basis", DROP COLUMN "next_review_on"`);
  }
}
