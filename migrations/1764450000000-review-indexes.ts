import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the two hot staff reads at a million cases (bench/README.md; plans in bench/profiles/queries.md).
 *
 * Reviewer inbox: one office's open tasks in keyset order (due time, no due time last, then id), so a page is an
 * index range of `limit` entries whatever the office's backlog. `coalesce(due_at, 'infinity')` puts tasks without
 * a due time last inside the index, so one row comparison is the cursor. It replaces `IDX_tasks_inbox`, whose
 * order ended at `due_at` (no tie-break: every page was a sort of the whole office).
 *
 * SLA board: running clocks carry the department and office their step is worked in (`department_code`,
 * `office`), so the board counts from one index without reading cases or tasks. Two triggers keep them as the
 * board defined them before (the step's open task, the latest open task for the overall clock, else the case's
 * lead department and accepting office): a clock takes its place when inserted, and a task opening moves its
 * step's clock and the overall clock there. The engine writes clocks and tasks with the case row locked, so the
 * trigger's update follows the same lock order (case, then clock) as the timers.
 * `sla_attention_at` is the instant a clock enters the board: its reminder (two days before the due time when no
 * reminder instant was computed), its due time if earlier, or always once a reminder or breach was recorded; NULL
 * without a due time (a calendar year not yet published). The board reads `sla_attention_at(…) <= now()`: an index
 * range of exactly the late and at-risk clocks. It is truly immutable: `interval '48 hours'` does not depend on the
 * session's time zone (a `days` interval would, which is why timestamptz arithmetic is only stable).
 */
export class ReviewIndexes1764450000000 implements MigrationInterface {
  name = 'ReviewIndexes1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_tasks_inbox_keyset" ON "tasks"
         ("department_code", "level", "division_code", (coalesce("due_at", 'infinity'::timestamptz)), "id")
       WHERE "closed_at" IS NULL`,
    );
    await q.query(`DROP INDEX "IDX_tasks_inbox"`);

    await q.query(`ALTER TABLE "case_clocks" ADD "department_code" text`);
    await q.query(`ALTER TABLE "case_clocks" ADD "office" text`);
    await q.query(
      `UPDATE "case_clocks" k SET ("department_code", "office") = (
         SELECT coalesce(t.department_code, c.department_code), coalesce(t.division_code, c.accepting_division)
         FROM "cases" c LEFT JOIN LATERAL (
           SELECT department_code, division_code FROM "tasks"
           WHERE case_id = c.id AND closed_at IS NULL AND kind <> 'escalation' AND (k.clock = 'overall' OR step = k.clock)
           ORDER BY opened_at DESC LIMIT 1) t ON true
         WHERE c.id = k.case_id)`,
    );
    await q.query(`ALTER TABLE "case_clocks" ALTER COLUMN "department_code" SET NOT NULL`);
    await q.query(`ALTER TABLE "case_clocks" ALTER COLUMN "office" SET NOT NULL`);
    await q.query(
      `CREATE FUNCTION "case_clocks_place"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         SELECT t.department_code, t.division_code INTO NEW.department_code, NEW.office FROM tasks t
         WHERE t.case_id = NEW.case_id AND t.closed_at IS NULL AND t.kind <> 'escalation'
           AND (NEW.clock = 'overall' OR t.step = NEW.clock)
         ORDER BY t.opened_at DESC LIMIT 1;
         IF NOT FOUND THEN
           SELECT c.department_code, c.accepting_division INTO NEW.department_code, NEW.office FROM cases c
           WHERE c.id = NEW.case_id;
         END IF;
         RETURN NEW;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER "TRG_case_clocks_place" BEFORE INSERT ON "case_clocks" FOR EACH ROW
       WHEN (NEW.department_code IS NULL OR NEW.office IS NULL) EXECUTE FUNCTION "case_clocks_place"()`,
    );
    await q.query(
      `CREATE FUNCTION "tasks_place_clocks"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE case_clocks SET department_code = NEW.department_code, office = NEW.division_code
         WHERE case_id = NEW.case_id AND clock IN ('overall', NEW.step) AND stopped_at IS NULL
           AND (department_code, office) IS DISTINCT FROM (NEW.department_code, NEW.division_code);
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER "TRG_tasks_place_clocks" AFTER INSERT ON "tasks" FOR EACH ROW
       WHEN (NEW.kind <> 'escalation' AND NEW.closed_at IS NULL) EXECUTE FUNCTION "tasks_place_clocks"()`,
    );

    await q.query(
      `CREATE FUNCTION "sla_attention_at"(due_at timestamptz, remind_at timestamptz, reminded_at timestamptz,
                                          breached_at timestamptz)
       RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE WHEN due_at IS NULL THEN NULL
                     WHEN reminded_at IS NOT NULL OR breached_at IS NOT NULL THEN '-infinity'::timestamptz
                     ELSE least(due_at, coalesce(remind_at, due_at - interval '48 hours')) END
       $$`,
    );
    await q.query(
      `CREATE INDEX "IDX_case_clocks_board" ON "case_clocks"
         (("sla_attention_at"("due_at", "remind_at", "reminded_at", "breached_at")))
       INCLUDE ("kind", "due_at", "remind_at", "reminded_at", "breached_at", "department_code", "office", "case_id",
                "clock")
       WHERE "stopped_at" IS NULL AND "paused_at" IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_clocks_board"`);
    await q.query(`DROP FUNCTION "sla_attention_at"(timestamptz, timestamptz, timestamptz, timestamptz)`);
    await q.query(`DROP TRIGGER "TRG_tasks_place_clocks" ON "tasks"`);
    await q.query(`DROP FUNCTION "tasks_place_clocks"()`);
    await q.query(`DROP TRIGGER "TRG_case_clocks_place" ON "case_clocks"`);
    await q.query(`DROP FUNCTION "case_clocks_place"()`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "office"`);
    await q.query(`ALTER TABLE "case_clocks" DROP COLUMN "department_code"`);
    await q.query(
      `CREATE INDEX "IDX_tasks_inbox" ON "tasks" ("department_code", "level", "division_code", "due_at")
       WHERE "closed_at" IS NULL`,
    );
    await q.query(`DROP INDEX "IDX_tasks_inbox_keyset"`);
  }
}
