import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type Clock, officialCalendarSet, scheduleClock } from '../../../libs/domain/src/index.js';
import { appendCaseEvents } from '../../../libs/infra/src/index.js';

/** 天山区 燕儿窝街道 and its district. */
export const STREET = '650102002';
export const DISTRICT = '650102';

export interface ClockOptions {
  readonly clock?: string;
  readonly kind?: 'deadline' | 'period';
  readonly amount?: number;
  readonly unit?: 'working-days' | 'calendar-days';
  readonly region?: 'national' | 'xinjiang';
  readonly startedAt?: Date;
  readonly pausedAt?: Date | null;
}

/**
 * Cases and clocks written straight to the database, as the engine would leave them, so the timer and calendar
 * tests do not depend on a workflow reaching a step. A case here has no machine snapshot: the engine refuses
 * any command sent to it, which does not concern these tests.
 */
export function givenClocks(db: pg.Pool, clock: Clock) {
  return {
    async caseAt(options: { division?: string; department?: string } = {}): Promise<string> {
      const {
        rows: [applicant],
      } = await db.query<{ id: string }>(
        `INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted) VALUES ($1, 'x', 'x') RETURNING id`,
        [randomBytes(16).toString('hex')],
      );
      const {
        rows: [row],
      } = await db.query<{ id: string }>(
        `INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                            department_code, accepting_division, approving_division, application_encrypted)
         VALUES ('MS-C-' || nextval('case_tracking_seq'), 'BPS-064', 'minimum-living', 'minimum-living', 1, 'in-review',
                 $1, $2, $3, $4, 'x') RETURNING id`,
        [applicant!.id, options.department ?? 'civil-affairs', options.division ?? STREET, DISTRICT],
      );
      await appendCaseEvents(db, row!.id, { seq: 0, hash: null }, [
        {
          id: randomUUID(),
          type: 'APPLICATION_SUBMITTED',
          actor: 'portal:test',
          payload: {},
          occurredAt: clock.now(),
        },
      ]);
      return row!.id;
    },

    async taskOf(caseId: string, step: string, level = 'street', division = STREET): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code)
         VALUES ($1, $2, 'review', $3, 'civil-affairs', $4, 'BPS-064') RETURNING id`,
        [caseId, step, level, division],
      );
      return rows[0]!.id;
    },

    /** A running clock whose due date is what the calendar domain computes for its start and limit. */
    async clockOf(caseId: string, options: ClockOptions = {}): Promise<{ id: string; generation: number }> {
      const facts = {
        startedAt: options.startedAt ?? clock.now(),
        limitAmount: options.amount ?? 10,
        unit: options.unit ?? 'working-days',
        region: options.region ?? 'xinjiang',
        source: '民发〔2021〕57号',
        pausedAt: null,
        pauses: [],
        extensions: [],
      };
      const schedule = scheduleClock(facts, officialCalendarSet());
      const { rows } = await db.query<{ id: string; generation: number }>(
        `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, region, started_at, due_at, explanation,
                                  paused_at, generation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id, generation`,
        [
          caseId,
          options.clock ?? 'review',
          options.kind ?? 'deadline',
          facts.limitAmount,
          facts.unit,
          facts.source,
          facts.region,
          facts.startedAt,
          schedule.dueAt,
          JSON.stringify(schedule.explanation),
          options.pausedAt ?? null,
        ],
      );
      return rows[0]!;
    },

    async eventTypes(caseId: string): Promise<string[]> {
      const { rows } = await db.query<{ type: string }>(
        `SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      return rows.map((r) => r.type);
    },

    async clockRow(id: string) {
      const { rows } = await db.query(`SELECT * FROM case_clocks WHERE id = $1`, [id]);
      return rows[0];
    },
  };
}
