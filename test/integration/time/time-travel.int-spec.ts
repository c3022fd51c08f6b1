import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import {
  addWorkingDays,
  endOfDayInShanghai,
  ManualClock,
  officialCalendarSet,
  toShanghaiDate,
} from '../../../libs/domain/src/index.js';
import { givenPortal, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { getJson, listen } from '../../support/http.js';
import { tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

const DAY = 86_400_000;

/**
 * Days and weeks of a 低保 case in a second: the worker and the gateway run on a ManualClock, and TimeTravel
 * advances it, firing each timer through the real path (delayed job → clock row → command → engine). No test
 * here writes an event or a command into the database.
 */
describe('time travel: statutory periods and limits fire through the real path', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let viewer: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('time travel', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-064'] }));
    reviewers = await tianshanReviewers(env.env);
    // The street office that accepts the case sees it from its first task on: its clocks, events and chain.
    viewer = reviewers.streetA;
  });
  afterAll(async () => {
    await travel?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, who: StaffToken, init: RequestInit = {}) =>
    getJson(`${base}${path}`, { ...init, headers: { ...who.headers, ...(init.headers ?? {}) } });

  async function submit(): Promise<string> {
    const answer = await getJson(`${base}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      body: JSON.stringify(minimumLivingApplication()),
    });
    expect(answer.status).toBe(202);
    await travel.settle();
    return answer.body.caseId as string;
  }

  async function decide(caseId: string, who: StaffToken, step: string, body: Record<string, unknown>) {
    const inbox = await api(`/v1/tasks?step=${step}&limit=200`, who);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect([step, task === undefined]).toEqual([step, false]);
    const answer = await api(`/v1/tasks/${task.id}/decision`, who, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect([step, answer.status]).toEqual([step, 202]);
    await travel.settle();
  }

  const caseView = async (caseId: string) => (await api(`/v1/staff/cases/${caseId}`, viewer)).body;
  const clockOf = async (caseId: string, name: string) =>
    (await api(`/v1/staff/cases/${caseId}/clocks`, viewer)).body.clocks.find(
      (c: { clock: string }) => c.clock === name,
    );
  const eventsOf = async (caseId: string) =>
    (await api(`/v1/staff/cases/${caseId}/events`, viewer)).body.items as {
      type: string;
      actor: string;
      payload: { clock?: string };
    }[];
  /** The SLA events (reminder, breach, escalation) of one clock of a case, in order. */
  const slaEventsOf = async (caseId: string, clock: string) =>
    (await eventsOf(caseId)).filter((e) => e.type.startsWith('SLA_') && e.payload.clock === clock).map((e) => e.type);
  const openTasks = async (caseId: string) =>
    (
      await env.db.query<{ step: string; kind: string; level: string }>(
        `SELECT step, kind, level FROM tasks WHERE case_id = $1 AND closed_at IS NULL ORDER BY opened_at, step`,
        [caseId],
      )
    ).rows;

  it('takes a minimum-living case from submission to closure: the 7-day public notice ends by its timer', async () => {
    const caseId = await submit();
    await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
    await decide(caseId, reviewers.streetB, 'investigation', {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-06-01', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(caseId, reviewers.streetC, 'street-review', { outcome: 'approve' });
    expect((await caseView(caseId)).status).toBe('public-notice');

    // 公示 runs 7 calendar days from the day it started, that day not counted: it ends at the end of day 7.
    const notice = await clockOf(caseId, 'public-notice');
    expect(notice).toMatchObject({
      id: expect.any(String),
      kind: 'period',
      limit: { amount: 7, unit: 'calendar-days' },
    });
    const started = toShanghaiDate(travel.clock.now());
    expect(notice.due >= toShanghaiDate(new Date(travel.clock.now().getTime() + 7 * DAY))).toBe(true);

    // One hour before the period ends the notice's timer has not fired: the case is still on notice.
    const oneHourBefore = new Date(new Date(notice.dueAt).getTime() - 3_600_000);
    const firedBefore = await travel.advanceTo(oneHourBefore);
    expect(firedBefore.filter((t) => t.clockId === notice.id)).toEqual([]);
    expect((await caseView(caseId)).status).toBe('public-notice');

    // At the end of the period the timer fires and the machine moves on to the district's approval.
    const fired = await travel.advanceTo(new Date(notice.dueAt));
    expect(fired.filter((t) => t.kind === 'due' && t.at === notice.dueAt)).toHaveLength(1);
    const afterNotice = await caseView(caseId);
    expect(afterNotice.status).toBe('in-review');
    expect(afterNotice.currentSteps).toEqual(['approval']);
    const ended = (await eventsOf(caseId)).filter((e) => e.type === 'NOTICE_PERIOD_ENDED');
    expect(ended).toEqual([expect.objectContaining({ actor: 'system:timer' })]);
    expect(started < notice.due).toBe(true);

    await decide(caseId, reviewers.district, 'approval', { outcome: 'approve' });
    const closed = await caseView(caseId);
    expect(closed.status).toBe('approved');
    expect(closed.closedAt).not.toBeNull();
    expect(closed.entitlement).toMatchObject({ kind: 'minimum-living-allowance', monthlyAmountFen: 13_000 });
    expect((await eventsOf(caseId)).at(-1)!.type).toBe('CASE_CLOSED');
    expect((await api(`/v1/staff/cases/${caseId}/verify`, viewer)).body).toMatchObject({ ok: true });
  });

  it('breaches the 30-working-day limit at the end of its due day, then escalates two working days later', async () => {
    const caseId = await submit();
    await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
    const overall = await clockOf(caseId, 'overall');
    expect(overall.limit).toMatchObject({ amount: 30, unit: 'working-days' });
    // The due day is the one the calendar domain counts: 30 working days after acceptance, holidays skipped.
    const accepted = toShanghaiDate(new Date(overall.startedAt));
    expect(overall.due).toBe(addWorkingDays(officialCalendarSet(), 'xinjiang', accepted, 30));

    // Just before the end of the due day: on time, no breach.
    await travel.advanceTo(new Date(new Date(overall.dueAt).getTime() - 1));
    expect(await slaEventsOf(caseId, 'overall')).toEqual(['SLA_REMINDER']);
    expect((await clockOf(caseId, 'overall')).state).toBe('at-risk');

    // The due day ends: the overall limit is breached and the district supervisor gets an escalation task.
    await travel.advanceTo(new Date(overall.dueAt));
    expect((await clockOf(caseId, 'overall')).state).toBe('late');
    expect(await slaEventsOf(caseId, 'overall')).toEqual(['SLA_REMINDER', 'SLA_BREACHED']);
    expect(await openTasks(caseId)).toEqual(
      expect.arrayContaining([{ step: 'overall-escalation', kind: 'escalation', level: 'district' }]),
    );

    // Still open at the end of the second working day after the due day: one more level up (the city).
    const escalateAt = endOfDayInShanghai(addWorkingDays(officialCalendarSet(), 'xinjiang', overall.due, 2));
    await travel.advanceTo(new Date(escalateAt.getTime() - 1));
    expect(await slaEventsOf(caseId, 'overall')).toEqual(['SLA_REMINDER', 'SLA_BREACHED']);
    await travel.advanceTo(escalateAt);
    expect(await slaEventsOf(caseId, 'overall')).toEqual(['SLA_REMINDER', 'SLA_BREACHED', 'SLA_ESCALATED']);
    expect(await openTasks(caseId)).toEqual(
      expect.arrayContaining([{ step: 'overall-escalation-2', kind: 'escalation', level: 'city' }]),
    );
  });
});
