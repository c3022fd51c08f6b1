import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `decision_request` on `tasks`: the reviewer's last decision request on the task, as the gateway recorded it and
 * the engine answered it (`requested`, then `accepted` or `refused` with the machine's reason). While a request
 * waits for the engine the task's status is `deciding`; only the engine sets it `decided` or back to `open`
 * (docs/architecture.md invariant 12). Tasks decided before this keep NULL.
 */
export class TaskDecisionRequest1764490000000 implements MigrationInterface {
  name = 'TaskDecisionRequest1764490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "decision_request" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "decision_request"`);
  }
}
