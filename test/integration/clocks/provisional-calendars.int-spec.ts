import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { type INestApplicationContext } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { endOfDayInShanghai, OFFICIAL_CALENDARS } from '../../../libs/domain/src/index.js';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine } from '../../../apps/worker/src/engine/case-engine.js';
import { CalendarYearCheck } from '../../../apps/worker/src/clocks/calendar-year-check.js';
import { timerJobId } from '../../../apps/worker/src/clocks/clock-timing.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { mintStaffToken } from '../../../scripts/mint-token.js';
import { eventually, given, TIANSHAN_STREET } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { untilRecomputed } from '../../support/calendar-recomputations.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import {
  get as portalGet,
  givenPortal,
  minimumLivingApplication,
  post as portalPost,
} from '../intake/intake-fixtures.js';

/**
 * Business time stands at Thu 10 Dec 2026, 10:00 in Urumqi: the 2027 notices are not out, and the 30 working days of
 * a 低保 case accepted today reach January 2027. Expected dates, counted by hand in the Xinjiang calendar (weekends,
 * 元旦 on Fri 1 Jan; the Xinjiang 2026 layer has no rest day after 10 Dec): the 30th working day after 10 Dec is
 * Fri 22 Jan 2027 in the draft, and Mon 25 Jan once the official notice adds a rest day on Mon 4 Jan.
 */
const CLOCK_START = '2026-12-10T10:00:00+08:00';
const DUE_IN_DRAFT = endOfDayInShanghai('2027-01-22').toISOString();
const DUE_OFFICIAL = endOfDayInShanghai('2027-01-25').toISOString();

interface Draft {
  year: number;
  national: Record<string, any>;
  xinjiang: Record<string, any>;
  cannotKnow: string[];
}

