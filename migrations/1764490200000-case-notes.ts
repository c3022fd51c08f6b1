import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `case_notes`: staff free text of a case (a reviewer's comment, a step's findings, the summary of an objection
 * received by staff, the reason of an extension), stored only encrypted (AES-256-GCM, bound to its purpose). Events,
 * outbox rows and queue jobs carry the note's reference `case-note:<id>`, never the text (docs/api.md "The applicant's
 * view").
 */
export class CaseNotes1764490200000 implements MigrationInterface {
  name = 'CaseNotes1764490200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "case_notes" (
      "id" uuid NOT NULL,
      "case_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "body_encrypted" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_case_notes" PRIMARY KEY ("id"),
      CONSTRAINT "FK_case_notes_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(`CREATE INDEX "IDX_case_notes_case" ON "case_notes" ("case_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "case_notes"`);
  }
}
