import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, type Clock, type SatisfactionGroup } from '@minsheng/domain';
import { APP_CONFIG, type AppConfig, InjectClock } from '@minsheng/infra';
import type { SatisfactionRequest } from './satisfaction.request.js';

const DAY_MS = 86_400_000;

/** The SQL of each grouping key: the case's item, its accepting office, the month (CST) the answer was given. */
const GROUP_COLUMNS: Readonly<Record<SatisfactionGroup, string>> = {
  item: 's.item_code',
  office: 's.office_division',
  month: `to_char(s.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
};

/**
 * The satisfaction survey (docs/api.md "Satisfaction"): a portal answers once for a case of its own after it closed,
 * within `SATISFACTION_WINDOW_DAYS` of business time (the injected clock); operators read the results grouped.
 */
@Injectable()
export class SatisfactionSurvey {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async submit(portalId: string, caseId: string, answer: SatisfactionRequest) {
    const now = this.clock.now();
    const [kase] = (await this.dataSource.query(
      `SELECT id, item_code, department_code, accepting_division, closed_at FROM cases WHERE id = $1 AND portal_id = $2`,
      [caseId, portalId],
    )) as { item_code: string; department_code: string; accepting_division: string; closed_at: Date | null }[];
    if (kase === undefined) throw new DomainError('CASE.NOT_FOUND', 'no case of this portal has this id');
    if (kase.closed_at === null) {
      throw new DomainError('SATISFACTION.CASE_OPEN', 'the survey opens when the case closes', { caseId });
    }
    const windowDays = this.config.satisfaction.windowDays;
    const closesAt = new Date(kase.closed_at.getTime() + windowDays * DAY_MS);
    if (now.getTime() > closesAt.getTime()) {
      throw new DomainError('SATISFACTION.WINDOW_CLOSED', `the survey closed ${windowDays} days after the case`, {
        caseId,
        windowDays,
        closedAt: closesAt.toISOString(),
      });
    }
    const inserted = (await this.dataSource.query(
      `INSERT INTO case_satisfaction
         (case_id, portal_id, item_code, department_code, office_division, score, reasons, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
      [
        caseId,
        portalId,
        kase.item_code,
        kase.department_code,
        kase.accepting_division,
        answer.score,
        answer.reasons,
        now,
      ],
    )) as unknown[];
    if (inserted.length === 0) {
      throw new DomainError('SATISFACTION.ALREADY_SUBMITTED', 'the survey of this case was answered already', {
        caseId,
      });
    }
    return {
      caseId,
      score: answer.score,
      reasons: answer.reasons,
      submittedAt: now.toISOString(),
      windowDays,
    };
  }

  /** Count, average score, the score distribution and the reason counts per group, in group order. */
  async results(query: { from: string; to: string; groupBy: readonly SatisfactionGroup[] }) {
    const keys = [...new Set(query.groupBy)];
    const columns = keys.map((key) => `${GROUP_COLUMNS[key]} AS "${key}"`).join(', ');
    const positions = keys.map((_, i) => String(i + 1)).join(', ');
    const period = `s.submitted_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai')
      AND s.submitted_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
    const groups = (await this.dataSource.query(
      `SELECT ${columns}, count(*)::int AS count, round(avg(s.score), 2)::float8 AS "averageScore",
              ${[1, 2, 3, 4, 5].map((n) => `count(*) FILTER (WHERE s.score = ${n})::int AS "s${n}"`).join(', ')}
       FROM case_satisfaction s WHERE ${period}
       GROUP BY ${positions} ORDER BY ${positions}`,
      [query.from, query.to],
    )) as Record<string, unknown>[];
    const reasons = (await this.dataSource.query(
      `SELECT ${columns}, r.reason, count(*)::int AS n
       FROM case_satisfaction s CROSS JOIN LATERAL unnest(s.reasons) AS r(reason) WHERE ${period}
       GROUP BY ${positions}, r.reason ORDER BY ${positions}, r.reason`,
      [query.from, query.to],
    )) as Record<string, unknown>[];
    const keyOf = (row: Record<string, unknown>) => JSON.stringify(keys.map((key) => row[key]));
    const reasonsOf = new Map<string, Record<string, number>>();
    for (const row of reasons) {
      const counts = reasonsOf.get(keyOf(row)) ?? {};
      counts[String(row['reason'])] = Number(row['n']);
      reasonsOf.set(keyOf(row), counts);
    }
    return {
      from: query.from,
      to: query.to,
      groupBy: keys,
      groups: groups.map((row) => ({
        ...Object.fromEntries(keys.map((key) => [key, row[key]])),
        count: row['count'],
        averageScore: row['averageScore'],
        scores: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), row[`s${n}`]])),
        reasons: reasonsOf.get(keyOf(row)) ?? {},
      })),
    };
  }
}
