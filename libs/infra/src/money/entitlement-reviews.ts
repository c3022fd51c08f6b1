import { randomUUID } from 'node:crypto';
import {
  addMonths,
  allowsGradualExit,
  type CalendarSet,
  DomainError,
  type EntitlementKind,
  ENTITLEMENT_CHANGES,
  type EntitlementStatus,
  firstDayOf,
  firstReviewBase,
  gradualExitEnd,
  isMinimumLivingBasis,
  type MinimumLivingBasis,
  minimumLivingAmountUnder,
  type ParameterUse,
  type ReviewDate,
  type ReviewOutcome,
  statusAfter,
  type IsoDate,
  isReviewedKind,
  monthOf,
  nextReviewDate,
  planClock,
  reviewHouseholdType,
  reviewDecisionLimitKey,
  reviewResponseLimitKey,
  type StandardParameter,
  useParameter,
  type YearMonth,
} from '@minsheng/domain';
import { appendCaseEvents, type NewCaseEvent, type Queryable } from '../case-log/case-event-chain.js';

/**
 * Periodic review (动态管理, docs/money.md "Periodic review"): the SQL of the daily review sweep and of a review's
 * decision. Whatever changes an entitlement locks its case first, then the entitlement, then the review (the lock
 * order, docs/operations.md); each change is an event on the case's chain with the parameter values used.
 */

/** The region whose official calendar counts a review's working days (the clocks' region, docs/clocks.md). */
const REVIEW_CLOCK_REGION = 'xinjiang';
const SWEEP_ACTOR = 'system:reviews';

export interface CaseHead {
  seq: number;
  hash: string | null;
}

