import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { findDivision, type Clock } from '@minsheng/domain';
import { InjectClock } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from './staff-scope.js';

/** One row of the board's single statement: an office's counts, or one of the most urgent steps. */
interface BoardRow {
  row_kind: 'office' | 'step';
  department_code: string;
  office: string;
  late: number | null;
  oldest_late: Date | null;
  at_risk: number | null;
  next_at_risk: Date | null;
  calendar_missing: number | null;
  case_id: string | null;
  tracking_number: string | null;
  item_code: string | null;
  clock: string | null;
  state: 'late' | 'at-risk' | null;
  due_at: Date | null;
  due_provisional: boolean | null;
  basis: 'statutory' | 'target' | null;
  breached_at: Date | null;
}

/** The instant a clock enters the board, as IDX_case_clocks_board indexes it (the planner matches this text). */
const ATTENTION = `sla_attention_at(k.due_at, k.remind_at, k.reminded_at, k.breached_at)`;

/**
 * Late and at-risk steps (running `deadline` clocks) by department and office, and per office the running clocks
 * that have no due time because their count reaches a calendar year not yet published (`calendarMissing`). The
 * department and office are the clock's own (the step's open task, the latest open task for the overall clock,
 * else the case's lead department and accepting office; see the review-indexes migration). At risk: the reminder
 * instant has passed (two working days before the due day) and the step is not yet late.
 *
 * One statement, starting from the running clocks: an index range of IDX_case_clocks_board over exactly the late
 * and at-risk clocks (`sla_attention_at(…) <= $now`, the business clock's now) and one over the clocks without a due time, read from the
 * index alone; cases are read only for the `limit` steps listed. The work grows with what the board shows, not
 * with the number of cases.
 */
@Injectable()
export class SlaBoard {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async read(staff: StaffIdentity, options: { department?: string; limit: number }) {
    const asOf = this.clock.now();
    // Operators see every office; a supervisor their department and the divisions under theirs.
    const scope = `($1::text IS NULL OR k.department_code = $1)
      AND ($2 OR (k.department_code = $3 AND k.office LIKE ANY ($4::text[])))`;
    const rows = (await this.dataSource.query(
      `WITH hot AS MATERIALIZED (
         SELECT k.case_id, k.clock, k.due_at, k.due_provisional, k.basis, k.breached_at, k.department_code, k.office,
                CASE WHEN k.breached_at IS NOT NULL OR k.due_at <= $6 THEN 'late' ELSE 'at-risk' END AS state
         FROM case_clocks k
         WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND ${ATTENTION} <= $6 AND k.kind = 'deadline'
           AND ${scope}
         UNION ALL
         SELECT k.case_id, k.clock, NULL, NULL, NULL, NULL, k.department_code, k.office, 'calendar-missing'
         FROM case_clocks k
         WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND ${ATTENTION} IS NULL AND ${scope}),
       offices AS (
         SELECT department_code, office,
                count(*) FILTER (WHERE state = 'late')::int AS late,
                min(due_at) FILTER (WHERE state = 'late') AS oldest_late,
                count(*) FILTER (WHERE state = 'at-risk')::int AS at_risk,
                min(due_at) FILTER (WHERE state = 'at-risk') AS next_at_risk,
                count(*) FILTER (WHERE state = 'calendar-missing')::int AS calendar_missing
         FROM hot GROUP BY department_code, office),
       urgent AS (
         SELECT * FROM hot WHERE state <> 'calendar-missing' ORDER BY due_at, case_id, clock LIMIT $5)
       SELECT 'office' AS row_kind, department_code, office, late, oldest_late, at_risk, next_at_risk, calendar_missing,
              NULL::uuid AS case_id, NULL AS tracking_number, NULL AS item_code, NULL AS clock, NULL AS state,
              NULL::timestamptz AS due_at, NULL::boolean AS due_provisional, NULL AS basis,
              NULL::timestamptz AS breached_at
       FROM offices
       UNION ALL
       SELECT 'step', u.department_code, u.office, NULL, NULL, NULL, NULL, NULL, u.case_id, c.tracking_number,
              c.item_code, u.clock, u.state, u.due_at, u.due_provisional, u.basis, u.breached_at
       FROM urgent u JOIN cases c ON c.id = u.case_id`,
      [
        options.department ?? null,
        seesEverything(staff),
        staff.department,
        divisionPrefixes(staff).map((prefix) => `${prefix}%`),
        options.limit,
        asOf,
      ],
    )) as BoardRow[];

    const now = asOf.getTime();
    const secondsUntil = (at: Date) => Math.round((new Date(at).getTime() - now) / 1000);
    const iso = (at: Date | null) => (at === null ? null : new Date(at).toISOString());
    const offices = rows
      .filter((row) => row.row_kind === 'office')
      .map((row) => ({
        department: row.department_code,
        office: { divisionCode: row.office, divisionName: findDivision(row.office)?.name ?? null },
        late: {
          count: row.late ?? 0,
          oldestDueAt: iso(row.oldest_late),
          longestOverdueSeconds: row.oldest_late === null ? null : -secondsUntil(row.oldest_late),
        },
        atRisk: {
          count: row.at_risk ?? 0,
          nextDueAt: iso(row.next_at_risk),
          shortestTimeToBreachSeconds: row.next_at_risk === null ? null : secondsUntil(row.next_at_risk),
        },
        /** Running clocks without a due time: their count reaches a calendar year not yet published. */
        calendarMissing: row.calendar_missing ?? 0,
      }))
      .sort(
        (a, b) =>
          b.late.count - a.late.count || b.atRisk.count - a.atRisk.count || b.calendarMissing - a.calendarMissing,
      );
    const steps = rows
      .filter((row) => row.row_kind === 'step')
      // The statement's order does not survive the UNION: the same order again (due time, case, clock).
      .sort(
        (a, b) =>
          new Date(a.due_at!).getTime() - new Date(b.due_at!).getTime() ||
          a.case_id!.localeCompare(b.case_id!) ||
          a.clock!.localeCompare(b.clock!),
      )
      .map((row) => ({
        caseId: row.case_id!,
        trackingNumber: row.tracking_number!,
        itemCode: row.item_code!,
        clock: row.clock!,
        state: row.state!,
        department: row.department_code,
        office: row.office,
        dueAt: iso(row.due_at)!,
        /** The due date was counted in a provisional calendar (the clock's explanation lists which). */
        provisional: row.due_provisional === true,
        /** `target`: a service target, late without breaking a legal limit (not escalated); else `statutory`. */
        basis: row.basis ?? 'statutory',
        breachedAt: row.breached_at,
        timeToBreachSeconds: secondsUntil(row.due_at!),
      }));
    const total = (count: (o: (typeof offices)[number]) => number) => offices.reduce((sum, o) => sum + count(o), 0);
    return {
      asOf: new Date(now).toISOString(),
      totals: { late: total((o) => o.late.count), atRisk: total((o) => o.atRisk.count) },
      offices,
      steps,
    };
  }
}
