import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `calendar_recomputations`: publishing a calendar version records it here and the worker recomputes the running
 * clocks in batches, writing its progress and keyset cursor after each batch (docs/calendars.md).
 */
export class CalendarRecomputations1764471400000 implements MigrationInterface {
  name = 'CalendarRecomputations1764471400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "calendar_recomputations" (
         "id" BIGSERIAL NOT NULL,
         "region" text NOT NULL,
         "year" integer NOT NULL,
         "version" integer NOT NULL,
         "state" text NOT NULL DEFAULT 'queued',
         "total" integer,
         "done" integer NOT NULL DEFAULT 0,
         "changed" integer NOT NULL DEFAULT 0,
         "failed" integer NOT NULL DEFAULT 0,
         "batches" integer NOT NULL DEFAULT 0,
         "after_clock_id" uuid,
         "requested_by" text NOT NULL,
         "request_id" text,
         "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "started_at" TIMESTAMP WITH TIME ZONE,
         "finished_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "UQ_calendar_recomputations_version" UNIQUE ("region", "year", "version"),
         CONSTRAINT "CHK_calendar_recomputations_state" CHECK ("state" IN ('queued', 'running', 'done')),
         CONSTRAINT "PK_calendar_recomputations" PRIMARY KEY ("id")
       )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "calendar_recomputations"`);
  }
}
