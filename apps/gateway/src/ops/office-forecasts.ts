import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type BacklogForecast,
  type CalendarSet,
  decisionWindowStart,
  DEFAULT_FORECAST_HORIZONS,
  forecastOfficeBacklog,
  type IsoDate,
  officialCalendarSet,
  type Region,
  startOfDayInShanghai,
  toShanghaiDate,
} from '@minsheng/domain';

/** Urumqi's offices count statutory limits on the Xinjiang calendar (docs/architecture.md invariant 7). */
const REGION: Region = 'xinjiang';

export interface OfficeForecast extends BacklogForecast {
  readonly department: string;
  readonly division: string;
  readonly decidedInWindow: number;
}

export interface ForecastReport {
  readonly asOf: IsoDate;
  readonly windowDays: number;
  readonly windowStart: IsoDate;
  readonly horizons: readonly number[];
  readonly method: 'fifo-by-due-date';
  readonly items: OfficeForecast[];
}

/** The last day a task can be decided in time: its `due_at` is the exclusive end of that day (Shanghai). */
function dueDateOf(dueAt: Date): IsoDate {
  return toShanghaiDate(new Date(dueAt.getTime() - 1));
}

/**
 * The backlog forecast per office (department + division of the task): open tasks and decisions from SQL, the
 * arithmetic in libs/domain (`forecastOfficeBacklog`, documented in docs/operations.md "Backlog forecast").
 */
@Injectable()
export class OfficeForecasts {
  private readonly calendars: CalendarSet = officialCalendarSet();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Today's open tasks against `asOf` (normally today): the tasks are always the current backlog, `asOf` fixes
   * the working-day arithmetic and the measuring window (the `windowDays` working days before it).
   */
  async forecast(asOf: IsoDate, windowDays: number): Promise<ForecastReport> {
    const windowStart = decisionWindowStart(this.calendars, REGION, asOf, windowDays);
    const [open, decided] = await Promise.all([
      this.dataSource.query(
        `SELECT department_code, division_code, due_at FROM tasks
         WHERE closed_at IS NULL
         ORDER BY department_code, division_code, due_at NULLS LAST, opened_at, id`,
      ) as Promise<{ department_code: string; division_code: string; due_at: Date | null }[]>,
      this.dataSource.query(
        `SELECT department_code, division_code, count(*)::int AS decided FROM tasks
         WHERE decision IS NOT NULL AND closed_at >= $1 AND closed_at < $2
         GROUP BY department_code, division_code`,
        [startOfDayInShanghai(windowStart), startOfDayInShanghai(asOf)],
      ) as Promise<{ department_code: string; division_code: string; decided: number }[]>,
    ]);
    const key = (department: string, division: string) => `${department}\u0000${division}`;
    const decidedBy = new Map(decided.map((d) => [key(d.department_code, d.division_code), d.decided]));
    const backlogs = new Map<string, { department: string; division: string; dueDates: (IsoDate | null)[] }>();
    for (const task of open) {
      const k = key(task.department_code, task.division_code);
      const backlog = backlogs.get(k) ?? {
        department: task.department_code,
        division: task.division_code,
        dueDates: [],
      };
      backlog.dueDates.push(task.due_at ? dueDateOf(new Date(task.due_at)) : null);
      backlogs.set(k, backlog);
    }
    const items = [...backlogs.entries()].map(([k, backlog]): OfficeForecast => {
      const decidedInWindow = decidedBy.get(k) ?? 0;
      const forecast = forecastOfficeBacklog({
        set: this.calendars,
        region: REGION,
        asOf,
        dueDates: backlog.dueDates,
        decided: decidedInWindow,
        windowDays,
      });
      return { department: backlog.department, division: backlog.division, decidedInWindow, ...forecast };
    });
    const last = DEFAULT_FORECAST_HORIZONS[DEFAULT_FORECAST_HORIZONS.length - 1]!;
    // The offices that will miss most deadlines first.
    items.sort(
      (a, b) =>
        (b.breaches[last] ?? 0) - (a.breaches[last] ?? 0) ||
        a.department.localeCompare(b.department) ||
        a.division.localeCompare(b.division),
    );
    return { asOf, windowDays, windowStart, horizons: DEFAULT_FORECAST_HORIZONS, method: 'fifo-by-due-date', items };
  }
}
