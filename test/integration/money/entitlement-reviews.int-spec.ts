import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { PaymentRunScheduler } from '../../../apps/worker/src/payments/payment-run-scheduler.js';
import { EntitlementReviewSweep } from '../../../apps/worker/src/reviews/entitlement-review-sweep.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { eventually, given, TIANSHAN_STREET } from '../../support/given.js';
import { listen, staffRequest } from '../../support/http.js';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../../support/households.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { publishTestYear } from '../../support/test-calendars.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { clockIdOf, promoteClockTimer } from '../../support/time-travel.js';
import { parsePrometheusText, sampleSum } from '../ops/prometheus-text.js';

const STANDARD = 38_000;

interface Row {
  id: string;
  case_id: string;
  division: string;
  status: string;
  status_reason: string | null;
  next_review_on: string | null;
  review_basis: any;
  monthly_amount_fen: number;
  end_month: string | null;
  members: number;
}

/**
 * Periodic review (动态管理, docs/money.md "Periodic review"): review dates from the published rule (and a published
 * change of it), the review at the street office with its answer limit in working days, the suspension of a
 * household that did not answer, and a gradual exit of the published number of months that the payment runs pay
 * and then stop.
 */
describe('money: periodic review of entitlements, suspension without an answer, the gradual exit', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let operator: StaffToken;
  /** Entitlements in id order: a stable household, one leaving by gradual exit, one not answering, one continuing. */
  let stable: Row, leaving: Row, silent: Row, continuing: Row;

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const entitlement = async (id: string): Promise<Row> =>
    (
      await env.db.query(
        `SELECT id, case_id, division, status, status_reason, next_review_on::text AS next_review_on, review_basis,
                monthly_amount_fen::int AS monthly_amount_fen, end_month,
                (basis->'minimumLiving'->>'memberCount')::int AS members
           FROM entitlements WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const eventsOf = async (caseId: string, type: string) =>
    (
      await env.db.query(`SELECT payload FROM case_events WHERE case_id = $1 AND type = $2 ORDER BY seq`, [
        caseId,
        type,
      ])
    ).rows.map((r) => r.payload);
  const openReviewOf = async (entitlementId: string) =>
    (
      await env.db.query(`SELECT id FROM entitlement_reviews WHERE entitlement_id = $1 AND status = 'open'`, [
        entitlementId,
      ])
    ).rows[0]?.id as string | undefined;
  const sweep = () => worker.get(EntitlementReviewSweep).sweep();
  const reviewGauge = async (state: string) => {
    const response = await fetch(`${base}/metrics`, { headers: operator.headers });
    expect(response.status).toBe(200);
    return sampleSum(parsePrometheusText(await response.text()), 'minsheng_entitlement_reviews', {
      item: 'BPS-064',
      state,
    });
  };
  const paidMonths = async (entitlementId: string) =>
    (
      await env.db.query(`SELECT month FROM payment_lines WHERE entitlement_id = $1 ORDER BY month`, [entitlementId])
    ).rows.map((r) => r.month as string);
  const runMonth = async (at: string) => {
    clock.advanceTo(new Date(at));
    const run = (await worker.get(PaymentRunScheduler).openDueMonth())!;
    expect(run).not.toBeNull();
    await eventually(async () => {
      const { body } = await request('GET', `/v1/payment-runs/${run.id}`, operator);
      return body.state === 'ready' ? body : undefined;
    }, 60_000);
    return run.month;
  };

  beforeAll(async () => {
    env = await createTestEnvironment('entitlement reviews', { HEARTBEAT_EVERY_MS: '60000' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    operator = await staffToken(env.env, 'operator-1', { level: 'city', divisions: ['650100'], roles: ['operator'] });
    await bulkApprovedHouseholds(env.db, 4, [TIANSHAN_STREET, SAYIBAK_STREET], STANDARD);
    const { rows } = await env.db.query(`SELECT id FROM entitlements ORDER BY id`);
    [stable, leaving, silent, continuing] = await Promise.all(rows.map((r) => entitlement(r.id)));
    // The first household's members are all elderly: circumstances stable, reviewed yearly.
    await env.db.query(`UPDATE cases SET facts = $2 WHERE id = $1`, [
      stable!.case_id,
      {
        household: {
          members: [
            { id: 'm1', birthDate: '1940-02-02' },
            { id: 'm2', birthDate: '1944-09-09' },
          ],
        },
      },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('runs the sweep daily at 01:00 Asia/Shanghai through a job scheduler', async () => {
    const scheduler = await env.queue('entitlement-reviews').getJobScheduler('entitlement-review-sweep');
    expect(scheduler).toMatchObject({ pattern: '0 1 * * *', tz: 'Asia/Shanghai', name: 'sweep' });
  });

  it('gives each active entitlement its review date from the published rule for its household type', async () => {
    clock.advanceTo(new Date('2026-06-10T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ scheduled: 4, opened: 0, lapsed: 0 });
    // Counted from the first day of the first month paid (July 2026): stable yearly, the others half-yearly.
    const now = await Promise.all([stable, leaving, silent, continuing].map((e) => entitlement(e.id)));
    expect(now.map((e) => e.next_review_on)).toEqual(['2027-07-01', '2027-01-01', '2027-01-01', '2027-01-01']);
    expect(now[0]!.review_basis).toMatchObject({
      householdType: 'stable',
      countedFrom: '2026-07-01',
      parameter: { key: 'minimum-living.review-interval.stable', value: 12, evidence: 'S' },
    });
    expect(now[1]!.review_basis).toMatchObject({
      householdType: 'other',
      parameter: { key: 'minimum-living.review-interval.other', value: 6 },
    });
    // A second sweep finds nothing to date.
    expect(await sweep()).toMatchObject({ scheduled: 0 });

    // The operator publishes a shorter interval and a two-month gradual exit from December.
    for (const [key, value] of [
      ['minimum-living.review-interval.other', 3],
      ['minimum-living.gradual-exit-months', 2],
    ] as const) {
      const published = await request('POST', '/v1/catalog/parameters', operator, {
        key,
        value,
        validFrom: '2026-12-01',
        source: 'test notice',
        evidence: 'S',
        reason: 'the district tightens dynamic management',
      });
      expect(published.status).toBeLessThan(300);
    }
  });

  it('opens a review at the street office on the date, once, with the answer limit in working days', async () => {
    clock.advanceTo(new Date('2027-01-04T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ opened: 3 });
    expect(await sweep()).toMatchObject({ opened: 0 });
    expect(await openReviewOf(stable.id)).toBeUndefined();
    const { rows } = await env.db.query(
      `SELECT entitlement_id, division, due_on::text AS due_on, respond_by FROM entitlement_reviews ORDER BY entitlement_id`,
    );
    expect(rows.map((r) => r.entitlement_id)).toEqual([leaving.id, silent.id, continuing.id]);
    // 15 working days after Monday 4 January (not counted; the test year has weekends only): Monday 25 January,
    // late from 24:00 Urumqi's official time.
    for (const row of rows) {
      expect(row.due_on).toBe('2027-01-01');
      expect(row.respond_by.toISOString()).toBe('2027-01-25T16:00:00.000Z');
    }
    expect(rows.find((r) => r.entitlement_id === leaving.id)!.division).toBe(leaving.division);
    const [opened] = await eventsOf(leaving.case_id, 'ENTITLEMENT_REVIEW_OPENED');
    expect(opened).toMatchObject({
      entitlementId: leaving.id,
      dueOn: '2027-01-01',
      respondByDay: '2027-01-25',
      parameters: [expect.objectContaining({ key: 'minimum-living.review-response-limit', value: 15 })],
    });
    // The street office sees the reviews of its division only.
    const street = await staffToken(env.env, 'street-1', { divisions: [TIANSHAN_STREET] });
    const listed = await request('GET', '/v1/entitlement-reviews?status=open', street);
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBeGreaterThan(0);
    expect(listed.body.items.every((r: { division: string }) => r.division === TIANSHAN_STREET)).toBe(true);
    expect(await reviewGauge('due')).toBe(3);
    expect(await reviewGauge('overdue')).toBe(0);
  });

  it('decides reviews: a gradual exit for income above the standard, the next date by the changed rule', async () => {
    clock.advanceTo(new Date('2027-01-05T10:00:00+08:00'));
    const leavingReview = (await openReviewOf(leaving.id))!;
    const continuingReview = (await openReviewOf(continuing.id))!;

    // Bad input is refused, naming the field, and writes nothing.
    const bad = await request('POST', `/v1/entitlement-reviews/${leavingReview}/decision`, operator, {
      outcome: 'forgive',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'outcome' })]));
    // A gradual exit needs income at or above the standard.
    const below = await request('POST', `/v1/entitlement-reviews/${continuingReview}/decision`, operator, {
      outcome: 'gradual-exit',
      effectiveMonth: '2027-02',
      findings: { perCapitaIncomeFen: 10_000, memberCount: continuing.members },
    });
    expect(below.status).toBe(422);
    expect(below.body.code).toBe('REVIEW.INCOME_BELOW_STANDARD');
    expect(await openReviewOf(continuing.id)).toBe(continuingReview);

    // Income found above the standard: the published two months of gradual exit, February and March.
    const exit = await request('POST', `/v1/entitlement-reviews/${leavingReview}/decision`, operator, {
      outcome: 'gradual-exit',
      effectiveMonth: '2027-02',
      findings: { perCapitaIncomeFen: 45_000, memberCount: leaving.members },
    });
    expect(exit.status).toBe(200);
    expect(exit.body).toMatchObject({
      outcome: 'gradual-exit',
      status: 'gradual-exit',
      endMonth: '2027-03',
      monthlyAmountFen: leaving.monthly_amount_fen,
      nextReviewOn: null,
      events: ['ENTITLEMENT_GRADUAL_EXIT_STARTED', 'ENTITLEMENT_REVIEWED'],
    });
    const [started] = await eventsOf(leaving.case_id, 'ENTITLEMENT_GRADUAL_EXIT_STARTED');
    expect(started).toMatchObject({
      reviewId: leavingReview,
      reason: 'income-above-standard',
      effectiveMonth: '2027-02',
      months: 2,
      endMonth: '2027-03',
      parameters: [
        expect.objectContaining({ key: 'minimum-living.gradual-exit-months', value: 2 }),
        expect.objectContaining({ key: 'minimum-living.standard.urban', value: STANDARD }),
      ],
    });
    const again = await request('POST', `/v1/entitlement-reviews/${leavingReview}/decision`, operator, {
      outcome: 'continue',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REVIEW.NOT_OPEN');

    // Continue: the next date by the interval in force today (3 months since December, not the 6 it had).
    const kept = await request('POST', `/v1/entitlement-reviews/${continuingReview}/decision`, operator, {
      outcome: 'continue',
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ status: 'active', nextReviewOn: '2027-04-05' });
    expect((await entitlement(continuing.id)).review_basis).toMatchObject({
      countedFrom: '2027-01-05',
      parameter: { key: 'minimum-living.review-interval.other', value: 3, source: 'test notice' },
    });
    const [reviewed] = await eventsOf(continuing.case_id, 'ENTITLEMENT_REVIEWED');
    expect(reviewed).toMatchObject({ outcome: 'continue', nextReviewOn: '2027-04-05' });
  });

  it('suspends a household that does not answer within the limit, not before, and only once', async () => {
    clock.advanceTo(new Date('2027-01-25T23:00:00+08:00'));
    expect(await sweep()).toMatchObject({ lapsed: 0 });
    expect((await entitlement(silent.id)).status).toBe('active');

    clock.advanceTo(new Date('2027-01-26T00:30:00+08:00'));
    expect(await reviewGauge('overdue')).toBe(1);
    // An answer recorded after the limit is refused and writes nothing: the review lapses.
    const late = await request('POST', `/v1/entitlement-reviews/${await openReviewOf(silent.id)}/response`, operator, {
      papersSupplied: true,
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('REVIEW.ANSWER_PAST_LIMIT');
    expect(await eventsOf(silent.case_id, 'ENTITLEMENT_REVIEW_ANSWERED')).toEqual([]);
    expect(await sweep()).toMatchObject({ lapsed: 1 });
    expect(await sweep()).toMatchObject({ lapsed: 0 });
    expect(await entitlement(silent.id)).toMatchObject({
      status: 'suspended',
      status_reason: 'no-response-to-review',
      next_review_on: null,
    });
    const suspended = await eventsOf(silent.case_id, 'ENTITLEMENT_SUSPENDED');
    expect(suspended).toHaveLength(1);
    expect(suspended[0]).toMatchObject({
      entitlementId: silent.id,
      reason: 'no-response-to-review',
      effectiveMonth: '2027-01',
      from: 'active',
      to: 'suspended',
      parameters: [expect.objectContaining({ key: 'minimum-living.review-response-limit', value: 15 })],
    });
    expect(await reviewGauge('overdue')).toBe(0);
  });

  it('pays the gradual exit’s months and then stops; the entitlement ends; the suspended one is not paid', async () => {
    expect(await runMonth('2027-02-10T00:30:00+08:00')).toBe('2027-02');
    expect(await runMonth('2027-03-10T00:30:00+08:00')).toBe('2027-03');
    clock.advanceTo(new Date('2027-04-01T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ exitsEnded: 1 });
    expect(await entitlement(leaving.id)).toMatchObject({ status: 'ended', status_reason: 'gradual-exit-completed' });
    const [ended] = await eventsOf(leaving.case_id, 'ENTITLEMENT_ENDED');
    expect(ended).toMatchObject({ reason: 'gradual-exit-completed', endMonth: '2027-03', to: 'ended' });
    expect(await runMonth('2027-04-10T00:30:00+08:00')).toBe('2027-04');

    expect(await paidMonths(leaving.id)).toEqual(['2027-02', '2027-03']);
    expect(await paidMonths(silent.id)).toEqual([]);
    expect(await paidMonths(stable.id)).toEqual(['2027-02', '2027-03', '2027-04']);
    expect(await paidMonths(continuing.id)).toEqual(['2027-02', '2027-03', '2027-04']);
    const { rows } = await env.db.query(
      `SELECT DISTINCT amount_fen::int AS amount FROM payment_lines WHERE entitlement_id = $1`,
      [leaving.id],
    );
    expect(rows).toEqual([{ amount: leaving.monthly_amount_fen }]);
  });
  it('counts no answer limit in an unpublished year, and counts it once the year is published', async () => {
    // 20 December 2027: the limit of 15 working days reaches 2028, which has no calendar yet.
    clock.advanceTo(new Date('2027-12-20T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ opened: 2, recounted: 0 });
    const { rows: before } = await env.db.query(
      `SELECT entitlement_id, respond_by, calendar_missing FROM entitlement_reviews WHERE status = 'open'
        ORDER BY entitlement_id`,
    );
    expect(before.map((r) => r.entitlement_id)).toEqual([stable.id, continuing.id]);
    expect(before.every((r) => r.respond_by === null && /2028$/.test(r.calendar_missing))).toBe(true);
    // The continuing household answers the next day: the office's decision limit reaches 2028 too.
    clock.advanceTo(new Date('2027-12-21T10:00:00+08:00'));
    const answered = await request(
      'POST',
      `/v1/entitlement-reviews/${await openReviewOf(continuing.id)}/response`,
      operator,
      { papersSupplied: false, note: 'came in; papers to follow' },
    );
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ decideBy: null, calendarMissing: expect.stringMatching(/2028$/) });
    // Without a date a review never lapses, whatever the day.
    clock.advanceTo(new Date('2028-03-01T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ recounted: 0, lapsed: 0 });

    await publishTestYear(env.db, 2028);
    // Counted from the day each opened: Monday 10 January 2028, so the unanswered one is overdue and lapses; the
    // answered one gets the office's limit from its answer (10 working days after Tuesday 21 December 2027:
    // Tuesday 4 January 2028) and stays open, overdue for the office, its household not suspended.
    expect(await sweep()).toMatchObject({ recounted: 3, lapsed: 1 });
    const { rows: after } = await env.db.query(
      `SELECT entitlement_id, respond_by, calendar_missing, decide_by, decide_calendar_missing, status
         FROM entitlement_reviews WHERE entitlement_id = ANY($1::uuid[]) AND due_on > '2027-01-01'
        ORDER BY entitlement_id`,
      [[stable.id, continuing.id]],
    );
    expect(
      after.map((r) => [
        r.entitlement_id,
        r.respond_by.toISOString(),
        r.calendar_missing,
        r.decide_by?.toISOString() ?? null,
        r.decide_calendar_missing,
        r.status,
      ]),
    ).toEqual([
      [stable.id, '2028-01-10T16:00:00.000Z', null, null, null, 'lapsed'],
      [continuing.id, '2028-01-10T16:00:00.000Z', null, '2028-01-04T16:00:00.000Z', null, 'open'],
    ]);
    expect((await entitlement(continuing.id)).status).toBe('active');
    expect(await reviewGauge('overdue')).toBe(1);
  });
  it('gives an approval its first review date at once, by the rule in force on the day of the approval', async () => {
    // One 低保 case through the real path: an elderly and a working-age member (not stable), verified income 400 yuan.
    const the = given(env.db, clock);
    const { caseId } = await the.submittedCase({
      itemCode: 'BPS-064',
      facts: {
        area: 'urban',
        bank: 'ICBC',
        household: {
          members: [
            { id: 'm1', birthDate: '1950-03-01', health: 'healthy', monthlyIncomeFen: 10_000 },
            { id: 'm2', birthDate: '1980-05-05', health: 'healthy', monthlyIncomeFen: 20_000 },
          ],
        },
      },
    });
    const decide = async (step: string, extra: Record<string, unknown> = {}) => {
      await eventually(
        async () =>
          (
            await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [
              caseId,
              step,
            ])
          ).rows[0],
      );
      await the.command(caseId, { type: 'DECIDED', step, outcome: 'approve', actor: 'staff:r1', ...extra }, 'staff:r1');
    };
    const status = async () => (await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0]?.status;
    await decide('acceptance');
    await decide('investigation', {
      findings: { homeVisitDate: '2028-02-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 40_000 },
    });
    await decide('street-review');
    await eventually(async () => (await status()) === 'public-notice');
    await promoteClockTimer(env, await clockIdOf(env, caseId, 'public-notice'), 'due');
    await decide('approval');
    await eventually(async () => (await status()) === 'approved');

    // Approved in March 2028, paid from April: the first review three months on (the interval published in 2026).
    const { rows } = await env.db.query(
      `SELECT id, start_month, next_review_on::text AS next_review_on, review_basis FROM entitlements WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ start_month: '2028-04', next_review_on: '2028-07-01' });
    expect(rows[0].review_basis).toMatchObject({
      householdType: 'other',
      parameter: { key: 'minimum-living.review-interval.other', value: 3 },
    });
    const [granted] = await eventsOf(caseId, 'ENTITLEMENT_GRANTED');
    expect(granted).toMatchObject({ entitlementId: rows[0].id, nextReviewOn: '2028-07-01' });
    // The sweep has nothing to date for it.
    expect(await sweep()).toMatchObject({ scheduled: 0 });
  });
});

