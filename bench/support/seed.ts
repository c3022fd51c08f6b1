import type { Pool } from 'pg';
import { URUMQI_DIVISIONS } from '@minsheng/domain';
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

export interface SeedOptions {
  /** Distinguishes this batch's ids and tracking numbers from other batches in the same database. */
  readonly tag: string;
  readonly count: number;
  /** Case i gets states[i % states.length]. */
  readonly states: readonly SeedState[];
  /** Fraction of cases that are closed (history); the rest are open with one open task and a running clock. */
  readonly closedFraction?: number;
  readonly withTasks?: boolean;
  readonly withClocks?: boolean;
  readonly progressLabel?: string;
}

const BATCH = 50_000;

/**
 * Cases written straight with SQL (generate_series), which is minutes faster than going through intake: the
 * scale, recovery and bare-loop phases need many cases, not the intake path. Ids are md5-derived uuids so a
 * batch can be addressed again (`caseId(tag, i)`).
 */
export async function seedCases(db: Pool, options: SeedOptions): Promise<void> {
  const closedEvery = options.closedFraction ? Math.round(1 / (1 - options.closedFraction)) : 0;
  const progress = new Progress(options.progressLabel ?? `seeding ${options.tag}`, options.count, ' cases');
  const states = JSON.stringify(options.states);
  const streets = JSON.stringify(STREETS);
  for (let from = 1; from <= options.count; from += BATCH) {
    const to = Math.min(options.count, from + BATCH - 1);
    const params = [options.tag, from, to];
    await db.query(
      `INSERT INTO applicants (id, id_number_hash, id_number_encrypted, name_encrypted)
       SELECT md5('a-' || $1 || '-' || g)::uuid, 'bench-' || $1 || '-' || g, 'bench', 'bench'
       FROM generate_series($2::int, $3::int) g`,
      params,
    );
    // closed: every case whose number is not a multiple of closedEvery (closedEvery 0: none closed).
    await db.query(
      `INSERT INTO cases (id, tracking_number, item_code, procedure_id, machine_id, machine_version, snapshot, status,
                          current_steps, applicant_id, department_code, accepting_division, approving_division,
                          application_encrypted, submitted_at, closed_at)
       SELECT md5('c-' || $1 || '-' || g)::uuid, 'B' || $1 || '-' || g, $4, 'minimum-living', 'minimum-living', 1,
              s->'snapshot', s->>'status', ARRAY(SELECT jsonb_array_elements_text(s->'currentSteps')),
              md5('a-' || $1 || '-' || g)::uuid, 'civil-affairs', st->>'street', st->>'district', 'bench',
              now() - (g % 60) * interval '1 day',
              CASE WHEN $6::int > 0 AND g % $6::int <> 0 THEN now() - (g % 30) * interval '1 day' END
       FROM generate_series($2::int, $3::int) g,
            LATERAL (SELECT ($5::jsonb)->((g - 1) % jsonb_array_length($5::jsonb)) AS s) pick,
            LATERAL (SELECT ($7::jsonb)->(g % jsonb_array_length($7::jsonb)) AS st) place`,
      [...params, MINIMUM_LIVING_ITEM, states, closedEvery, streets],
    );
    if (options.withTasks) {
      // Every case has one decided task (its acceptance); open cases also have one open task.
      await db.query(
        `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, status, outcomes,
                            due_at, opened_at, closed_at, decided_by)
         SELECT c.id, 'acceptance', 'acceptance', 'street', c.department_code, c.accepting_division, c.item_code,
                'closed', '{approve,return}', c.submitted_at + interval '3 days', c.submitted_at,
                c.submitted_at + interval '1 day', 'bench'
         FROM generate_series($2::int, $3::int) g JOIN cases c ON c.id = md5('c-' || $1 || '-' || g)::uuid`,
        params,
      );
      await db.query(
        `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, outcomes, due_at,
                            opened_at)
         SELECT c.id, coalesce(c.current_steps[1], 'investigation'), 'investigation',
                CASE WHEN c.current_steps[1] = 'approval' THEN 'district' ELSE 'street' END,
                c.department_code,
                CASE WHEN c.current_steps[1] = 'approval' THEN c.approving_division ELSE c.accepting_division END,
                c.item_code, '{approve,reject,return}',
                now() + ((hashtext(c.id::text) % 30) - 5) * interval '1 day', c.submitted_at + interval '1 day'
         FROM generate_series($2::int, $3::int) g JOIN cases c ON c.id = md5('c-' || $1 || '-' || g)::uuid
         WHERE c.closed_at IS NULL`,
        params,
      );
    }
    if (options.withClocks) {
      await db.query(
        `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at, stopped_at)
         SELECT c.id, 'overall', 'deadline', 30, 'working-days', 'bench', c.submitted_at,
                now() + ((hashtext(c.id::text) % 40) - 3) * interval '1 day' + (hashtext(c.tracking_number) % 86400) * interval '1 second',
                c.closed_at
         FROM generate_series($2::int, $3::int) g JOIN cases c ON c.id = md5('c-' || $1 || '-' || g)::uuid`,
        params,
      );
    }
    progress.update(to);
  }
  await db.query('ANALYZE applicants, cases, tasks, case_clocks');
}

export function caseIdSql(tag: string, i: number): string {
  return `md5('c-${tag}-${i}')::uuid`;
}