describe('provisional calendars: draft, publish provisional, count, mark, publish official, recompute', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let operator: string;
  let reviewer: string;
  let street: string;
  let supervisor: string;
  let portal: { apiKey: string };
  let the: ReturnType<typeof given>;
  let draft: Draft;
  /** The case accepted before 2027 was published (its clock waited), and one accepted after. */
  let waitingCase: string;
  let laterCase: string;

  const token = (roles: string[], divisions = ['650100'], department = 'civil-affairs', level = 'city') =>
    mintStaffToken(
      { sub: `u-${roles.join('-')}-${divisions[0]}`, name: '测试', department, level, divisions, roles },
      env.env,
    );
  const call = (method: string, path: string, bearer?: string, body?: unknown) =>
    getJson(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const overallClock = async (caseId: string) =>
    (await env.db.query(`SELECT * FROM case_clocks WHERE case_id = $1 AND clock = 'overall'`, [caseId])).rows[0];
  const clockView = async (caseId: string) =>
    (await call('GET', `/v1/staff/cases/${caseId}/clocks`, operator)).body.clocks.find(
      (c: { clock: string }) => c.clock === 'overall',
    );
  /** The CLOCK_RECOMPUTED events of the case's overall clock. */
  const recomputedEvents = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT payload FROM case_events
         WHERE case_id = $1 AND type = 'CLOCK_RECOMPUTED' AND payload->>'clock' = 'overall' ORDER BY seq`,
        [caseId],
      )
    ).rows.map((r) => r.payload);
  const openAlerts = async () =>
    (
      await env.db.query(
        `SELECT key, details->>'status' AS status FROM operator_alerts
         WHERE kind = 'calendar.year-not-published' AND resolved_at IS NULL ORDER BY key`,
      )
    ).rows;
  const calendarRows = async (year: number) =>
    (await env.db.query(`SELECT count(*)::int AS n FROM calendars WHERE year = $1`, [year])).rows[0].n;

  /** The worker accepts a case (the acceptance task approved), which starts its 30-working-day overall clock. */
  async function accept(caseId: string): Promise<void> {
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT 1 FROM tasks WHERE case_id = $1 AND step = 'acceptance' AND closed_at IS NULL`,
        [caseId],
      );
      return rows.length > 0;
    });
    await the.command(caseId, { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' });
    await eventually(() => overallClock(caseId));
  }

  beforeAll(async () => {
    env = await createTestEnvironment('provisional calendars', { CLOCK_START, HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    app = await createGateway(env.config);
    base = await listen(app);
    worker = await createWorker(env.config);
    operator = await token(['operator']);
    reviewer = await token(['reviewer']);
    street = await token(['reviewer'], [TIANSHAN_STREET], 'civil-affairs', 'street');
    supervisor = await token(['supervisor'], [TIANSHAN_STREET], 'civil-affairs', 'street');
    portal = await givenPortal(env);
  });
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await env?.teardown();
  });

  it('drafts 2027 from the statutory rules for an operator, and writes nothing', async () => {
    const alertsBefore = (await env.db.query(`SELECT count(*)::int AS n FROM operator_alerts`)).rows[0].n;
    expect((await call('POST', '/v1/calendar/2027/draft')).status).toBe(401);
    const forbidden = await call('POST', '/v1/calendar/2027/draft', reviewer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');

    const { status, body } = await call('POST', '/v1/calendar/2027/draft', operator);
    expect(status).toBe(200);
    draft = body;
    const named = (layer: Record<string, any>, name: string) =>
      layer.holidays.filter((d: { name: string }) => d.name === name).map((d: { date: string }) => d.date);
    // 春节: 除夕 (Fri 5 Feb 2027) to 初三; 国庆节 1–3 Oct (《全国年节及纪念日放假办法》 art. 2, 2024 revision).
    expect(named(body.national, '春节')).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(named(body.national, '国庆节')).toEqual(['2027-10-01', '2027-10-02', '2027-10-03']);
    expect(body.national).toMatchObject({ region: 'national', status: 'provisional', makeUpWorkdays: [] });
    expect(body.xinjiang).toMatchObject({ region: 'xinjiang', status: 'provisional' });
    // Exactly the body PUT takes: no year, no version, no boolean `provisional`.
    for (const layer of [body.national, body.xinjiang]) {
      expect(Object.keys(layer).sort()).toEqual(
        ['evidence', 'holidays', 'makeUpWorkdays', 'region', 'restDayOverrides', 'source', 'status'].sort(),
      );
    }
    expect(body.cannotKnow.join(' ')).toMatch(/调休/);
    expect(body.cannotKnow.join(' ')).toMatch(/肉孜节/);

    const tooEarly = await call('POST', '/v1/calendar/2024/draft', operator);
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body).toMatchObject({ code: 'CALENDAR.DRAFT_YEAR_UNSUPPORTED', errors: [{ field: 'year' }] });
    expect((await call('POST', '/v1/calendar/2101/draft', operator)).status).toBe(422);
    expect((await call('POST', '/v1/calendar/twenty/draft', operator)).status).toBe(400);

    expect(await calendarRows(2027)).toBe(0);
    expect((await env.db.query(`SELECT count(*)::int AS n FROM operator_alerts`)).rows[0].n).toBe(alertsBefore);
  });

  it('warns operators from 1 November that next year is not published (the worker checks at start and daily)', async () => {
    // The worker checked when it started (10 Dec 2026): both 2027 layers are missing.
    expect(await openAlerts()).toEqual([
      { key: 'national/2027', status: 'missing' },
      { key: 'xinjiang/2027', status: 'missing' },
    ]);
    const gaps = await worker.get(CalendarYearCheck).check();
    expect(gaps.map((g) => `${g.calendar}:${g.status}`)).toEqual(['national/2027:missing', 'xinjiang/2027:missing']);
  });

  it('gives a clock reaching 2027 no due date while 2027 is not published', async () => {
    ({ caseId: waitingCase } = await the.submittedCase());
    await accept(waitingCase);
    const row = await overallClock(waitingCase);
    expect(row).toMatchObject({
      limit_amount: 30,
      due_at: null,
      calendar_missing: 'national/2027',
      due_provisional: false,
    });
    expect(await clockView(waitingCase)).toMatchObject({
      state: 'calendar-missing',
      dueAt: null,
      provisional: false,
      calendarMissing: 'national/2027',
    });
  });

  it('publishing the draft as provisional gives the waiting clock a due date marked provisional', async () => {
    const national = await call('PUT', '/v1/calendar/2027', operator, draft.national);
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({ region: 'national', year: 2027, version: 1, status: 'provisional' });
    // The worker recomputes the running clocks after the answer.
    expect(national.body.recomputation).toMatchObject({ state: 'queued', location: '/v1/calendar/2027/recomputation' });
    expect(await untilRecomputed(env, national.body)).toMatchObject({
      outcome: 'done',
      // The waiting clock's count still needs a calendar: Xinjiang 2027.
      recomputation: { state: 'done', failed: 1 },
    });
    // The count now needs the Xinjiang layer: still no due date, recorded as waiting for it.
    expect((await recomputedEvents(waitingCase)).at(-1)).toMatchObject({
      toDueAt: null,
      calendarMissing: 'xinjiang/2027',
      calendar: 'national/2027',
      calendarVersion: 1,
    });
    // A provisional publication answers "no calendar" but not "no official calendar": the November warning stays.
    expect(await openAlerts()).toEqual([
      { key: 'national/2027', status: 'provisional' },
      { key: 'xinjiang/2027', status: 'missing' },
    ]);

    const xinjiang = await call('PUT', '/v1/calendar/2027', operator, draft.xinjiang);
    expect(xinjiang.status).toBe(200);
    await untilRecomputed(env, xinjiang.body);
    expect((await recomputedEvents(waitingCase)).at(-1)).toMatchObject({
      fromDueAt: null,
      toDueAt: DUE_IN_DRAFT,
      fromProvisional: false,
      toProvisional: true,
      calendar: 'xinjiang/2027',
    });
    expect(await openAlerts()).toEqual([
      { key: 'national/2027', status: 'provisional' },
      { key: 'xinjiang/2027', status: 'provisional' },
    ]);

    const row = await overallClock(waitingCase);
    expect(row).toMatchObject({ calendar_missing: null, due_provisional: true });
    expect(new Date(row.due_at).toISOString()).toBe(DUE_IN_DRAFT);
    const view = await clockView(waitingCase);
    expect(view).toMatchObject({ state: 'on-time', due: '2027-01-22', dueAt: DUE_IN_DRAFT, provisional: true });
    expect(view.explanation.count.unconfirmed.map((u: { calendar: string }) => u.calendar)).toEqual(
      expect.arrayContaining(['national/2027', 'xinjiang/2027']),
    );
    expect((await recomputedEvents(waitingCase)).at(-1)).toMatchObject({
      clock: 'overall',
      fromDueAt: null,
      toDueAt: DUE_IN_DRAFT,
      due: '2027-01-22',
      fromProvisional: false,
      toProvisional: true,
      calendar: 'xinjiang/2027',
    });
    // Its timers are armed like any clock's once it has a due date.
    const timers = worker.get<Queue>(getQueueToken(QUEUES.clockTimers));
    await eventually(async () => (await timers.getJob(timerJobId(row.id, 'due', row.generation))) ?? null);
  });

  it('counts a case accepted after the provisional publication, and every answer marks its due date provisional', async () => {
    await worker.get(CaseEngine).reloadCalendars();
    const submitted = await portalPost(
      base,
      '/v1/applications',
      portal.apiKey,
      minimumLivingApplication(),
      randomUUID(),
    );
    expect(submitted.status).toBe(202);
    laterCase = submitted.body.caseId;
    await accept(laterCase);
    const row = await overallClock(laterCase);
    expect(row).toMatchObject({ calendar_missing: null, due_provisional: true });
    expect(new Date(row.due_at).toISOString()).toBe(DUE_IN_DRAFT);

    // The portal's case view: the due date and, next to it, that it may move.
    const mine = await portalGet(base, `/v1/cases/${laterCase}`, portal.apiKey);
    expect(mine.body).toMatchObject({ dueAt: DUE_IN_DRAFT, dueProvisional: true });
    // The staff case view, per clock.
    const staffView = await call('GET', `/v1/staff/cases/${laterCase}`, street);
    expect(staffView.status).toBe(200);
    expect(staffView.body.clocks.find((c: { clock: string }) => c.clock === 'overall')).toMatchObject({
      dueAt: DUE_IN_DRAFT,
      provisional: true,
    });
    // The SLA board, per step: the step is flagged at risk as its reminder would (the reminder is weeks away).
    await env.db.query(`UPDATE case_clocks SET reminded_at = $2 WHERE id = $1`, [row.id, env.clock.now()]);
    const board = await call('GET', '/v1/ops/sla', operator);
    expect(board.body.steps).toContainEqual(
      expect.objectContaining({ caseId: laterCase, clock: 'overall', state: 'at-risk', provisional: true }),
    );
  });

  it('publishing the official national notice moves the due dates, and the mark stays while a provisional layer is used', async () => {
    // The notice as published (hypothetical for the test): the draft plus a rest day on Mon 4 Jan, inside the count.
    const notice = {
      ...draft.national,
      status: 'official',
      holidays: [...draft.national.holidays, { date: '2027-01-04', name: '元旦（测试：通知增加的休息日）' }].sort(
        (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date),
      ),
      source: { issuer: '国务院办公厅', title: '国务院办公厅关于2027年部分节假日安排的通知（测试）' },
      evidence: { tag: 'V', refs: ['test fixture: the notice as an operator entered it'] },
    };
    const { status, body } = await call('PUT', '/v1/calendar/2027', operator, notice);
    expect(status).toBe(200);
    expect(body).toMatchObject({ region: 'national', version: 2, status: 'official' });
    await untilRecomputed(env, body);
    for (const caseId of [waitingCase, laterCase]) {
      const row = await overallClock(caseId);
      expect(new Date(row.due_at).toISOString()).toBe(DUE_OFFICIAL);
      // Honest: national/2027 is official now, but the count still uses the provisional Xinjiang layers (the
      // shipped 2026 one and the 2027 draft), so the due date is still provisional.
      expect(row.due_provisional).toBe(true);
      const view = await clockView(caseId);
      expect(view).toMatchObject({ due: '2027-01-25', provisional: true });
      expect(view.explanation.count.unconfirmed.map((u: { calendar: string }) => u.calendar).sort()).toEqual([
        'xinjiang/2026',
        'xinjiang/2027',
      ]);
      expect((await recomputedEvents(caseId)).at(-1)).toMatchObject({
        fromDueAt: DUE_IN_DRAFT,
        toDueAt: DUE_OFFICIAL,
        fromProvisional: true,
        toProvisional: true,
        calendar: 'national/2027',
        calendarVersion: 2,
      });
    }
    // The official publication resolves the national warning; the Xinjiang one stays (still provisional).
    expect(await openAlerts()).toEqual([{ key: 'xinjiang/2027', status: 'provisional' }]);
  });

  it('once no provisional layer is used, the mark flips to false with the same due date, recorded on the case', async () => {
    // The regional notices as an operator would enter them (here: confirming the estimates), 2027 then 2026.
    const official = (layer: Record<string, any>) => ({
      ...layer,
      status: 'official',
      evidence: { tag: 'V', refs: ['test fixture: the regional notice as an operator entered it'] },
    });
    const xinjiang2027 = await call('PUT', '/v1/calendar/2027', operator, official(draft.xinjiang));
    expect(xinjiang2027.status).toBe(200);
    // Still provisional through Xinjiang 2026: nothing a reader sees changed, so nothing is recomputed.
    expect(await untilRecomputed(env, xinjiang2027.body)).toMatchObject({
      outcome: 'done',
      recomputation: { changed: 0 },
    });
    expect(await openAlerts()).toEqual([]);

    const shipped = OFFICIAL_CALENDARS.find((c) => c.region === 'xinjiang' && c.year === 2026)!;
    const { year: _year, version: _version, provisional: _provisional, ...xinjiang2026 } = shipped;
    const confirmed = await call('PUT', '/v1/calendar/2026', operator, official(xinjiang2026));
    expect(confirmed.status).toBe(200);
    await untilRecomputed(env, confirmed.body);
    for (const caseId of [waitingCase, laterCase]) {
      expect(await overallClock(caseId)).toMatchObject({ due_provisional: false });
      const view = await clockView(caseId);
      expect(view).toMatchObject({ due: '2027-01-25', provisional: false });
      expect(view.explanation.count.unconfirmed).toEqual([]);
      expect((await recomputedEvents(caseId)).at(-1)).toMatchObject({
        fromDueAt: DUE_OFFICIAL,
        toDueAt: DUE_OFFICIAL,
        fromProvisional: true,
        toProvisional: false,
        calendar: 'xinjiang/2026',
      });
    }
    const mine = await portalGet(base, `/v1/cases/${laterCase}`, portal.apiKey);
    expect(mine.body).toMatchObject({ dueAt: DUE_OFFICIAL, dueProvisional: false });
  });

  it('shows an extension in the limit: the amount in force and the original', async () => {
    const granted = await call('POST', `/v1/staff/cases/${laterCase}/extension`, supervisor, {
      reason: '入户调查需核实外地房产',
    });
    expect(granted.status).toBe(202);
    await eventually(async () => ((await overallClock(laterCase)).extensions.length > 0 ? true : null));
    const view = await clockView(laterCase);
    expect(view.limit).toEqual({
      amount: 45,
      originalAmount: 30,
      unit: 'working-days',
      source: expect.any(String),
      // 民发〔2021〕57号, recalled: a statutory limit.
      evidence: 'R',
    });
    expect(view.basis).toBe('statutory');
    expect(view.explanation).toMatchObject({ amount: 45, originalAmount: 30 });
    expect(view.extensions).toEqual([expect.objectContaining({ fromAmount: 30, toAmount: 45 })]);
    const staffView = await call('GET', `/v1/staff/cases/${laterCase}`, street);
    expect(staffView.body.clocks.find((c: { clock: string }) => c.clock === 'overall')).toMatchObject({
      limitAmount: 45,
      originalLimitAmount: 30,
    });
  });
});
