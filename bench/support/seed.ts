import type { Pool } from 'pg';
import { URUMQI_CITY_CODE, URUMQI_DIVISIONS } from '@minsheng/domain';
import { Progress } from './progress.js';
import { MINIMUM_LIVING_ITEM } from './minimum-living-path.js';

/** The street offices of Urumqi and their districts: cases are spread over them as in a real city. */
export const STREETS: readonly { street: string; district: string }[] = URUMQI_DIVISIONS.filter(
  (d) => d.level === 'street',
).map((d) => ({ street: d.code, district: d.parentCode }));

export interface SeedState {
  readonly snapshot: unknown;
  readonly status: string;
  readonly currentSteps: readonly string[];
}

/** A service item cases are filed under: its lead department and where it is accepted and approved. */
export interface SeedItem {
  readonly code: string;
  readonly department: string;
  readonly accepting: 'street' | 'district' | 'city';
  readonly approving: 'district' | 'city';
}

export interface SeedOptions {
  /** Distinguishes this batch's ids and tracking numbers from other batches in the same database. */
  readonly tag: string;
  readonly count: number;
  /** Case i gets one of these (machine snapshot, status, current step), spread evenly. */
  readonly states: readonly SeedState[];
  /** Fraction of cases that are closed (history); the rest are open with an open task and running clocks. */
  readonly closedFraction?: number;
  readonly withTasks?: boolean;
  readonly withClocks?: boolean;
  /** Besides the overall clock, a clock for the current step (stopped ones for a closed case's last step). */
  readonly stepClocks?: boolean;
  /** Items cases are filed under, picked evenly (default: minimum living allowance, civil affairs). */
  readonly items?: readonly SeedItem[];
  /** Fraction of open cases waiting for the applicant's material (补正): the step clock is paused. */
  readonly pausedFraction?: number;
  /** Fraction of open cases in a public notice (公示): a running `period` clock beside the deadlines. */
  readonly noticeFraction?: number;
  /** Fraction of open cases whose step clock reached an unpublished calendar year (no due time yet). */
  readonly calendarMissingFraction?: number;
  /** Fraction of open tasks a reviewer has claimed. */
  readonly claimedFraction?: number;
  readonly progressLabel?: string;
}

/** The reviewer steps a seeded case passes, in order; an open case waits at one of them. */
const STEPS = ['acceptance', 'investigation', 'street-review', 'approval'];

/**
 * Every attribute of case `g`, derived in SQL from `g` alone so each table's INSERT … SELECT generate_series reads
 * the same plan without joining what an earlier statement wrote. `r(k)` is a deterministic pseudo-random number in
 * [0, 1) per case and salt. Shapes (real load, not a uniform grid):
 * - streets are skewed (a few busy offices, many quiet ones: street = n·r²);
 * - an open case's current step opened 15·r² days ago (most recently) and is due 14 days (10 working days) after;
 *   the case was submitted 30·r² days before that and is due overall 42 days (30 working days) after submission,
 *   so about 3 % of step clocks are late and 7 % at risk, as in an office that mostly keeps its limits;
 * - closed cases were submitted 50 days to two years ago and took 5–45 days.
 * Parameters: $1 tag, $2 count, $3 states (status, current steps), $4 items, $5 streets, $6 closed, $7 paused, $8 notice, $9 missing,
 * $10 claimed, $11 step clocks.
 */
/**
 * A seeded id: the md5 of `text` (an SQL expression) as a uuid, so a batch can be addressed again, with the version
 * (4) and variant (8) digits set. The queue contract refuses an id that is not an RFC 9562 uuid (`z.uuid()`): with
 * the md5 digits as they came, most seeded cases' commands (a breach's CLOCK_BREACHED) failed as COMMAND.INVALID.
 */
