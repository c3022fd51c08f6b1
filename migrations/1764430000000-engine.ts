import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the engine's own queries: the reconciler reads sent commands of the last days, and the separation
 * of duties check and the staff case view read a case's tasks.
 */
export class Engine1764430000000 implements MigrationInterface {
  name = 'Engine1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_outbox_sent_commands" ON "outbox" ("sent_at") WHERE "kind" = 'case.command' AND "sent_at" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "IDX_tasks_case" ON "tasks" ("case_id", "closed_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_tasks_case"`);
    await q.query(`DROP INDEX "IDX_outbox_sent_commands"`);
  }
}
