import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Foundation1764403200000 implements MigrationInterface {
  name = 'Foundation1764403200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "worker_heartbeats" (
      "worker_id" text NOT NULL,
      "beat_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "beats" integer NOT NULL DEFAULT 0,
      "job_id" text NOT NULL,
      CONSTRAINT "PK_worker_heartbeats" PRIMARY KEY ("worker_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "worker_heartbeats"`);
  }
}