export function seededUuidSql(text: string): string {
  return `overlay(overlay(md5(${text}) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
}

const PLAN = `
  picked AS MATERIALIZED (
    SELECT g,
           ${seededUuidSql("'c-' || $1 || '-' || g")} AS case_id,
           ${seededUuidSql("'a-' || $1 || '-' || g")} AS applicant_id,
           (g - 1) % jsonb_array_length($3::jsonb) AS state_index,
           ($4::jsonb)->((hashtext($1 || 'i' || g) & 1048575) % jsonb_array_length($4::jsonb)) AS item,
           ($5::jsonb)->(floor(jsonb_array_length($5::jsonb) * power((hashtext($1 || 's' || g) & 1048575) / 1048576.0, 2))::int) AS place,
           (hashtext($1 || 'c' || g) & 1048575) / 1048576.0 < $6::float8 AS closed,
           ((hashtext($1 || 'r1' || g) & 1048575) / 1048576.0)::float8 AS r1,
           ((hashtext($1 || 'r2' || g) & 1048575) / 1048576.0)::float8 AS r2,
           ((hashtext($1 || 'r3' || g) & 1048575) / 1048576.0)::float8 AS r3
    FROM generate_series(1, $2::int) g),
  placed AS (
    SELECT p.*, p.item->>'code' AS item_code, p.item->>'department' AS department_code,
           CASE p.item->>'accepting' WHEN 'street' THEN p.place->>'street' WHEN 'district' THEN p.place->>'district'
                ELSE '${URUMQI_CITY_CODE}' END AS accepting_division,
           CASE p.item->>'approving' WHEN 'district' THEN p.place->>'district' ELSE '${URUMQI_CITY_CODE}' END
             AS approving_division,
           coalesce(array_position(ARRAY['${STEPS.join("','")}'], ($3::jsonb)->p.state_index->'currentSteps'->>0), 2)
             - 1 AS step_index,
           ($3::jsonb)->p.state_index->'currentSteps'->>0 AS step,
           now() - 15 * p.r1 * p.r1 * interval '1 day' AS step_opened_at
    FROM picked p),
  plan AS (
    SELECT x.*,
           CASE WHEN x.closed THEN now() - (50 + 700 * x.r1) * interval '1 day'
                ELSE x.step_opened_at - 30 * x.r2 * x.r2 * interval '1 day' END AS submitted_at,
           NOT x.closed AND x.r3 < $7::float8 AS paused,
           NOT x.closed AND x.r3 >= $7::float8 AND x.r3 < $7::float8 + $8::float8 AS in_notice,
           NOT x.closed AND x.r3 >= 1 - $9::float8 AS calendar_missing,
           NOT x.closed AND x.r2 < $10::float8 AS claimed,
           CASE WHEN x.step_index = 3 THEN x.item->>'approving' ELSE x.item->>'accepting' END AS task_level,
           CASE WHEN x.step_index = 3 THEN x.approving_division ELSE x.accepting_division END AS task_division
    FROM placed x),
  seeded AS MATERIALIZED (
    SELECT p.*,
           CASE WHEN p.closed THEN p.submitted_at + (5 + 40 * p.r2) * interval '1 day' END AS closed_at,
           CASE WHEN NOT p.calendar_missing THEN p.step_opened_at + interval '14 days' END AS step_due_at,
           p.submitted_at + interval '42 days' AS overall_due_at,
           $11::boolean AS step_clocks
    FROM plan p)`;

/**
 * Cases written straight with SQL, one INSERT … SELECT generate_series per table (applicants, cases, tasks,
 * clocks) into the tables as migrated, indexes included, then VACUUM ANALYZE: minutes faster than going through intake.
 * The scale, recovery and bare-loop phases need many cases, not the intake path. Ids are md5-derived uuids so a
 * batch can be addressed again (`caseId(tag, i)`). An open case has the decided tasks of the steps before its
 * current one, an open task for that step (claimed by a reviewer sometimes), a running overall clock and a running
 * (or paused) clock for the step; a closed case has its decided tasks and stopped clocks. The clocks carry the
 * department and office their step is worked in, as the review-indexes migration keeps them.
 */
export async function seedCases(db: Pool, options: SeedOptions): Promise<void> {
  const items: readonly SeedItem[] = options.items ?? [
    { code: MINIMUM_LIVING_ITEM, department: 'civil-affairs', accepting: 'street', approving: 'district' },
  ];
  const params = [
    options.tag,
    options.count,
    // The machine snapshots are large: only the cases statement reads them ($12), other statements carry an index.
    JSON.stringify(options.states.map((state) => ({ status: state.status, currentSteps: state.currentSteps }))),
    JSON.stringify(items),
    JSON.stringify(STREETS),
    options.closedFraction ?? 0,
    options.pausedFraction ?? 0,
    options.noticeFraction ?? 0,
    options.calendarMissingFraction ?? 0,
    options.claimedFraction ?? 0,
    options.stepClocks ?? false,
  ];
  const tables = 2 + (options.withTasks ? 1 : 0) + (options.withClocks ? 1 : 0);
  const progress = new Progress(options.progressLabel ?? `seeding ${options.tag}`, tables, ' tables');
  let done = 0;
  const run = async (sql: string, extra: unknown[] = []) => {
    await db.query(`WITH ${PLAN} ${sql}`, [...params, ...extra]);
    progress.update((done += 1));
  };

  await run(
    `INSERT INTO applicants (id, id_number_hash, id_number_encrypted, name_encrypted)
     SELECT applicant_id, 'bench-' || $1 || '-' || g, 'bench', 'bench' FROM picked`,
  );
  await run(
    `INSERT INTO cases (id, tracking_number, item_code, procedure_id, machine_id, machine_version, snapshot, status,
                        current_steps, applicant_id, department_code, accepting_division, approving_division,
                        application_encrypted, submitted_at, updated_at, closed_at)
     SELECT case_id, 'B' || $1 || '-' || g, item_code, 'minimum-living', 'minimum-living', 1,
            ($12::jsonb)->state_index, CASE WHEN closed THEN 'closed' ELSE ($3::jsonb)->state_index->>'status' END,
            CASE WHEN closed THEN '{}'
                 ELSE ARRAY(SELECT jsonb_array_elements_text(($3::jsonb)->state_index->'currentSteps')) END,
            applicant_id, department_code, accepting_division, approving_division, 'bench', submitted_at,
            coalesce(closed_at, step_opened_at), closed_at
     FROM seeded`,
    [JSON.stringify(options.states.map((state) => state.snapshot))],
  );
  if (options.withTasks) {
    // The decided tasks of the steps passed (all four for a closed case), then the open task of the current step.
    await run(
      `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, status, outcomes,
                          due_at, claimed_by, claimed_at, opened_at, closed_at, decided_by)
       SELECT s.case_id, (ARRAY['${STEPS.join("','")}'])[k + 1], (ARRAY['${STEPS.join("','")}'])[k + 1],
              CASE WHEN k = 3 THEN s.item->>'approving' ELSE s.item->>'accepting' END,
              s.department_code,
              CASE WHEN k = 3 THEN s.approving_division ELSE s.accepting_division END,
              s.item_code,
              CASE WHEN k < s.step_index OR s.closed THEN 'closed' ELSE 'open' END,
              '{approve,reject,return}',
              CASE WHEN k < s.step_index OR s.closed THEN s.submitted_at + (3 * k + 14) * interval '1 day'
                   ELSE s.step_due_at END,
              CASE WHEN k = s.step_index AND s.claimed THEN 'staff:bench-' || (s.g % 7) END,
              CASE WHEN k = s.step_index AND s.claimed THEN s.step_opened_at END,
              CASE WHEN k < s.step_index OR s.closed THEN s.submitted_at + 3 * k * interval '1 day'
                   ELSE s.step_opened_at END,
              CASE WHEN k < s.step_index OR s.closed THEN s.submitted_at + (3 * k + 2) * interval '1 day' END,
              CASE WHEN k < s.step_index OR s.closed THEN 'staff:bench' END
       FROM seeded s CROSS JOIN LATERAL generate_series(0, CASE WHEN s.closed THEN 3 ELSE s.step_index END) k
       ORDER BY s.case_id, k`,
    );
  }
  if (options.withClocks) {
    // Overall and step deadlines, and a notice period for some: the reminder two days before the due time, and
    // the reminder and breach marks the timers would have left by now.
    await run(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at, calendar_missing,
                                paused_at, stopped_at, remind_at, reminded_at, breached_at, generation,
                                department_code, office)
       SELECT s.case_id, k.clock, k.kind, k.amount, k.unit, 'bench', k.started_at, k.due_at,
              CASE WHEN k.due_at IS NULL THEN 'national/2027' END, k.paused_at, s.closed_at,
              k.due_at - interval '2 days',
              CASE WHEN k.kind = 'deadline' AND k.due_at - interval '2 days' <= coalesce(s.closed_at, now())
                   THEN k.due_at - interval '2 days' END,
              CASE WHEN k.kind = 'deadline' AND k.due_at <= coalesce(s.closed_at, now()) THEN k.due_at END,
              1, k.department_code, k.office
       FROM seeded s CROSS JOIN LATERAL (VALUES
         ('overall', 'deadline', 30, 'working-days', s.submitted_at, s.overall_due_at, NULL::timestamptz,
          s.department_code, CASE WHEN s.closed THEN s.accepting_division ELSE s.task_division END, true),
         (CASE WHEN s.closed THEN 'approval' ELSE s.step END, 'deadline', 10, 'working-days',
          CASE WHEN s.closed THEN s.submitted_at + interval '9 days' ELSE s.step_opened_at END,
          CASE WHEN s.closed THEN s.submitted_at + interval '23 days' ELSE s.step_due_at END,
          CASE WHEN s.paused THEN s.step_opened_at + interval '1 day' END,
          s.department_code, CASE WHEN s.closed THEN s.approving_division ELSE s.task_division END,
          s.step_clocks AND (s.step IS NOT NULL OR s.closed)),
         ('public-notice', 'period', 7, 'calendar-days', now() - interval '3 days', now() + interval '4 days',
          NULL, s.department_code, s.task_division, s.in_notice)
       ) AS k(clock, kind, amount, unit, started_at, due_at, paused_at, department_code, office, wanted)
       WHERE k.wanted
       ORDER BY s.case_id, k.clock`,
    );
  }
  // VACUUM as well as ANALYZE: autovacuum would have set the visibility map of settled rows in production, and
  // index-only scans read the heap for every row until it has.
  await db.query('VACUUM (ANALYZE) applicants, cases, tasks, case_clocks');
}

export function caseIdSql(tag: string, i: number): string {
  return seededUuidSql(`'c-${tag}-${i}'`);
}
