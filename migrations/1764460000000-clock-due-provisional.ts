import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `due_provisional`: a clock's due date was counted in a provisional calendar (a year drafted from the statutory
 * rules, or a regional notice not yet confirmed), so every answer that shows it can say so without reading the
 * explanation. Written with `due_at` (engine, calendar recomputation); only a clock with a due date can have one.
 * Existing rows take it from their stored explanation: the count lists the provisional layers it used.
 * The SLA board shows it per step, so the board's index covers it too (the board stays an index-only read).
 */

const boardIndex = (included: string) =>
  `CREATE INDEX "IDX_case_clocks_board" ON "case_clocks"
     (("sla_attention_at"("due_at", "remind_at", "reminded_at", "breached_at")))
   INCLUDE ("kind", "due_at", "remind_at", "reminded_at", "breached_at", "department_code", "office", "case_id",
            "clock"${included})
   WHERE "stopped_at" IS NULL AND "paused_at" IS NULL`;

export class ClockDueProvisional1764460000000 implements MigrationInterface {
  name = 'ClockDueProvisional1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_clocks" ADD "due_provisional" boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE "case_clocks" SET "due_provisional" = true
       WHERE "due_at" IS NOT NULL AND jsonb_typeof("explanation"->'count'->'unconfirmed') = 'array'
         AND jsonb_array_length("explanation"->'count'->'unconfirmed') > 0`,
    );
    await q.query(
      `ALTER TABLE "case_clocks" ADD CONSTRAINT "CHK_case_clocks_provisional_due"
       CHECK (NOT "due_provisional" OR "due_at" IS NOT NULL)`,
    );
    await q.query(`DROP INDEX "IDX_case_clocks_board"`);
    await q.query(boardIndex(', "due_provisional"'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_clocks_board"`);
    await q.query(boardIndex(''));
    await q.query(`ALTER TABLE "case_clocks" DROP CONSTRAINT "CHK_case_clocks_provisional_due"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "due_provisional"`);
  }
}
