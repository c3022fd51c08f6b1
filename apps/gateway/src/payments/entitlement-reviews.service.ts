import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Clock, DomainError, todayOn, type YearMonth } from '@minsheng/domain';
import {
  decideReview,
  InjectClock,
  loadCalendarSet,
  PublishedParameters,
  recordReviewResponse,
  REVIEW_OVERDUE_SQL,
  type ReviewAnswered,
  type ReviewDecided,
  type ReviewDecisionInput,
  transactionWithRetry,
} from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from '../clocks/staff-scope.js';

export interface ReviewView {
  readonly id: string;
  readonly entitlementId: string;
  readonly caseId: string;
  readonly division: string;
  readonly dueOn: string;
  readonly status: string;
  readonly openedAt: string;
  readonly respondBy: string | null;
  readonly calendarMissing: string | null;
  readonly outcome: string | null;
  readonly decidedBy: string | null;
  readonly closedAt: string | null;
  readonly respondedAt: string | null;
  readonly respondedBy: string | null;
  readonly decideBy: string | null;
  readonly awaiting: 'household' | 'office' | null;
  readonly overdue: boolean;
}

/**
 * Periodic reviews at the street office (docs/money.md "Periodic review"), scoped in SQL like every staff read
 * (docs/architecture.md invariant 6): the list, the household's answer and a review's decision, each applied with
 * the case locked first.
 */
@Injectable()
export class EntitlementReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
    private readonly parameters: PublishedParameters,
  ) {}

  async list(
    staff: StaffIdentity,
    filter: {
      status?: string | undefined;
      entitlementId?: string | undefined;
      overdue?: boolean | undefined;
      limit: number;
    },
  ): Promise<{ items: ReviewView[] }> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM (
         SELECT id, entitlement_id, case_id, division, due_on::text AS due_on, status, opened_at, respond_by,
                calendar_missing, outcome, decided_by, closed_at, responded_at, responded_by, decide_by,
                (status = 'open' AND ${REVIEW_OVERDUE_SQL} IS TRUE) AS overdue
           FROM entitlement_reviews r
          WHERE ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR entitlement_id = $3)
            AND ($4::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($5::text[]) AS p))) v
        WHERE ($7::boolean IS NULL OR overdue = $7)
        ORDER BY COALESCE(decide_by, respond_by) NULLS LAST, id LIMIT $6`,
      [
        this.clock.now(),
        filter.status ?? null,
        filter.entitlementId ?? null,
        seesEverything(staff),
        divisionPrefixes(staff),
        filter.limit,
        filter.overdue ?? null,
      ],
    )) as Record<string, unknown>[];
    const iso = (v: unknown) => (v === null ? null : (v as Date).toISOString());
    return {
      items: rows.map((r) => ({
        id: String(r['id']),
        entitlementId: String(r['entitlement_id']),
        caseId: String(r['case_id']),
        division: String(r['division']),
        dueOn: String(r['due_on']),
        status: String(r['status']),
        openedAt: (r['opened_at'] as Date).toISOString(),
        respondBy: iso(r['respond_by']),
        calendarMissing: r['calendar_missing'] === null ? null : String(r['calendar_missing']),
        outcome: r['outcome'] === null ? null : String(r['outcome']),
        decidedBy: r['decided_by'] === null ? null : String(r['decided_by']),
        closedAt: iso(r['closed_at']),
        respondedAt: iso(r['responded_at']),
        respondedBy: r['responded_by'] === null ? null : String(r['responded_by']),
        decideBy: iso(r['decide_by']),
        awaiting: r['status'] !== 'open' ? null : r['responded_at'] === null ? 'household' : 'office',
        overdue: r['overdue'] === true,
      })),
    };
  }

  /** Records the household's answer (docs/money.md "Periodic review"), at the injected clock's instant. */
  async respond(
    id: string,
    body: { papersSupplied: boolean; note?: string | undefined },
    staff: StaffIdentity,
    requestId: string,
  ): Promise<ReviewAnswered> {
    await this.assertVisible(id, staff);
    const parameters = this.parameters.current();
    const calendars = await loadCalendarSet(this.dataSource);
    return transactionWithRetry(this.dataSource, (tx) =>
      recordReviewResponse(tx, {
        reviewId: id,
        response: body,
        actor: `staff:${staff.subject}`,
        requestId,
        today: todayOn(this.clock),
        now: this.clock.now(),
        parameters,
        calendars,
      }),
    );
  }

  private async assertVisible(id: string, staff: StaffIdentity): Promise<void> {
    const [found] = (await this.dataSource.query(
      `SELECT 1 FROM entitlement_reviews WHERE id = $1
         AND ($2::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($3::text[]) AS p))`,
      [id, seesEverything(staff), divisionPrefixes(staff)],
    )) as unknown[];
    if (found === undefined) {
      throw new DomainError('REVIEW.NOT_FOUND', `no review ${id} you may see`, { field: 'id' });
    }
  }

  async decide(
    id: string,
    body: {
      outcome: ReviewDecisionInput['outcome'];
      effectiveMonth?: string | undefined;
      reason?: string | undefined;
      findings?: ReviewDecisionInput['findings'];
    },
    staff: StaffIdentity,
    requestId: string,
  ): Promise<ReviewDecided> {
    await this.assertVisible(id, staff);
    const parameters = this.parameters.current();
    return transactionWithRetry(this.dataSource, (tx) =>
      decideReview(tx, {
        reviewId: id,
        decision: {
          outcome: body.outcome,
          effectiveMonth: body.effectiveMonth as YearMonth | undefined,
          reason: body.reason,
          findings: body.findings,
        },
        actor: `staff:${staff.subject}`,
        requestId,
        today: todayOn(this.clock),
        now: this.clock.now(),
        parameters,
      }),
    );
  }
}
