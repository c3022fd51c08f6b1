import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The official calendar as versioned data (a correction is a new version of the same region and year; the highest
 * wins, older ones stay for the record), operator alerts (a deadline that cannot be counted because a year is not
 * published is an alert, never a guess), and the timer bookkeeping of `case_clocks`: when the reminder is due and
 * when escalation and the end of a waiting period fired, so each fires once.
 */
export class Calendars1764440000000 implements MigrationInterface {
  name = 'Calendars1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "calendars" (
      "id" bigserial NOT NULL,
      "region" text NOT NULL,
      "year" integer NOT NULL,
      "version" integer NOT NULL,
      "body" jsonb NOT NULL,
      "published_by" text NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "source" text NOT NULL,
      CONSTRAINT "UQ_calendars_region_year_version" UNIQUE ("region", "year", "version"),
      CONSTRAINT "PK_calendars" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "operator_alerts" (
      "id" bigserial NOT NULL,
      "kind" text NOT NULL,
      "key" text NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      "occurrences" integer NOT NULL DEFAULT 1,
      "first_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "resolved_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_operator_alerts" PRIMARY KEY ("id"))`);
    // One open alert per cause: a portal asking a thousand times for 2027 raises one alert with a count.
    await q.query(
      `CREATE UNIQUE INDEX "UQ_operator_alerts_open" ON "operator_alerts" ("kind", "key") WHERE "resolved_at" IS NULL`,
    );
    await q.query(`ALTER TABLE "case_clocks" ADD "remind_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "case_clocks" ADD "escalated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "case_clocks" ADD "ended_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "ended_at"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "escalated_at"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "remind_at"`);
    await q.query(`DROP TABLE "operator_alerts"`);
    await q.query(`DROP TABLE "calendars"`);
  }
}