/** Locks the cases in id order (the lock order) and answers each one's chain head. */
export async function lockCaseHeads(q: Queryable, caseIds: readonly string[]): Promise<Map<string, CaseHead>> {
  const ids = [...new Set(caseIds)].sort();
  if (ids.length === 0) return new Map();
  const rows = (await q.query(
    `SELECT id, last_event_seq, last_event_hash FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  )) as { id: string; last_event_seq: number; last_event_hash: string | null }[];
  return new Map(rows.map((r) => [String(r.id), { seq: r.last_event_seq, hash: r.last_event_hash }]));
}

/** Appends `events` to the case's chain and moves the head kept in `heads`. */
export async function appendToCase(
  q: Queryable,
  heads: Map<string, CaseHead>,
  caseId: string,
  events: readonly Omit<NewCaseEvent, 'id'>[],
): Promise<void> {
  const head = heads.get(caseId);
  if (head === undefined) throw new Error(`case ${caseId} is not locked`);
  heads.set(
    caseId,
    await appendCaseEvents(
      q,
      caseId,
      head,
      events.map((e) => ({ ...e, id: randomUUID() })),
    ),
  );
}

/**
 * Gives each active reviewed entitlement without a review date its first one (up to `limit`): the first day of its
 * first month paid (or today, when that is past) plus the interval published for its kind and household type,
 * the value in force today. Answers how many were given a date.
 */
export async function assignReviewDates(
  q: Queryable,
  input: { today: IsoDate; parameters: readonly StandardParameter[]; limit: number },
): Promise<number> {
  const rows = (await q.query(
    `SELECT e.id, e.kind, e.start_month, c.facts
       FROM entitlements e JOIN cases c ON c.id = e.case_id
      WHERE e.status = 'active' AND e.next_review_on IS NULL AND e.kind = ANY($1::text[])
      ORDER BY e.id LIMIT $2
      FOR UPDATE OF e SKIP LOCKED`,
    [REVIEWED, input.limit],
  )) as { id: string; kind: EntitlementKind; start_month: string; facts: unknown }[];
  for (const row of rows) {
    const type = reviewHouseholdType(row.kind, row.facts, input.today);
    const from = firstReviewBase(row.start_month as YearMonth, input.today);
    const date = nextReviewDate(row.kind, type, from, input.today, input.parameters);
    await q.query(`UPDATE entitlements SET next_review_on = $2, review_basis = $3 WHERE id = $1`, [
      row.id,
      date.nextReviewOn,
      JSON.stringify(date),
    ]);
  }
  return rows.length;
}

const REVIEWED = [
  'minimum-living-allowance',
  'extreme-poverty-support',
  'disability-living-subsidy',
  'disability-nursing-subsidy',
].filter(isReviewedKind);

/**
 * Opens a review at the street office for each active entitlement whose review date has come (up to `limit`):
 * one row per (entitlement, date), `respond_by` the end of the working day the published answer limit reaches
 * (counted in the official calendar like every statutory clock; no date when the count reaches an unpublished
 * year), and ENTITLEMENT_REVIEW_OPENED on the case's chain. Answers the reviews opened.
 */
export async function openDueReviews(
  q: Queryable,
  input: {
    today: IsoDate;
    now: Date;
    parameters: readonly StandardParameter[];
    calendars: CalendarSet;
    limit: number;
  },
): Promise<number> {
  const due = (await q.query(
    `SELECT e.id, e.case_id FROM entitlements e
      WHERE e.status = 'active' AND e.next_review_on <= $1::date
        AND NOT EXISTS (SELECT 1 FROM entitlement_reviews r WHERE r.entitlement_id = e.id AND r.status = 'open')
      ORDER BY e.id LIMIT $2`,
    [input.today, input.limit],
  )) as { id: string; case_id: string }[];
  if (due.length === 0) return 0;
  const heads = await lockCaseHeads(
    q,
    due.map((d) => d.case_id),
  );
  let opened = 0;
  for (const { id, case_id: caseId } of due) {
    const [row] = (await q.query(
      `SELECT kind, division, next_review_on::text AS due_on, status FROM entitlements WHERE id = $1 FOR UPDATE`,
      [id],
    )) as { kind: EntitlementKind; division: string; due_on: string | null; status: string }[];
    if (row === undefined || row.status !== 'active' || row.due_on === null || row.due_on > input.today) continue;
    const limit = useParameter(input.parameters, reviewResponseLimitKey(row.kind), input.today, 'review answer limit');
    const plan = planClock(
      {
        startedAt: input.now,
        limitAmount: limit.value,
        unit: 'working-days',
        region: REVIEW_CLOCK_REGION,
        source: limit.key,
        pausedAt: null,
        pauses: [],
        extensions: [],
      },
      input.calendars,
    );
    const [inserted] = (await q.query(
      `INSERT INTO entitlement_reviews (entitlement_id, case_id, division, due_on, opened_at, respond_by,
                                        calendar_missing, limit_basis)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [id, caseId, row.division, row.due_on, input.now, plan.dueAt, plan.calendarMissing, JSON.stringify(limit)],
    )) as { id: string }[];
    if (inserted === undefined) continue;
    opened += 1;
    await appendToCase(q, heads, caseId, [
      {
        type: 'ENTITLEMENT_REVIEW_OPENED',
        actor: SWEEP_ACTOR,
        payload: {
          entitlementId: id,
          reviewId: inserted.id,
          dueOn: row.due_on,
          division: row.division,
          respondBy: plan.dueAt?.toISOString() ?? null,
          respondByDay: plan.due,
          calendarMissing: plan.calendarMissing,
          parameters: [limit],
        },
        occurredAt: input.now,
      },
    ]);
  }
  return opened;
}

/**
 * A review opened while its answer limit reached an unpublished calendar year has no `respond_by` (fail closed, never
 * a guessed year, docs/clocks.md): once that year is published, its limit is counted again from the day it opened
 * with the value it used. Answers how many now have a date (one pass over up to `limit` reviews).
 */
