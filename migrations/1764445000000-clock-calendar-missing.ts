import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A running clock whose count reaches a year with no published calendar has no due time (fail closed,
 * never a guess: docs/clocks.md): `due_at` is NULL and `calendar_missing` names the calendar it waits for
 * (`national/2027`). Its timers are not armed; publishing that year computes the due date and arms them. Exactly one of
 * the two is set.
 */
export class ClockCalendarMissing1764445000000 implements MigrationInterface {
  name = 'ClockCalendarMissing1764445000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_clocks" ALTER COLUMN "due_at" DROP NOT NULL`);
    await q.query(`ALTER TABLE "case_clocks" ADD "calendar_missing" text`);
    await q.query(
      `ALTER TABLE "case_clocks" ADD CONSTRAINT "CHK_case_clocks_due_or_missing"
       CHECK (("due_at" IS NULL) <> ("calendar_missing" IS NULL))`,
    );
    // Publishing a year looks up the clocks waiting for it.
    await q.query(
      `CREATE INDEX "IDX_case_clocks_calendar_missing" ON "case_clocks" ("calendar_missing")
       WHERE "calendar_missing" IS NOT NULL AND "stopped_at" IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_clocks_calendar_missing"`);
    await q.query(`ALTER TABLE "case_clocks" DROP CONSTRAINT "CHK_case_clocks_due_or_missing"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "calendar_missing"`);
    await q.query(`ALTER TABLE "case_clocks" ALTER COLUMN "due_at" SET NOT NULL`);
  }
}
