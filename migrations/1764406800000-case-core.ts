import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The core of a case's life: portals and their keys, applicants (identity encrypted, looked up by keyed hash),
 * cases (machine id, version, snapshot, optimistic version), the append-only event chain, the outbox, reviewer
 * tasks, statutory clocks, idempotency records and the audit log. Indexes follow the queries that run hot: the
 * outbox relay, the reviewer inbox, the open-case rule and the SLA board.
 */
export class CaseCore1764406800000 implements MigrationInterface {
  name = 'CaseCore1764406800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "portals" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" text NOT NULL,
      "allowed_items" text array NOT NULL DEFAULT '{}',
      "rate_limit_per_minute" integer NOT NULL DEFAULT 600,
      "webhook_url" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "disabled_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_portals_name" UNIQUE ("name"),
      CONSTRAINT "PK_portals" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "portal_api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "portal_id" uuid NOT NULL,
      "prefix" text NOT NULL,
      "key_hash" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_portal_api_keys_prefix" UNIQUE ("prefix"),
      CONSTRAINT "PK_portal_api_keys" PRIMARY KEY ("id"),
      CONSTRAINT "FK_portal_api_keys_portal" FOREIGN KEY ("portal_id") REFERENCES "portals"("id"))`);
    await q.query(`CREATE TABLE "applicants" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "id_number_hash" text NOT NULL,
      "id_number_encrypted" text NOT NULL,
      "name_encrypted" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_applicants_id_number_hash" UNIQUE ("id_number_hash"),
      CONSTRAINT "PK_applicants" PRIMARY KEY ("id"))`);
    await q.query(`CREATE SEQUENCE "case_tracking_seq"`);
    await q.query(`CREATE TABLE "cases" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "tracking_number" text NOT NULL,
      "item_code" text NOT NULL,
      "procedure_id" text NOT NULL,
      "machine_id" text NOT NULL,
      "machine_version" integer NOT NULL,
      "snapshot" jsonb,
      "status" text NOT NULL,
      "current_steps" text array NOT NULL DEFAULT '{}',
      "applicant_id" uuid NOT NULL,
      "portal_id" uuid,
      "portal_reference" text,
      "department_code" text NOT NULL,
      "accepting_division" text NOT NULL,
      "approving_division" text NOT NULL,
      "application_encrypted" text NOT NULL,
      "facts" jsonb NOT NULL DEFAULT '{}',
      "entitlement" jsonb,
      "version" integer NOT NULL DEFAULT 0,
      "last_event_seq" integer NOT NULL DEFAULT 0,
      "last_event_hash" text,
      "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "closed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_cases_tracking_number" UNIQUE ("tracking_number"),
      CONSTRAINT "PK_cases" PRIMARY KEY ("id"),
      CONSTRAINT "FK_cases_applicant" FOREIGN KEY ("applicant_id") REFERENCES "applicants"("id"),
      CONSTRAINT "FK_cases_portal" FOREIGN KEY ("portal_id") REFERENCES "portals"("id"))`);
    // One open case per applicant per item (the intake rule), enforced by the database, not by a read-then-write.
    await q.query(
      `CREATE UNIQUE INDEX "UQ_cases_open_per_applicant_item" ON "cases" ("applicant_id", "item_code") WHERE "closed_at" IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_cases_portal_reference" ON "cases" ("portal_id", "portal_reference") WHERE "portal_reference" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_cases_office_status" ON "cases" ("department_code", "accepting_division", "status")`,
    );
    await q.query(`CREATE TABLE "case_events" (
      "case_id" uuid NOT NULL,
      "seq" integer NOT NULL,
      "id" uuid NOT NULL,
      "type" text NOT NULL,
      "actor" text NOT NULL,
      "payload" jsonb NOT NULL DEFAULT '{}',
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "request_id" text,
      "prev_hash" text,
      "hash" text NOT NULL,
      CONSTRAINT "UQ_case_events_id" UNIQUE ("id"),
      CONSTRAINT "PK_case_events" PRIMARY KEY ("case_id", "seq"),
      CONSTRAINT "FK_case_events_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(`CREATE TABLE "outbox" (
      "id" bigserial NOT NULL,
      "case_id" uuid,
      "kind" text NOT NULL,
      "payload" jsonb NOT NULL DEFAULT '{}',
      "request_id" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "sent_at" TIMESTAMP WITH TIME ZONE,
      "attempts" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_outbox" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_outbox_unsent" ON "outbox" ("id") WHERE "sent_at" IS NULL`);
    await q.query(`CREATE TABLE "tasks" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "case_id" uuid NOT NULL,
      "step" text NOT NULL,
      "kind" text NOT NULL,
      "level" text NOT NULL,
      "department_code" text NOT NULL,
      "division_code" text NOT NULL,
      "item_code" text NOT NULL,
      "status" text NOT NULL DEFAULT 'open',
      "outcomes" text array NOT NULL DEFAULT '{}',
      "reject_reasons" text array NOT NULL DEFAULT '{}',
      "details" jsonb NOT NULL DEFAULT '{}',
      "priority" integer NOT NULL DEFAULT 0,
      "due_at" TIMESTAMP WITH TIME ZONE,
      "claimed_by" text,
      "claimed_at" TIMESTAMP WITH TIME ZONE,
      "decided_by" text,
      "decision" jsonb,
      "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "closed_at" TIMESTAMP WITH TIME ZONE,
      "version" integer NOT NULL DEFAULT 0,
      CONSTRAINT "PK_tasks" PRIMARY KEY ("id"),
      CONSTRAINT "FK_tasks_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_tasks_open_step" ON "tasks" ("case_id", "step") WHERE "closed_at" IS NULL`);
    // The reviewer inbox: scoped by department, level and division, sorted by due time.
    await q.query(
      `CREATE INDEX "IDX_tasks_inbox" ON "tasks" ("department_code", "level", "division_code", "due_at") WHERE "closed_at" IS NULL`,
    );
    await q.query(`CREATE TABLE "case_clocks" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "case_id" uuid NOT NULL,
      "clock" text NOT NULL,
      "kind" text NOT NULL,
      "limit_amount" integer NOT NULL,
      "unit" text NOT NULL,
      "source" text NOT NULL,
      "region" text NOT NULL DEFAULT 'xinjiang',
      "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "explanation" jsonb NOT NULL DEFAULT '{}',
      "paused_at" TIMESTAMP WITH TIME ZONE,
      "pauses" jsonb NOT NULL DEFAULT '[]',
      "extensions" jsonb NOT NULL DEFAULT '[]',
      "stopped_at" TIMESTAMP WITH TIME ZONE,
      "reminded_at" TIMESTAMP WITH TIME ZONE,
      "breached_at" TIMESTAMP WITH TIME ZONE,
      "generation" integer NOT NULL DEFAULT 0,
      CONSTRAINT "UQ_case_clocks_case_clock" UNIQUE ("case_id", "clock"),
      CONSTRAINT "PK_case_clocks" PRIMARY KEY ("id"),
      CONSTRAINT "FK_case_clocks_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    // The SLA board and the timer reconciler read running clocks by due time.
    await q.query(`CREATE INDEX "IDX_case_clocks_running_due" ON "case_clocks" ("due_at") WHERE "stopped_at" IS NULL`);
    await q.query(`CREATE TABLE "idempotency_keys" (
      "portal_id" uuid NOT NULL,
      "key" text NOT NULL,
      "request_hash" text NOT NULL,
      "response_status" integer,
      "response_body" jsonb,
      "case_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("portal_id", "key"))`);
    await q.query(`CREATE TABLE "audit_log" (
      "id" bigserial NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "actor" text NOT NULL,
      "actor_role" text NOT NULL,
      "action" text NOT NULL,
      "target" text NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      "request_id" text,
      CONSTRAINT "PK_audit_log" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_audit_log_target" ON "audit_log" ("target", "at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'idempotency_keys', 'case_clocks', 'tasks', 'outbox', 'case_events', 'cases']) {
      await q.query(`DROP TABLE "${table}"`);
    }
    await q.query(`DROP SEQUENCE "case_tracking_seq"`);
    for (const table of ['applicants', 'portal_api_keys', 'portals']) await q.query(`DROP TABLE "${table}"`);
  }
}