/**
 * A review's decisions through the route (docs/money.md "Periodic review"): an adjustment of 低保 by the gap method
 * under the standard in force in its first month, a suspension and an ending that the payment runs skip; and the
 * household's answer as its own record, after which the street office has its own decision limit: past it the
 * review is overdue for the office, the household is not suspended.
 */
describe('money: review decisions through the route, the household’s answer and the office’s decision limit', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let base: string;
  let operator: StaffToken;
  /** Entitlements in id order: one adjusted, one suspended, one ended, one whose household answers. */
  let adjusted: Row, suspended: Row, ended: Row, answered: Row;
  const RAISED = 40_000;

  const request = (method: string, path: string, token: StaffToken, body?: unknown) =>
    staffRequest(base, method, path, token, body);
  const entitlement = async (id: string): Promise<Row> =>
    (
      await env.db.query(
        `SELECT id, case_id, division, status, status_reason, next_review_on::text AS next_review_on, review_basis,
                monthly_amount_fen::int AS monthly_amount_fen, end_month,
                (basis->'minimumLiving'->>'memberCount')::int AS members
           FROM entitlements WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const eventsOf = async (caseId: string, type: string) =>
    (
      await env.db.query(`SELECT payload FROM case_events WHERE case_id = $1 AND type = $2 ORDER BY seq`, [
        caseId,
        type,
      ])
    ).rows.map((r) => r.payload);
  const openReviewOf = async (entitlementId: string) =>
    (
      await env.db.query(`SELECT id FROM entitlement_reviews WHERE entitlement_id = $1 AND status = 'open'`, [
        entitlementId,
      ])
    ).rows[0]?.id as string;
  const reviewOf = async (entitlementId: string) =>
    (await env.db.query(`SELECT id FROM entitlement_reviews WHERE entitlement_id = $1`, [entitlementId])).rows[0]
      ?.id as string;
  const sweep = () => worker.get(EntitlementReviewSweep).sweep();
  const reviewGauge = async (state: string, awaiting: string) => {
    const response = await fetch(`${base}/metrics`, { headers: operator.headers });
    expect(response.status).toBe(200);
    return sampleSum(parsePrometheusText(await response.text()), 'minsheng_entitlement_reviews', {
      item: 'BPS-064',
      state,
      awaiting,
    });
  };
  const paid = async (entitlementId: string) =>
    (
      await env.db.query(
        `SELECT month, amount_fen::int AS amount FROM payment_lines WHERE entitlement_id = $1 ORDER BY month`,
        [entitlementId],
      )
    ).rows.map((r) => [r.month as string, r.amount as number]);

  beforeAll(async () => {
    env = await createTestEnvironment('review decisions', { HEARTBEAT_EVERY_MS: '60000' });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config, { clock });
    app = await createGateway(env.config, { clock });
    base = await listen(app);
    operator = await staffToken(env.env, 'operator-1', { level: 'city', divisions: ['650100'], roles: ['operator'] });
    await bulkApprovedHouseholds(env.db, 4, [TIANSHAN_STREET, SAYIBAK_STREET], STANDARD);
    const { rows } = await env.db.query(`SELECT id FROM entitlements ORDER BY id`);
    [adjusted, suspended, ended, answered] = await Promise.all(rows.map((r) => entitlement(r.id)));
    clock.advanceTo(new Date('2026-06-10T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ scheduled: 4 });
    // The standard rises from February 2027.
    const published = await request('POST', '/v1/catalog/parameters', operator, {
      key: 'minimum-living.standard.urban',
      value: RAISED,
      validFrom: '2027-02-01',
      source: 'test notice',
      evidence: 'S',
      reason: 'the city raises the standard',
    });
    expect(published.status).toBeLessThan(300);
    clock.advanceTo(new Date('2027-01-04T01:00:00+08:00'));
    expect(await sweep()).toMatchObject({ opened: 4 });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('adjusts a 低保 amount by the gap method under the standard in force in its first month', async () => {
    clock.advanceTo(new Date('2027-01-05T10:00:00+08:00'));
    const review = await openReviewOf(adjusted.id);
    // An adjustment without findings is refused, naming the field, and writes nothing.
    const missing = await request('POST', `/v1/entitlement-reviews/${review}/decision`, operator, {
      outcome: 'adjust',
      effectiveMonth: '2027-02',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'findings' })]);
    expect(await openReviewOf(adjusted.id)).toBe(review);

    // Verified: two members, 200 yuan per capita. February's standard is 400 yuan: (400 - 200) x 2 = 400 yuan.
    const done = await request('POST', `/v1/entitlement-reviews/${review}/decision`, operator, {
      outcome: 'adjust',
      effectiveMonth: '2027-02',
      findings: { perCapitaIncomeFen: 20_000, memberCount: 2 },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      outcome: 'adjust',
      status: 'active',
      monthlyAmountFen: 40_000,
      nextReviewOn: '2027-07-05',
      events: ['ENTITLEMENT_ADJUSTED', 'ENTITLEMENT_REVIEWED'],
    });
    const [event] = await eventsOf(adjusted.case_id, 'ENTITLEMENT_ADJUSTED');
    expect(event).toMatchObject({
      reviewId: review,
      reason: 'review',
      fromMonth: '2027-02',
      fromAmountFen: adjusted.monthly_amount_fen,
      toAmountFen: 40_000,
      findings: { perCapitaIncomeFen: 20_000, memberCount: 2 },
      parameters: [
        expect.objectContaining({ key: 'minimum-living.standard.urban', value: RAISED, source: 'test notice' }),
      ],
    });
    const now = await entitlement(adjusted.id);
    expect(now).toMatchObject({ status: 'active', monthly_amount_fen: 40_000, members: 2 });
  });

  it('suspends and ends through the decision route, with the reason on the event', async () => {
    const suspendReview = await openReviewOf(suspended.id);
    const noReason = await request('POST', `/v1/entitlement-reviews/${suspendReview}/decision`, operator, {
      outcome: 'suspend',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const s = await request('POST', `/v1/entitlement-reviews/${suspendReview}/decision`, operator, {
      outcome: 'suspend',
      effectiveMonth: '2027-02',
      reason: 'under-investigation',
    });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({
      status: 'suspended',
      nextReviewOn: null,
      events: ['ENTITLEMENT_SUSPENDED', 'ENTITLEMENT_REVIEWED'],
    });
    expect(await entitlement(suspended.id)).toMatchObject({
      status: 'suspended',
      status_reason: 'under-investigation',
    });
    expect(await eventsOf(suspended.case_id, 'ENTITLEMENT_SUSPENDED')).toEqual([
      expect.objectContaining({
        reviewId: suspendReview,
        reason: 'under-investigation',
        effectiveMonth: '2027-02',
        from: 'active',
        to: 'suspended',
      }),
    ]);

    const endReview = await openReviewOf(ended.id);
    const e = await request('POST', `/v1/entitlement-reviews/${endReview}/decision`, operator, {
      outcome: 'end',
      effectiveMonth: '2027-02',
      reason: 'moved-out-of-district',
    });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({
      status: 'ended',
      endMonth: '2027-01',
      events: ['ENTITLEMENT_ENDED', 'ENTITLEMENT_REVIEWED'],
    });
    expect(await entitlement(ended.id)).toMatchObject({
      status: 'ended',
      status_reason: 'moved-out-of-district',
      end_month: '2027-01',
    });
    expect(await eventsOf(ended.case_id, 'ENTITLEMENT_ENDED')).toEqual([
      expect.objectContaining({
        reviewId: endReview,
        reason: 'moved-out-of-district',
        endMonth: '2027-01',
        to: 'ended',
      }),
    ]);
    // Both reviews are closed: a second decision is refused.
    const again = await request('POST', `/v1/entitlement-reviews/${endReview}/decision`, operator, {
      outcome: 'continue',
    });
    expect(again.status).toBe(409);
  });

  it('records the household’s answer, dated by the clock: no lapse, the office’s own decision limit', async () => {
    clock.advanceTo(new Date('2027-01-20T10:00:00+08:00'));
    const review = await openReviewOf(answered.id);
    const bad = await request('POST', `/v1/entitlement-reviews/${review}/response`, operator, { note: 'came in' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'papersSupplied' })]));
    expect(await eventsOf(answered.case_id, 'ENTITLEMENT_REVIEW_ANSWERED')).toEqual([]);

    const ok = await request('POST', `/v1/entitlement-reviews/${review}/response`, operator, {
      papersSupplied: true,
      note: 'income certificates supplied',
    });
    expect(ok.status).toBe(200);
    // 10 working days [G] after Wednesday 20 January (not counted): Wednesday 3 February, to 24:00 Urumqi time.
    expect(ok.body).toEqual({
      reviewId: review,
      entitlementId: answered.id,
      respondedAt: '2027-01-20T02:00:00.000Z',
      decideBy: '2027-02-03T16:00:00.000Z',
      calendarMissing: null,
    });
    expect(await eventsOf(answered.case_id, 'ENTITLEMENT_REVIEW_ANSWERED')).toEqual([
      expect.objectContaining({
        reviewId: review,
        respondedAt: '2027-01-20T02:00:00.000Z',
        papersSupplied: true,
        decideByDay: '2027-02-03',
        parameters: [
          expect.objectContaining({ key: 'minimum-living.review-decision-limit', value: 10, evidence: 'G' }),
        ],
      }),
    ]);
    // Answered once: a second answer is refused and records nothing.
    const twice = await request('POST', `/v1/entitlement-reviews/${review}/response`, operator, {
      papersSupplied: true,
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REVIEW.ALREADY_ANSWERED');
    expect(await eventsOf(answered.case_id, 'ENTITLEMENT_REVIEW_ANSWERED')).toHaveLength(1);
    // A decided review takes no answer.
    const closed = await request('POST', `/v1/entitlement-reviews/${await reviewOf(ended.id)}/response`, operator, {
      papersSupplied: true,
    });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('REVIEW.NOT_OPEN');

    // Past the household's answer limit (25 January): answered, so it does not lapse.
    clock.advanceTo(new Date('2027-01-26T00:30:00+08:00'));
    expect(await reviewGauge('overdue', 'household')).toBe(0);
    expect(await reviewGauge('due', 'office')).toBe(1);
    expect(await sweep()).toMatchObject({ lapsed: 0 });
    expect((await entitlement(answered.id)).status).toBe('active');
  });

  it('shows an answered review past the office’s limit as overdue, without suspending the household', async () => {
    clock.advanceTo(new Date('2027-02-04T00:30:00+08:00'));
    expect(await reviewGauge('overdue', 'office')).toBe(1);
    expect(await reviewGauge('overdue', 'household')).toBe(0);
    const listed = await request('GET', '/v1/entitlement-reviews?status=open&overdue=true', operator);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        entitlementId: answered.id,
        awaiting: 'office',
        overdue: true,
        respondedAt: '2027-01-20T02:00:00.000Z',
        decideBy: '2027-02-03T16:00:00.000Z',
      }),
    ]);
    expect(await sweep()).toMatchObject({ lapsed: 0 });
    expect(await entitlement(answered.id)).toMatchObject({ status: 'active', status_reason: null });
    expect(await eventsOf(answered.case_id, 'ENTITLEMENT_SUSPENDED')).toEqual([]);

    // February's run pays the adjusted amount and the answered household; the suspended and ended are skipped.
    clock.advanceTo(new Date('2027-02-10T00:30:00+08:00'));
    const run = (await worker.get(PaymentRunScheduler).openDueMonth())!;
    expect(run).not.toBeNull();
    await eventually(async () => {
      const { body } = await request('GET', `/v1/payment-runs/${run.id}`, operator);
      return body.state === 'ready' ? body : undefined;
    }, 60_000);
    expect(await paid(adjusted.id)).toEqual([['2027-02', 40_000]]);
    const { rows } = await env.db.query(
      `SELECT (basis->'minimumLiving'->>'perCapitaIncomeFen')::int AS income FROM entitlements WHERE id = $1`,
      [answered.id],
    );
    expect(await paid(answered.id)).toEqual([['2027-02', (RAISED - rows[0].income) * answered.members]]);
    expect(await paid(suspended.id)).toEqual([]);
    expect(await paid(ended.id)).toEqual([]);

    // The office decides: no longer overdue.
    const kept = await request(
      'POST',
      `/v1/entitlement-reviews/${await openReviewOf(answered.id)}/decision`,
      operator,
      {
        outcome: 'continue',
      },
    );
    expect(kept.status).toBe(200);
    expect(await reviewGauge('overdue', 'office')).toBe(0);
  });
});