export async function recountReviewLimits(
  q: Queryable,
  input: { calendars: CalendarSet; limit: number },
): Promise<number> {
  const rows = (await q.query(
    `SELECT id, opened_at, limit_basis FROM entitlement_reviews
      WHERE status = 'open' AND respond_by IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [input.limit],
  )) as { id: string; opened_at: Date; limit_basis: { key: string; value: number } }[];
  let counted = 0;
  for (const row of rows) {
    const plan = planClock(
      {
        startedAt: row.opened_at,
        limitAmount: row.limit_basis.value,
        unit: 'working-days',
        region: REVIEW_CLOCK_REGION,
        source: row.limit_basis.key,
        pausedAt: null,
        pauses: [],
        extensions: [],
      },
      input.calendars,
    );
    if (plan.dueAt === null) continue;
    await q.query(`UPDATE entitlement_reviews SET respond_by = $2, calendar_missing = NULL WHERE id = $1`, [
      row.id,
      plan.dueAt,
    ]);
    counted += 1;
  }
  // The same for the street office's decision limit, counted from the household's answer.
  const answered = (await q.query(
    `SELECT id, responded_at, decide_limit_basis FROM entitlement_reviews
      WHERE status = 'open' AND responded_at IS NOT NULL AND decide_by IS NULL ORDER BY id LIMIT $1
      FOR UPDATE SKIP LOCKED`,
    [input.limit],
  )) as { id: string; responded_at: Date; decide_limit_basis: { key: string; value: number } }[];
  for (const row of answered) {
    const plan = decisionPlan(row.responded_at, row.decide_limit_basis, input.calendars);
    if (plan.dueAt === null) continue;
    await q.query(`UPDATE entitlement_reviews SET decide_by = $2, decide_calendar_missing = NULL WHERE id = $1`, [
      row.id,
      plan.dueAt,
    ]);
    counted += 1;
  }
  return counted;
}

function decisionPlan(from: Date, limit: { key: string; value: number }, calendars: CalendarSet) {
  return planClock(
    {
      startedAt: from,
      limitAmount: limit.value,
      unit: 'working-days',
      region: REVIEW_CLOCK_REGION,
      source: limit.key,
      pausedAt: null,
      pauses: [],
      extensions: [],
    },
    calendars,
  );
}

/** What `recordReviewResponse` answers. */
export interface ReviewAnswered {
  readonly reviewId: string;
  readonly entitlementId: string;
  readonly respondedAt: string;
  readonly decideBy: string | null;
  readonly calendarMissing: string | null;
}

/**
 * The street office records that the household answered its review (came in, supplied its papers), at `now` from
 * the injected clock: the no-answer lapse no longer applies, and the office's own decision limit (the published
 * working days, `reviewDecisionLimitKey`) is counted from the answer. Past that limit an undecided review is overdue
 * for the office; the household is not suspended for the office's delay (docs/money.md "Periodic review").
 * ENTITLEMENT_REVIEW_ANSWERED goes on the case's chain. The case is locked first, then the entitlement, then the
 * review. Throws a DomainError when the review is not open, already answered, or its answer limit has passed.
 */
export async function recordReviewResponse(
  q: Queryable,
  input: {
    reviewId: string;
    response: { readonly papersSupplied: boolean; readonly note?: string | undefined };
    actor: string;
    requestId: string | null;
    today: IsoDate;
    now: Date;
    parameters: readonly StandardParameter[];
    calendars: CalendarSet;
  },
): Promise<ReviewAnswered> {
  const [found] = (await q.query(`SELECT case_id FROM entitlement_reviews WHERE id = $1`, [input.reviewId])) as {
    case_id: string;
  }[];
  if (found === undefined) throw reviewNotFound(input.reviewId);
  const heads = await lockCaseHeads(q, [found.case_id]);
  const [e] = (await q.query(
    `SELECT e.id, e.kind FROM entitlements e JOIN entitlement_reviews r ON r.entitlement_id = e.id
      WHERE r.id = $1 FOR UPDATE OF e`,
    [input.reviewId],
  )) as { id: string; kind: EntitlementKind }[];
  const [review] = (await q.query(
    `SELECT status, respond_by, responded_at FROM entitlement_reviews WHERE id = $1 FOR UPDATE`,
    [input.reviewId],
  )) as { status: string; respond_by: Date | null; responded_at: Date | null }[];
  if (e === undefined || review === undefined) throw reviewNotFound(input.reviewId);
  if (review.status !== 'open') {
    throw new DomainError('REVIEW.NOT_OPEN', `review ${input.reviewId} is ${review.status}, not open`, {
      field: 'id',
      status: review.status,
    });
  }
  if (review.responded_at !== null) {
    throw new DomainError(
      'REVIEW.ALREADY_ANSWERED',
      `the household answered review ${input.reviewId} on ${review.responded_at.toISOString()}`,
      { field: 'id', respondedAt: review.responded_at.toISOString() },
    );
  }
  if (review.respond_by !== null && review.respond_by < input.now) {
    throw new DomainError(
      'REVIEW.ANSWER_PAST_LIMIT',
      `the answer limit of review ${input.reviewId} passed at ${review.respond_by.toISOString()}`,
      { field: 'id', respondBy: review.respond_by.toISOString() },
    );
  }
  const limit = useParameter(input.parameters, reviewDecisionLimitKey(e.kind), input.today, 'review decision limit');
  const plan = decisionPlan(input.now, limit, input.calendars);
  await q.query(
    `UPDATE entitlement_reviews SET responded_at = $2, responded_by = $3, response = $4, decide_by = $5,
            decide_calendar_missing = $6, decide_limit_basis = $7
      WHERE id = $1`,
    [
      input.reviewId,
      input.now,
      input.actor,
      JSON.stringify(input.response),
      plan.dueAt,
      plan.calendarMissing,
      JSON.stringify(limit),
    ],
  );
  await appendToCase(q, heads, found.case_id, [
    {
      type: 'ENTITLEMENT_REVIEW_ANSWERED',
      actor: input.actor,
      requestId: input.requestId,
      payload: {
        entitlementId: e.id,
        reviewId: input.reviewId,
        respondedAt: input.now.toISOString(),
        papersSupplied: input.response.papersSupplied,
        decideBy: plan.dueAt?.toISOString() ?? null,
        decideByDay: plan.due,
        calendarMissing: plan.calendarMissing,
        parameters: [limit],
      },
      occurredAt: input.now,
    },
  ]);
  return {
    reviewId: input.reviewId,
    entitlementId: e.id,
    respondedAt: input.now.toISOString(),
    decideBy: plan.dueAt?.toISOString() ?? null,
    calendarMissing: plan.calendarMissing,
  };
}

/**
 * Whether an open review is past its limit, in SQL over `r` (entitlement_reviews) and the instant `$1`: the
 * household's answer limit while it has not answered, the street office's decision limit once it has.
 */
export const REVIEW_OVERDUE_SQL = `(CASE WHEN r.responded_at IS NULL THEN r.respond_by < $1 ELSE r.decide_by < $1 END)`;

/**
 * A household that did not answer its review within the limit (no answer recorded, `recordReviewResponse`): the review lapses and the entitlement is
 * SUSPENDED (reason `no-response-to-review`) from the current month, never ended (docs/money.md "Periodic
 * review"). Its review date is cleared: a resumption gives it a new one. Answers how many lapsed.
 */
export async function lapseOverdueReviews(
  q: Queryable,
  input: { now: Date; today: IsoDate; limit: number },
): Promise<number> {
  const overdue = (await q.query(
    `SELECT id, case_id FROM entitlement_reviews
      WHERE status = 'open' AND responded_at IS NULL AND respond_by < $1 ORDER BY id LIMIT $2`,
    [input.now, input.limit],
  )) as { id: string; case_id: string }[];
  if (overdue.length === 0) return 0;
  const heads = await lockCaseHeads(
    q,
    overdue.map((o) => o.case_id),
  );
  let lapsed = 0;
  for (const { id, case_id: caseId } of overdue) {
    const [entitlement] = (await q.query(
      `SELECT e.id, e.status FROM entitlements e JOIN entitlement_reviews r ON r.entitlement_id = e.id
        WHERE r.id = $1 FOR UPDATE OF e`,
      [id],
    )) as { id: string; status: string }[];
    const [review] = (await q.query(
      `SELECT respond_by, limit_basis FROM entitlement_reviews
        WHERE id = $1 AND status = 'open' AND responded_at IS NULL AND respond_by < $2 FOR UPDATE`,
      [id, input.now],
    )) as { respond_by: Date; limit_basis: unknown }[];
    if (entitlement === undefined || review === undefined) continue;
    await q.query(`UPDATE entitlement_reviews SET status = 'lapsed', closed_at = $2 WHERE id = $1`, [id, input.now]);
    lapsed += 1;
    const suspends = entitlement.status === 'active' || entitlement.status === 'gradual-exit';
    if (suspends) {
      await q.query(
        `UPDATE entitlements SET status = 'suspended', status_reason = 'no-response-to-review', next_review_on = NULL,
                version = version + 1, updated_at = $2 WHERE id = $1`,
        [entitlement.id, input.now],
      );
    }
    await appendToCase(q, heads, caseId, [
      {
        type: 'ENTITLEMENT_REVIEW_LAPSED',
        actor: SWEEP_ACTOR,
        payload: { entitlementId: entitlement.id, reviewId: id, respondBy: review.respond_by.toISOString() },
        occurredAt: input.now,
      },
      ...(suspends
        ? [
            {
              type: 'ENTITLEMENT_SUSPENDED',
              actor: SWEEP_ACTOR,
              payload: {
                entitlementId: entitlement.id,
                reviewId: id,
                reason: 'no-response-to-review',
                effectiveMonth: monthOf(input.today),
                from: entitlement.status,
                to: 'suspended',
                parameters: [review.limit_basis],
              },
              occurredAt: input.now,
            },
          ]
        : []),
    ]);
  }
  return lapsed;
}

/**
 * Ends each entitlement whose gradual exit has paid its last month (its end month is before `month`), with
 * ENTITLEMENT_ENDED (reason `gradual-exit-completed`). Answers how many ended.
 */
export async function completeGradualExits(
  q: Queryable,
  input: { month: YearMonth; now: Date; limit: number },
): Promise<number> {
  const done = (await q.query(
    `SELECT id, case_id, end_month FROM entitlements WHERE status = 'gradual-exit' AND end_month < $1
      ORDER BY id LIMIT $2`,
    [input.month, input.limit],
  )) as { id: string; case_id: string; end_month: string }[];
  if (done.length === 0) return 0;
  const heads = await lockCaseHeads(
    q,
    done.map((d) => d.case_id),
  );
  let ended = 0;
  for (const { id, case_id: caseId, end_month: endMonth } of done) {
    const changed = (await q.query(
      `UPDATE entitlements SET status = 'ended', status_reason = 'gradual-exit-completed', version = version + 1,
              updated_at = $2
        WHERE id = $1 AND status = 'gradual-exit' RETURNING id`,
      [id, input.now],
    )) as unknown[];
    if (changed.length === 0) continue;
    ended += 1;
    await appendToCase(q, heads, caseId, [
      {
        type: 'ENTITLEMENT_ENDED',
        actor: SWEEP_ACTOR,
        payload: {
          entitlementId: id,
          reason: 'gradual-exit-completed',
          effectiveMonth: input.month,
          endMonth,
          from: 'gradual-exit',
          to: 'ended',
        },
        occurredAt: input.now,
      },
    ]);
  }
  return ended;
}

/**
 * Reviews due and overdue, for the operators' metrics, by whom they wait on: the household (not answered, its answer
 * limit) or the street office (answered, its decision limit). Overdue means open past that limit.
 */
export async function reviewCounts(
  q: Queryable,
  now: Date,
): Promise<{ item: string; awaiting: 'household' | 'office'; due: number; overdue: number }[]> {
  const rows = (await q.query(
    `SELECT e.item_code AS item, CASE WHEN r.responded_at IS NULL THEN 'household' ELSE 'office' END AS awaiting,
            count(*) FILTER (WHERE ${REVIEW_OVERDUE_SQL} IS NOT TRUE)::int AS due,
            count(*) FILTER (WHERE ${REVIEW_OVERDUE_SQL})::int AS overdue
       FROM entitlement_reviews r JOIN entitlements e ON e.id = r.entitlement_id
      WHERE r.status = 'open' GROUP BY 1, 2 ORDER BY 1, 2`,
    [now],
  )) as { item: string; awaiting: 'household' | 'office'; due: number; overdue: number }[];
  return rows;
}

/** A street office's decision on a review (docs/money.md "Periodic review"). */
export interface ReviewDecisionInput {
  readonly outcome: ReviewOutcome;
  /** The first month the change applies to (not for `continue`). */
  readonly effectiveMonth?: YearMonth | undefined;
  /** A suspension's or ending's reason code (ENTITLEMENT_CHANGES). */
  readonly reason?: string | undefined;
  /** What the review verified, for an adjustment or a gradual exit of 低保. */
  readonly findings?: { readonly perCapitaIncomeFen: number; readonly memberCount: number } | undefined;
}

export interface ReviewDecided {
  readonly reviewId: string;
  readonly entitlementId: string;
  readonly outcome: ReviewOutcome;
  readonly status: string;
  readonly monthlyAmountFen: number;
  readonly endMonth: string | null;
  readonly nextReviewOn: string | null;
  readonly events: readonly string[];
}

/**
 * Applies a review's decision in the caller's transaction: the case is locked first, then the entitlement and the
 * review. `continue` sets the next date; `adjust` recomputes the 低保 amount from the verified income and the
 * standard in force on the first day of the effective month (gap method, 社会救助暂行办法 art. 12) and sets the next
 * date; `gradual-exit` (低保 whose verified income is at or above the standard) pays the current amount for the
 * published number of months, then the sweep ends it; `suspend` and `end` change the status with their reason.
 * Throws a DomainError when the review is not open or the decision does not fit the entitlement.
 */
export async function decideReview(
  q: Queryable,
  input: {
    reviewId: string;
    decision: ReviewDecisionInput;
    actor: string;
    requestId: string | null;
    today: IsoDate;
    now: Date;
    parameters: readonly StandardParameter[];
  },
): Promise<ReviewDecided> {
  const [found] = (await q.query(`SELECT case_id FROM entitlement_reviews WHERE id = $1`, [input.reviewId])) as {
    case_id: string;
  }[];
  if (found === undefined) throw reviewNotFound(input.reviewId);
  const heads = await lockCaseHeads(q, [found.case_id]);
  const [e] = (await q.query(
    `SELECT e.id, e.kind, e.status, e.start_month, e.end_month, e.monthly_amount_fen::int AS amount, e.basis,
            c.facts
       FROM entitlements e JOIN entitlement_reviews r ON r.entitlement_id = e.id JOIN cases c ON c.id = e.case_id
      WHERE r.id = $1 FOR UPDATE OF e`,
    [input.reviewId],
  )) as {
    id: string;
    kind: EntitlementKind;
    status: EntitlementStatus;
    start_month: string;
    end_month: string | null;
    amount: number;
    basis: Record<string, unknown>;
    facts: unknown;
  }[];
  const [review] = (await q.query(`SELECT status FROM entitlement_reviews WHERE id = $1 FOR UPDATE`, [
    input.reviewId,
  ])) as { status: string }[];
  if (e === undefined || review === undefined) throw reviewNotFound(input.reviewId);
  if (review.status !== 'open') {
    throw new DomainError('REVIEW.NOT_OPEN', `review ${input.reviewId} is ${review.status}, not open`, {
      field: 'id',
      status: review.status,
    });
  }
  const { decision } = input;
  const effectiveMonth = decision.effectiveMonth ?? (monthOf(input.today) as YearMonth);
  const base = { actor: input.actor, occurredAt: input.now, requestId: input.requestId };
  const events: Omit<NewCaseEvent, 'id'>[] = [];
  let status: EntitlementStatus = e.status;
  let amount = e.amount;
  let endMonth = e.end_month;
  let basis = e.basis;
  let next: ReviewDate | null = null;
  const nextDate = () =>
    nextReviewDate(
      e.kind,
      reviewHouseholdType(e.kind, e.facts, input.today),
      input.today,
      input.today,
      input.parameters,
    );

  if (decision.outcome === 'continue' || decision.outcome === 'adjust') {
    if (e.status !== 'active') throw wrongStatus(e.status, decision.outcome);
    if (decision.outcome === 'adjust') {
      const rated = rateMinimumLiving(e, decision, effectiveMonth, input.parameters);
      if (rated.amountFen === 0) {
        throw new DomainError(
          'REVIEW.INCOME_AT_OR_ABOVE_STANDARD',
          'the verified income is at or above the standard: decide a gradual exit or an ending, not an adjustment',
          { field: 'findings.perCapitaIncomeFen' },
        );
      }
      events.push({
        ...base,
        type: 'ENTITLEMENT_ADJUSTED',
        payload: {
          entitlementId: e.id,
          reviewId: input.reviewId,
          reason: 'review',
          fromMonth: effectiveMonth,
          fromAmountFen: e.amount,
          toAmountFen: rated.amountFen,
          findings: decision.findings,
          parameters: [rated.standard],
        },
      });
      amount = rated.amountFen;
      basis = { ...e.basis, minimumLiving: rated.basis };
    }
    next = nextDate();
  } else if (decision.outcome === 'gradual-exit') {
    if (e.status !== 'active') throw wrongStatus(e.status, decision.outcome);
    if (!allowsGradualExit(e.kind)) {
      throw new DomainError('REVIEW.OUTCOME_NOT_ALLOWED', `a ${e.kind} entitlement has no gradual exit`, {
        field: 'outcome',
      });
    }
    const rated = rateMinimumLiving(e, decision, effectiveMonth, input.parameters);
    if (rated.amountFen > 0) {
      throw new DomainError(
        'REVIEW.INCOME_BELOW_STANDARD',
        'the verified income is below the standard: a gradual exit follows income at or above it (decide an adjustment)',
        { field: 'findings.perCapitaIncomeFen' },
      );
    }
    const exit = gradualExitEnd(effectiveMonth, input.today, input.parameters);
    status = 'gradual-exit';
    endMonth = exit.endMonth < e.start_month ? e.start_month : exit.endMonth;
    events.push({
      ...base,
      type: 'ENTITLEMENT_GRADUAL_EXIT_STARTED',
      payload: {
        entitlementId: e.id,
        reviewId: input.reviewId,
        reason: 'income-above-standard',
        effectiveMonth,
        months: exit.months,
        endMonth,
        monthlyAmountFen: e.amount,
        findings: decision.findings,
        from: e.status,
        to: status,
        parameters: [exit.parameter, rated.standard],
      },
    });
  } else {
    const change = decision.outcome === 'suspend' ? 'suspension' : 'ending';
    const rule = ENTITLEMENT_CHANGES[change];
    const reason = decision.reason;
    if (reason === undefined || !(rule.reasons as readonly string[]).includes(reason)) {
      throw new DomainError('VALIDATION.FAILED', 'the request body is not valid', {
        errors: [{ field: 'reason', code: 'INVALID_REASON', message: `one of ${rule.reasons.join(', ')}` }],
      });
    }
    const after = statusAfter(e.status, change);
    if (after === null) throw wrongStatus(e.status, decision.outcome);
    status = after;
    if (change === 'ending') {
      const before = addMonths(effectiveMonth, -1);
      endMonth = before < e.start_month ? e.start_month : before;
    }
    events.push({
      ...base,
      type: rule.event,
      payload: {
        entitlementId: e.id,
        reviewId: input.reviewId,
        reason,
        effectiveMonth,
        from: e.status,
        to: status,
        ...(change === 'ending' ? { endMonth } : {}),
      },
    });
  }
  events.push({
    ...base,
    type: 'ENTITLEMENT_REVIEWED',
    payload: {
      entitlementId: e.id,
      reviewId: input.reviewId,
      outcome: decision.outcome,
      nextReviewOn: next?.nextReviewOn ?? null,
      ...(next === null ? {} : { householdType: next.householdType, parameters: [next.parameter] }),
    },
  });
  await q.query(
    `UPDATE entitlements SET status = $2, status_reason = $3, monthly_amount_fen = $4, end_month = $5, basis = $6,
            next_review_on = $7, review_basis = COALESCE($8, review_basis), version = version + 1, updated_at = $9
      WHERE id = $1`,
    [
      e.id,
      status,
      status === e.status ? null : (decision.reason ?? 'income-above-standard'),
      amount,
      endMonth,
      JSON.stringify(basis),
      next?.nextReviewOn ?? null,
      next === null ? null : JSON.stringify(next),
      input.now,
    ],
  );
  await q.query(
    `UPDATE entitlement_reviews SET status = 'decided', outcome = $2, decision = $3, decided_by = $4, closed_at = $5
      WHERE id = $1`,
    [input.reviewId, decision.outcome, JSON.stringify(decision), input.actor, input.now],
  );
  await appendToCase(q, heads, found.case_id, events);
  return {
    reviewId: input.reviewId,
    entitlementId: e.id,
    outcome: decision.outcome,
    status,
    monthlyAmountFen: amount,
    endMonth,
    nextReviewOn: next?.nextReviewOn ?? null,
    events: events.map((ev) => ev.type),
  };
}

/** The 低保 amount under the verified findings and the standard in force on the first day of `month`. */
function rateMinimumLiving(
  e: { kind: string; basis: Record<string, unknown> },
  decision: ReviewDecisionInput,
  month: YearMonth,
  parameters: readonly StandardParameter[],
): { amountFen: number; basis: MinimumLivingBasis; standard: ParameterUse } {
  const basis = e.basis['minimumLiving'];
  if (e.kind !== 'minimum-living-allowance' || !isMinimumLivingBasis(basis)) {
    throw new DomainError(
      'REVIEW.OUTCOME_NOT_ALLOWED',
      'only a 低保 entitlement is recomputed from verified income; other kinds follow their published standard',
      { field: 'outcome' },
    );
  }
  if (decision.findings === undefined) {
    throw new DomainError('VALIDATION.FAILED', 'the request body is not valid', {
      errors: [{ field: 'findings', code: 'REQUIRED', message: 'the verified per-capita income and member count' }],
    });
  }
  const standard = useParameter(parameters, basis.standardKey, firstDayOf(month), '低保 review');
  const next: MinimumLivingBasis = {
    ...basis,
    standardFen: standard.value,
    perCapitaIncomeFen: decision.findings.perCapitaIncomeFen,
    memberCount: decision.findings.memberCount,
  };
  return { amountFen: minimumLivingAmountUnder(next, standard.value), basis: next, standard };
}

function wrongStatus(status: string, outcome: string): DomainError {
  return new DomainError('ENTITLEMENT.WRONG_STATUS', `an ${status} entitlement takes no ${outcome}`, {
    field: 'status',
    status,
  });
}

function reviewNotFound(id: string): DomainError {
  return new DomainError('REVIEW.NOT_FOUND', `no review ${id} you may see`, { field: 'id' });
}
