import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { findDivision } from '@minsheng/domain';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from './staff-scope.js';

interface StepRow {
  case_id: string;
  tracking_number: string;
  item_code: string;
  clock: string;
  due_at: Date;
  breached_at: Date | null;
  department_code: string;
  office: string;
  state: 'late' | 'at-risk';
}

/**
 * Late and at-risk steps (running `deadline` clocks) by department and office. The office is the division of the
 * step's open task, or the accepting office for the overall clock. At risk: the reminder instant has passed
 * (two working days before the due day) and the step is not yet late.
 */
@Injectable()
export class SlaBoard {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(staff: StaffIdentity, options: { department?: string; limit: number }) {
    const rows = (await this.dataSource.query(
      `WITH running AS (
         SELECT k.case_id, k.clock, k.due_at, k.breached_at, c.tracking_number, c.item_code,
                coalesce(t.department_code, c.department_code) AS department_code,
                coalesce(t.division_code, c.accepting_division) AS office,
                CASE WHEN k.breached_at IS NOT NULL OR k.due_at <= now() THEN 'late'
                     WHEN k.reminded_at IS NOT NULL OR coalesce(k.remind_at, k.due_at - interval '2 days') <= now()
                       THEN 'at-risk' END AS state
         FROM case_clocks k
         JOIN cases c ON c.id = k.case_id AND c.closed_at IS NULL
         LEFT JOIN LATERAL (
           SELECT department_code, division_code FROM tasks
           WHERE case_id = k.case_id AND closed_at IS NULL AND kind <> 'escalation' AND (k.clock = 'overall' OR step = k.clock)
           ORDER BY opened_at DESC LIMIT 1) t ON true
         WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND k.kind = 'deadline')
       SELECT * FROM running r
       WHERE r.state IS NOT NULL
         AND ($1::text IS NULL OR r.department_code = $1)
         AND ($2 OR (r.department_code = $3 AND EXISTS (
               SELECT 1 FROM unnest($4::text[]) AS p(prefix) WHERE r.office LIKE p.prefix || '%')))
       ORDER BY r.due_at`,
      [options.department ?? null, seesEverything(staff), staff.department, divisionPrefixes(staff)],
    )) as StepRow[];

    const now = Date.now();
    const toBreach = (row: StepRow) => Math.round((new Date(row.due_at).getTime() - now) / 1000);
    const groups = new Map<string, StepRow[]>();
    for (const row of rows) {
      const key = `${row.department_code}|${row.office}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const offices = [...groups.values()].map((steps) => {
      const late = steps.filter((s) => s.state === 'late');
      const atRisk = steps.filter((s) => s.state === 'at-risk');
      return {
        department: steps[0]!.department_code,
        office: { divisionCode: steps[0]!.office, divisionName: findDivision(steps[0]!.office)?.name ?? null },
        late: {
          count: late.length,
          oldestDueAt: late[0] ? new Date(late[0].due_at).toISOString() : null,
          longestOverdueSeconds: late[0] ? -toBreach(late[0]) : null,
        },
        atRisk: {
          count: atRisk.length,
          nextDueAt: atRisk[0] ? new Date(atRisk[0].due_at).toISOString() : null,
          shortestTimeToBreachSeconds: atRisk[0] ? toBreach(atRisk[0]) : null,
        },
      };
    });
    offices.sort((a, b) => b.late.count - a.late.count || b.atRisk.count - a.atRisk.count);
    return {
      asOf: new Date(now).toISOString(),
      totals: {
        late: rows.filter((r) => r.state === 'late').length,
        atRisk: rows.filter((r) => r.state === 'at-risk').length,
      },
      offices,
      steps: rows.slice(0, options.limit).map((row) => ({
        caseId: row.case_id,
        trackingNumber: row.tracking_number,
        itemCode: row.item_code,
        clock: row.clock,
        state: row.state,
        department: row.department_code,
        office: row.office,
        dueAt: new Date(row.due_at).toISOString(),
        breachedAt: row.breached_at,
        timeToBreachSeconds: toBreach(row),
      })),
    };
  }
}
