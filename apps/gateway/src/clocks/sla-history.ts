import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { findDivision, type Clock } from '@minsheng/domain';
import { InjectClock } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from './staff-scope.js';

const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: a day there starts at 16:00 UTC the day before. */
const CST_OFFSET_MS = 8 * 3_600_000;

interface HistoryRow {
  at: Date;
  department_code: string;
  office: string;
  late: number;
  at_risk: number;
}

/**
 * The instants of the series: the end of each of the last `days - 1` days in China Standard Time, oldest first, and
 * the business clock's now (the board's own instant) last.
 */
export function historyInstants(now: Date, days: number): Date[] {
  const startOfToday = Math.floor((now.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
  const ends = Array.from({ length: days - 1 }, (_, i) => new Date(startOfToday - (days - 2 - i) * DAY_MS));
  return [...ends, now];
}

/**
 * Late and at-risk deadline clocks per office at the end of each recent day (docs/operations.md "The SLA history").
 * Reconstructed from the clocks as they stand now (no snapshots are kept): a clock counts at an instant when it had
 * started and not stopped, is not paused now since before it, and its current due date (or breach mark) had passed
 * (late) or its reminder instant had (at risk). A due date moved since (a pause, an extension, a recomputed calendar)
 * counts at its current value, so a past point can differ from what the board showed that day. The last point is
 * the board's own count (`GET /v1/ops/sla`). Scoped like the board.
 */
@Injectable()
export class SlaHistory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async read(staff: StaffIdentity, options: { days: number; department?: string }) {
    const now = this.clock.now();
    const instants = historyInstants(now, options.days);
    const rows = (await this.dataSource.query(
      `SELECT p.at, k.department_code, k.office,
              count(*) FILTER (WHERE k.breached_at <= p.at OR k.due_at <= p.at)::int AS late,
              count(*) FILTER (WHERE NOT (coalesce(k.breached_at <= p.at, false) OR k.due_at <= p.at))::int AS at_risk
       FROM unnest($5::timestamptz[]) AS p(at)
       JOIN case_clocks k
         ON k.kind = 'deadline' AND k.due_at IS NOT NULL AND k.started_at <= p.at
        AND (k.stopped_at IS NULL OR k.stopped_at > p.at) AND (k.paused_at IS NULL OR k.paused_at > p.at)
        AND least(k.due_at, coalesce(k.remind_at, k.due_at - interval '48 hours'),
                  coalesce(k.reminded_at, 'infinity'), coalesce(k.breached_at, 'infinity')) <= p.at
       WHERE ($1::text IS NULL OR k.department_code = $1)
         AND ($2 OR (k.department_code = $3 AND k.office LIKE ANY ($4::text[])))
       GROUP BY p.at, k.department_code, k.office`,
      [
        options.department ?? null,
        seesEverything(staff),
        staff.department,
        divisionPrefixes(staff).map((prefix) => `${prefix}%`),
        instants,
      ],
    )) as HistoryRow[];

    const offices = new Map<string, { department: string; divisionCode: string }>();
    for (const row of rows) {
      offices.set(`${row.department_code}/${row.office}`, {
        department: row.department_code,
        divisionCode: row.office,
      });
    }
    const keys = [...offices.keys()].sort();
    return {
      asOf: now.toISOString(),
      days: options.days,
      offices: keys.map((key) => {
        const office = offices.get(key)!;
        return {
          department: office.department,
          office: { divisionCode: office.divisionCode, divisionName: findDivision(office.divisionCode)?.name ?? null },
        };
      }),
      points: instants.map((at) => {
        const here = rows.filter((row) => new Date(row.at).getTime() === at.getTime());
        const count = (key: string, field: 'late' | 'at_risk') =>
          here.find((row) => `${row.department_code}/${row.office}` === key)?.[field] ?? 0;
        return {
          at: at.toISOString(),
          totals: {
            late: here.reduce((sum, row) => sum + row.late, 0),
            atRisk: here.reduce((sum, row) => sum + row.at_risk, 0),
          },
          /** In the order of `offices`. */
          late: keys.map((key) => count(key, 'late')),
          atRisk: keys.map((key) => count(key, 'at_risk')),
        };
      }),
    };
  }
}
