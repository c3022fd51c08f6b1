import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CalendarSet, toShanghaiDate, workingDaysBetween } from '@minsheng/domain';
import { loadCalendarSet } from '@minsheng/infra';
import type { AttainmentQuery } from './attainment.request.js';

/** A cell with fewer applications than this shows no figure at all (docs/api.md "Attainment report"). */
export const SUPPRESSION_THRESHOLD = 5;
/** Working days are counted in the Xinjiang calendar, as the statutory clocks are (docs/clocks.md). */
const REGION = 'xinjiang';

export interface AttainmentCell {
  readonly item: string;
  readonly district: string;
  readonly suppressed: boolean;
  readonly applications: number | null;
  /** Closed cases by final status (`approved`, `rejected`, `withdrawn`, …). */
  readonly outcomes: Readonly<Record<string, number>> | null;
  /** Closed cases other than withdrawn ones: the office decided them. */
  readonly decided: number | null;
  /** Decided cases with a statutory deadline clock, and the share of them that met every such clock. */
  readonly decidedWithStatutoryLimit: number | null;
  readonly withinStatutoryLimitShare: number | null;
  readonly medianWorkingDaysToDecision: number | null;
  readonly satisfactionAverage: number | null;
  readonly satisfactionCount: number | null;
}

const YEAR = `c.submitted_at >= make_timestamptz($1::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
  AND c.submitted_at < make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
  AND ($2::text IS NULL OR c.item_code = $2::text)
  AND ($3::text IS NULL OR left(c.accepting_division, 6) = $3::text)`;

/**
 * The public attainment report (docs/api.md "Attainment report"): per item and district, the cases submitted in a
 * year, their outcomes, the share of decided cases that met every statutory time limit (clocks whose basis is
 * `statutory`; service targets on assumed limits are left out, docs/clocks.md), the median working days from
 * submission to decision, and the satisfaction survey's average. Counts only, no personal data; a cell under
 * `SUPPRESSION_THRESHOLD` applications is suppressed so a small office's few residents cannot be singled out.
 */
@Injectable()
export class AttainmentReport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(query: AttainmentQuery) {
    const params = [query.year, query.item ?? null, query.district ?? null];
    const [cells, outcomes, decisions, calendars] = await Promise.all([
      this.dataSource.query(
        `SELECT c.item_code AS item, left(c.accepting_division, 6) AS district, count(*)::int AS applications,
                count(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.status <> 'withdrawn')::int AS decided,
                count(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.status <> 'withdrawn' AND k.statutory > 0)::int
                  AS timed,
                count(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.status <> 'withdrawn' AND k.statutory > 0
                                   AND k.met = k.statutory)::int AS within,
                round(avg(s.score), 2)::float8 AS "satisfactionAverage", count(s.score)::int AS "satisfactionCount"
         FROM cases c
         LEFT JOIN LATERAL (
           SELECT count(*) AS statutory,
                  count(*) FILTER (WHERE k.breached_at IS NULL
                                     AND (k.due_at IS NULL OR k.stopped_at IS NULL OR k.stopped_at <= k.due_at)) AS met
           FROM case_clocks k WHERE k.case_id = c.id AND k.kind = 'deadline' AND k.basis = 'statutory') k ON true
         LEFT JOIN case_satisfaction s ON s.case_id = c.id
         WHERE ${YEAR}
         GROUP BY 1, 2 ORDER BY 1, 2`,
        params,
      ) as Promise<
        {
          item: string;
          district: string;
          applications: number;
          decided: number;
          timed: number;
          within: number;
          satisfactionAverage: number | null;
          satisfactionCount: number;
        }[]
      >,
      this.dataSource.query(
        `SELECT c.item_code AS item, left(c.accepting_division, 6) AS district, c.status, count(*)::int AS n
         FROM cases c WHERE ${YEAR} AND c.closed_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        params,
      ) as Promise<{ item: string; district: string; status: string; n: number }[]>,
      this.dataSource.query(
        `SELECT c.item_code AS item, left(c.accepting_division, 6) AS district, c.submitted_at, c.closed_at
         FROM cases c WHERE ${YEAR} AND c.closed_at IS NOT NULL AND c.status <> 'withdrawn'`,
        params,
      ) as Promise<{ item: string; district: string; submitted_at: Date; closed_at: Date }[]>,
      loadCalendarSet(this.dataSource),
    ]);
    const key = (row: { item: string; district: string }) => `${row.item}/${row.district}`;
    const outcomesOf = new Map<string, Record<string, number>>();
    for (const row of outcomes) outcomesOf.set(key(row), { ...outcomesOf.get(key(row)), [row.status]: row.n });
    const daysOf = new Map<string, number[]>();
    for (const row of decisions) {
      const days = workingDays(calendars, row.submitted_at, row.closed_at);
      if (days !== null) daysOf.set(key(row), [...(daysOf.get(key(row)) ?? []), days]);
    }
    return {
      year: query.year,
      suppressionThreshold: SUPPRESSION_THRESHOLD,
      cells: cells.map((row): AttainmentCell => {
        if (row.applications < SUPPRESSION_THRESHOLD) return suppressed(row.item, row.district);
        return {
          item: row.item,
          district: row.district,
          suppressed: false,
          applications: row.applications,
          outcomes: outcomesOf.get(key(row)) ?? {},
          decided: row.decided,
          decidedWithStatutoryLimit: row.timed,
          withinStatutoryLimitShare: row.timed === 0 ? null : Math.round((row.within / row.timed) * 10_000) / 10_000,
          medianWorkingDaysToDecision: median(daysOf.get(key(row)) ?? []),
          satisfactionAverage: row.satisfactionAverage,
          satisfactionCount: row.satisfactionCount,
        };
      }),
    };
  }
}

function suppressed(item: string, district: string): AttainmentCell {
  return {
    item,
    district,
    suppressed: true,
    applications: null,
    outcomes: null,
    decided: null,
    decidedWithStatutoryLimit: null,
    withinStatutoryLimitShare: null,
    medianWorkingDaysToDecision: null,
    satisfactionAverage: null,
    satisfactionCount: null,
  };
}

/** Working days after the day of submission up to the day of the decision (China Standard Time); null when a year is not published. */
function workingDays(calendars: CalendarSet, from: Date, to: Date): number | null {
  try {
    return workingDaysBetween(calendars, REGION, toShanghaiDate(from), toShanghaiDate(to));
  } catch {
    return null;
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const CSV_COLUMNS = [
  'item',
  'district',
  'suppressed',
  'applications',
  'outcomes',
  'decided',
  'decidedWithStatutoryLimit',
  'withinStatutoryLimitShare',
  'medianWorkingDaysToDecision',
  'satisfactionAverage',
  'satisfactionCount',
] as const;

/** The cells as CSV (RFC 4180, a header row; `outcomes` as `status=count` pairs joined by `;`; a suppressed figure empty). */
export function attainmentCsv(cells: readonly AttainmentCell[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      return Object.entries(value as Record<string, number>)
        .map(([status, n]) => `${status}=${n}`)
        .join(';');
    }
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(','), ...cells.map((cell) => CSV_COLUMNS.map((c) => field(cell[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
