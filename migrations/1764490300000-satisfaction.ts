import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `case_satisfaction`: one answer of the satisfaction survey per closed case (docs/api.md "Satisfaction"): a score
 * 1–5 and reason codes, with the item, office and department of the case copied so operators' reports by item, office
 * and month read this table alone. The primary key makes a second answer impossible.
 */
export class Satisfaction1764490300000 implements MigrationInterface {
  name = 'Satisfaction1764490300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "case_satisfaction" (
      "case_id" uuid NOT NULL,
      "portal_id" uuid NOT NULL,
      "item_code" text NOT NULL,
      "department_code" text NOT NULL,
      "office_division" text NOT NULL,
      "score" smallint NOT NULL,
      "reasons" text[] NOT NULL,
      "submitted_at" timestamptz NOT NULL,
      CONSTRAINT "PK_case_satisfaction" PRIMARY KEY ("case_id"),
      CONSTRAINT "CHK_case_satisfaction_score" CHECK ("score" BETWEEN 1 AND 5),
      CONSTRAINT "FK_case_satisfaction_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(`CREATE INDEX "IDX_case_satisfaction_submitted" ON "case_satisfaction" ("submitted_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "case_satisfaction"`);
  }
}
