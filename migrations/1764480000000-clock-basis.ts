import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `evidence` and `basis` on `case_clocks`: each clock keeps how well its limit is backed, and whether the law sets
 * it (`statutory`: a breach escalates) or it is a service target built on a local practice or an assumption
 * (`target`: it reminds and shows on the SLA board, never escalates). Clocks started before this keep the
 * behaviour they had (`statutory`, evidence `unknown`). The SLA board lists the basis per step, so its index
 * covers it (the board stays an index-only read).
 */

const boardIndex = (included: string) =>
  `CREATE INDEX "IDX_case_clocks_board" ON "case_clocks"
     (("sla_attention_at"("due_at", "remind_at", "reminded_at", "breached_at")))
   INCLUDE ("kind", "due_at", "remind_at", "reminded_at", "breached_at", "department_code", "office", "case_id",
            "clock", "due_provisional"${included})
   WHERE "stopped_at" IS NULL AND "paused_at" IS NULL`;

export class ClockBasis1764480000000 implements MigrationInterface {
  name = 'ClockBasis1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_clocks" ADD "evidence" text NOT NULL DEFAULT 'unknown'`);
    await q.query(`ALTER TABLE "case_clocks" ADD "basis" text NOT NULL DEFAULT 'statutory'`);
    await q.query(
      `ALTER TABLE "case_clocks" ADD CONSTRAINT "CHK_case_clocks_basis" CHECK ("basis" IN ('statutory', 'target'))`,
    );
    await q.query(`DROP INDEX "IDX_case_clocks_board"`);
    await q.query(boardIndex(', "basis"'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_clocks_board"`);
    await q.query(boardIndex(''));
    await q.query(`ALTER TABLE "case_clocks" DROP CONSTRAINT "CHK_case_clocks_basis"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "basis"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "evidence"`);
  }
}
