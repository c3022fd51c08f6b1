import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An entitlement's schedule may be `instalments`: a 临时救助 paid in more than one instalment (docs/money.md
 * "Entitlements"). Rows written before keep `one-off`, whatever their number of instalments: their schedule is in
 * `basis.instalments`, which the payment run reads, so nothing they pay changes.
 */
export class InstalmentSchedule1796690000000 implements MigrationInterface {
  name = 'InstalmentSchedule1796690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "entitlements" DROP CONSTRAINT "CHK_entitlements_schedule"`);
    await q.query(
      `ALTER TABLE "entitlements" ADD CONSTRAINT "CHK_entitlements_schedule"
         CHECK ("schedule" IN ('monthly', 'one-off', 'instalments'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "entitlements" SET "schedule" = 'one-off' WHERE "schedule" = 'instalments'`);
    await q.query(`ALTER TABLE "entitlements" DROP CONSTRAINT "CHK_entitlements_schedule"`);
    await q.query(
      `ALTER TABLE "entitlements" ADD CONSTRAINT "CHK_entitlements_schedule" CHECK ("schedule" IN ('monthly', 'one-off'))`,
    );
  }
}
