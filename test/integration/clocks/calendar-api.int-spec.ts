import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { dueDate, endOfDayInShanghai, officialCalendarSet, OFFICIAL_CALENDARS } from '@minsheng/domain';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { mintStaffToken } from '../../../scripts/mint-token.js';
import { getJson, listen } from '../../support/http.js';
import { recomputationRunner, runQueuedRecomputations } from '../../support/calendar-recomputations.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks, STREET } from './given-clocks.js';

/** 10:00 on Mon 15 Sep 2025 in Urumqi offices' official time (China Standard Time). */
const ACCEPTED_2025_09_15 = new Date('2025-09-15T02:00:00Z');

describe('calendar and SLA API: due dates, publication, recomputation, clock explanations, SLA board', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operator: string;
  let reviewer: string;
  let the: ReturnType<typeof givenClocks>;

  const token = (roles: string[], divisions = ['650100'], department = 'civil-affairs', level = 'city') =>
    mintStaffToken(
      { sub: `u-${roles.join('-')}-${divisions[0]}`, name: '测试', department, level, divisions, roles },
      env.env,
    );
  const get = (path: string, bearer?: string) =>
    getJson(`${base}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
  const put = (path: string, body: unknown, bearer?: string) =>
    getJson(`${base}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    env = await createTestEnvironment('calendar api');
    the = givenClocks(env.db, env.clock);
    app = await createGateway(env.config);
    base = await listen(app);
    operator = await token(['operator']);
    reviewer = await token(['reviewer']);
  });
  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('has the shipped calendars published as version rows at prepare time', async () => {
    const { rows } = await env.db.query(`SELECT region, year, version, source FROM calendars ORDER BY region, year`);
    expect(rows).toHaveLength(OFFICIAL_CALENDARS.length);
    expect(rows.every((r) => r.version === 1 && r.source === 'shipped')).toBe(true);
  });

  describe('GET /v1/calendar/due-date', () => {
    it.each([
      // The domain table test: 低保 30 working days from Mon 15 Sep 2025 across the National Day block.
      ['2025-09-15', 30, 'working', 'xinjiang', '2025-10-31'],
      ['2025-09-15', 45, 'working', 'xinjiang', '2025-11-21'],
      // Across the 2026 Spring Festival with the make-up Saturdays 14 and 28 Feb.
      ['2026-01-20', 30, 'working', 'national', '2026-03-09'],
      ['2026-01-20', 30, 'working', 'xinjiang', '2026-03-09'],
      // 古尔邦节 2025 in Xinjiang only.
      ['2025-06-05', 1, 'working', 'xinjiang', '2025-06-11'],
    ])(
      'counts %s + %i %s days in %s as %s, exactly as the calendar domain does',
      async (start, days, unit, region, due) => {
        const { status, body } = await get(
          `/v1/calendar/due-date?start=${start}&days=${days}&unit=${unit}&region=${region}`,
        );
        expect(status).toBe(200);
        expect(body.due).toBe(due);
        expect(body.dueAt).toBe(endOfDayInShanghai(due).toISOString());
        const domain = dueDate(
          { start, amount: days, unit: 'working-days', region: region as 'national' | 'xinjiang' },
          officialCalendarSet(),
        );
        expect(body.explanation).toEqual(JSON.parse(JSON.stringify(domain.explanation)));
      },
    );

    it('rolls a calendar-day period forward only when asked, and shows a make-up Saturday as counted', async () => {
      const { body } = await get(
        '/v1/calendar/due-date?start=2026-02-21&days=7&unit=calendar&region=national&rollForward=true',
      );
      expect(body.due).toBe('2026-02-28');
      expect(body.explanation.makeUpDaysCounted).toEqual([{ date: '2026-02-28', name: '春节调休上班' }]);
    });

    it('refuses a malformed query with field errors', async () => {
      const { status, body } = await get('/v1/calendar/due-date?start=2025-9-1&days=0&unit=hours&extra=1');
      expect(status).toBe(400);
      expect(body.code).toBe('VALIDATION.FAILED');
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['days', 'extra', 'start', 'unit']);
    });

    it('answers 422 for a count running into an unpublished year, and an anonymous request writes nothing', async () => {
      for (let i = 0; i < 2; i++) {
        const { status, headers, body } = await get('/v1/calendar/due-date?start=2026-12-20&days=30&unit=working');
        expect(status).toBe(422);
        expect(headers.get('content-type')).toContain('application/problem+json');
        expect(body).toMatchObject({ code: 'CALENDAR.YEAR_NOT_PUBLISHED', year: 2027, missing: 'national/2027' });
      }
      // Any year up to 9999 is a valid question: none of them may leave a row behind (operator alerts come from
      // the engine's waiting clocks and the worker's November check, not from the public).
      for (const path of [
        '/v1/calendar/2027?region=national',
        '/v1/calendar/9999',
        '/v1/calendar/2100?region=xinjiang',
      ]) {
        const { status, body } = await get(path);
        expect(status).toBe(422);
        expect(body.code).toBe('CALENDAR.YEAR_NOT_PUBLISHED');
      }
      expect((await get('/v1/calendar/due-date?start=9998-12-20&days=30')).status).toBe(422);
      const { rows } = await env.db.query(`SELECT kind, key FROM operator_alerts`);
      expect(rows).toEqual([]);
      expect((await env.db.query(`SELECT count(*)::int AS n FROM calendars`)).rows[0].n).toBe(
        OFFICIAL_CALENDARS.length,
      );
    });

    it('marks a due date counted in a provisional calendar', async () => {
      // The shipped Xinjiang 2026 layer is provisional (its regional notice was not available); the national is not.
      const xinjiang = await get('/v1/calendar/due-date?start=2026-03-02&days=10&region=xinjiang');
      expect(xinjiang.body).toMatchObject({ provisional: true });
      expect(xinjiang.body.explanation.unconfirmed.map((u: { calendar: string }) => u.calendar)).toEqual([
        'xinjiang/2026',
      ]);
      const national = await get('/v1/calendar/due-date?start=2026-03-02&days=10&region=national');
      expect(national.body).toMatchObject({ provisional: false });
    });
  });

  it('GET /v1/calendar/{year} merges the Xinjiang festivals into the national calendar', async () => {
    const { status, body } = await get('/v1/calendar/2025?region=xinjiang');
    expect(status).toBe(200);
    expect(body.holidays).toContainEqual({ date: '2025-06-06', name: '古尔邦节' });
    expect(body.makeUpWorkdays).toContainEqual({ date: '2025-09-28', name: '国庆节、中秋节调休上班' });
    expect(body.layers.map((l: { region: string; version: number }) => `${l.region}@${l.version}`)).toEqual([
      'national@1',
      'xinjiang@1',
    ]);
    const national = await get('/v1/calendar/2025?region=national');
    expect(national.body.holidays).not.toContainEqual({ date: '2025-06-06', name: '古尔邦节' });
  });

  describe('GET /v1/staff/cases/{id}/clocks', () => {
    it('explains a clock exactly as the calendar table does for the same dates, scoped to the caller', async () => {
      const caseId = await the.caseAt();
      await the.taskOf(caseId, 'acceptance', 'street');
      await the.clockOf(caseId, { clock: 'overall', amount: 30, startedAt: ACCEPTED_2025_09_15 });
      const street = await token(['reviewer'], [STREET], 'civil-affairs', 'street');
      const { status, body } = await get(`/v1/staff/cases/${caseId}/clocks`, street);
      expect(status).toBe(200);
      expect(body.clocks).toHaveLength(1);
      const [clock] = body.clocks;
      expect(clock).toMatchObject({
        clock: 'overall',
        kind: 'deadline',
        startDate: '2025-09-15',
        due: '2025-10-31',
        explainedDue: '2025-10-31',
        state: 'late',
        limit: { amount: 30, unit: 'working-days', source: '民发〔2021〕57号' },
      });
      const domain = dueDate(
        { start: '2025-09-15', amount: 30, unit: 'working-days', region: 'xinjiang', source: '民发〔2021〕57号' },
        officialCalendarSet(),
      );
      expect(clock.explanation.count).toEqual(JSON.parse(JSON.stringify(domain.explanation)));

      // Scoped like every staff case read: the offices responsible for the case (its department at the accepting
      // street and the approving district) and any office with a task on it.
      const district = await token(['supervisor'], ['650102'], 'civil-affairs', 'district');
      expect((await get(`/v1/staff/cases/${caseId}/clocks`, district)).status).toBe(200);
      const otherDistrict = await token(['supervisor'], ['650103'], 'civil-affairs', 'district');
      expect((await get(`/v1/staff/cases/${caseId}/clocks`, otherDistrict)).status).toBe(404);
      const otherStreet = await token(['reviewer'], ['650103001'], 'civil-affairs', 'street');
      expect((await get(`/v1/staff/cases/${caseId}/clocks`, otherStreet)).status).toBe(404);
      const otherDepartment = await token(['reviewer'], [STREET], 'human-resources-social-security', 'street');
      expect((await get(`/v1/staff/cases/${caseId}/clocks`, otherDepartment)).status).toBe(404);
      expect((await get(`/v1/staff/cases/${caseId}/clocks`)).status).toBe(401);
    });
  });

  describe('GET /v1/ops/sla', () => {
    it('counts late and at-risk steps by department and office for operators and scoped supervisors', async () => {
      const before = (await get('/v1/ops/sla', operator)).body.totals;
      const lateCase = await the.caseAt();
      await the.taskOf(lateCase, 'review', 'street');
      await the.clockOf(lateCase, { amount: 10, startedAt: ACCEPTED_2025_09_15 });
      const atRiskCase = await the.caseAt();
      const atRisk = await the.clockOf(atRiskCase, { amount: 20 });
      await env.db.query(`UPDATE case_clocks SET remind_at = $2::timestamptz - interval '1 hour' WHERE id = $1`, [
        atRisk.id,
        env.clock.now(),
      ]);
      const onTimeCase = await the.caseAt();
      const onTime = await the.clockOf(onTimeCase, { amount: 20 });
      await env.db.query(`UPDATE case_clocks SET remind_at = $2::timestamptz + interval '5 days' WHERE id = $1`, [
        onTime.id,
        env.clock.now(),
      ]);

      const { status, body } = await get('/v1/ops/sla', operator);
      expect(status).toBe(200);
      expect(body.totals).toEqual({ late: before.late + 1, atRisk: before.atRisk + 1 });
      const office = body.offices.find((o: { office: { divisionCode: string } }) => o.office.divisionCode === STREET);
      expect(office.department).toBe('civil-affairs');
      expect(office.late.count).toBeGreaterThanOrEqual(1);
      expect(office.late.longestOverdueSeconds).toBeGreaterThan(0);
      expect(office.atRisk.shortestTimeToBreachSeconds).toBeGreaterThan(0);
      const states = body.steps.map((s: { caseId: string; state: string }) => [s.caseId, s.state]);
      expect(states).toContainEqual([lateCase, 'late']);
      expect(states).toContainEqual([atRiskCase, 'at-risk']);
      expect(states.map((s: string[]) => s[0])).not.toContain(onTimeCase);

      const elsewhere = await token(['supervisor'], ['650103'], 'civil-affairs', 'district');
      expect((await get('/v1/ops/sla', elsewhere)).body.totals).toEqual({ late: 0, atRisk: 0 });
      expect((await get('/v1/ops/sla', reviewer)).status).toBe(403);
      expect((await get('/v1/ops/sla')).status).toBe(401);
    });
  });

  describe('PUT /v1/calendar/{year}', () => {
    const xinjiang2025 = OFFICIAL_CALENDARS.find((c) => c.region === 'xinjiang' && c.year === 2025)!;
    const { region, holidays, makeUpWorkdays, restDayOverrides, source, evidence } = xinjiang2025;
    const correction = {
      region,
      status: 'official',
      // A hypothetical regional day off on Mon 20 Oct 2025, inside the 30 working days from 15 Sep.
      holidays: [...holidays, { date: '2025-10-20', name: '测试更正休息日' }],
      makeUpWorkdays,
      restDayOverrides,
      source,
      evidence,
    };

    it('needs an operator token: 401 without, 403 for a reviewer', async () => {
      expect((await put('/v1/calendar/2025', correction)).status).toBe(401);
      const { status, body } = await put('/v1/calendar/2025', correction, reviewer);
      expect(status).toBe(403);
      expect(body.code).toBe('AUTH.FORBIDDEN');
    });

    it('refuses an invalid calendar with the offending field', async () => {
      const weekdayMakeUp = { ...correction, makeUpWorkdays: [{ date: '2025-10-21', name: '调休' }] };
      const { status, body } = await put('/v1/calendar/2025', weekdayMakeUp, operator);
      expect(status).toBe(400);
      expect(body).toMatchObject({ code: 'CALENDAR.INVALID', errors: [{ field: 'makeUpWorkdays[0].date' }] });
      expect((await put('/v1/calendar/2025', { ...correction, surprise: true }, operator)).status).toBe(400);
      // `status` replaced the boolean `provisional`.
      expect((await put('/v1/calendar/2025', { ...correction, status: 'draft' }, operator)).body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [{ field: 'status' }],
      });
      expect((await put('/v1/calendar/2025', { ...correction, provisional: false }, operator)).status).toBe(400);
    });

    it('publishes a new version, audited, and the worker recomputes the running clocks it changes, recorded on each case', async () => {
      const caseId = await the.caseAt();
      const clock = await the.clockOf(caseId, { clock: 'overall', amount: 30, startedAt: ACCEPTED_2025_09_15 });
      const stoppedCase = await the.caseAt();
      const stopped = await the.clockOf(stoppedCase, { amount: 30, startedAt: ACCEPTED_2025_09_15 });
      await env.db.query(`UPDATE case_clocks SET stopped_at = now() WHERE id = $1`, [stopped.id]);

      const { status, body } = await put('/v1/calendar/2025', correction, operator);
      expect(status).toBe(200);
      expect(body).toMatchObject({ region: 'xinjiang', year: 2025, version: 2, status: 'official' });
      // The answer comes before the clocks move: the worker's job recomputes them.
      expect(body.recomputation).toEqual({
        id: expect.any(String),
        state: 'queued',
        location: '/v1/calendar/2025/recomputation',
      });
      expect((await the.clockRow(clock.id)).generation).toBe(1);
      const { rows: queued } = await env.db.query(
        `SELECT kind, payload FROM outbox WHERE kind = 'calendar.recompute' AND sent_at IS NULL`,
      );
      expect(queued).toEqual([
        {
          kind: 'calendar.recompute',
          payload: { recomputationId: body.recomputation.id, region: 'xinjiang', year: 2025, version: 2 },
        },
      ]);
      expect((await get('/v1/calendar/2025/recomputation', reviewer)).status).toBe(403);
      expect((await get('/v1/calendar/2025/recomputation', operator)).body.items).toEqual([
        expect.objectContaining({ id: body.recomputation.id, state: 'queued', total: null, done: 0 }),
      ]);

      expect(await runQueuedRecomputations(app, env.clock)).toEqual([
        { outcome: 'done', recomputation: expect.objectContaining({ id: body.recomputation.id, state: 'done' }) },
      ]);
      const progress = (await get('/v1/calendar/2025/recomputation', operator)).body.items[0];
      // Every running clock through 2025 in Xinjiang was looked at (this one and the other tests' clocks), in one batch.
      expect(progress).toMatchObject({ state: 'done', failed: 0, batches: 1 });
      expect(progress.total).toBeGreaterThanOrEqual(1);
      expect(progress.done).toBe(progress.total);
      expect(progress.changed).toBeGreaterThanOrEqual(1);

      const row = await the.clockRow(clock.id);
      expect(new Date(row.due_at).toISOString()).toBe(endOfDayInShanghai('2025-11-03').toISOString());
      expect(row.generation).toBe(2);
      expect(row.explanation.count.calendarVersions).toEqual({ 'national/2025': 1, 'xinjiang/2025': 2 });
      expect((await the.clockRow(stopped.id)).generation).toBe(1);

      const { rows: events } = await env.db.query(
        `SELECT type, actor, payload FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      expect(events.map((e) => e.type)).toEqual(['APPLICATION_SUBMITTED', 'CLOCK_RECOMPUTED']);
      expect(events[1]).toMatchObject({
        actor: 'staff:u-operator-650100',
        payload: {
          clock: 'overall',
          due: '2025-11-03',
          fromDueAt: endOfDayInShanghai('2025-10-31').toISOString(),
          toDueAt: endOfDayInShanghai('2025-11-03').toISOString(),
          fromProvisional: false,
          toProvisional: false,
          calendar: 'xinjiang/2025',
          calendarVersion: 2,
          generation: 2,
        },
      });
      // A second run of the same recomputation changes nothing.
      expect(await recomputationRunner(app, env.clock).run(body.recomputation.id)).toEqual({
        outcome: 'skipped',
        reason: 'already-done',
        id: body.recomputation.id,
      });
      const { rows: outbox } = await env.db.query(`SELECT kind, payload FROM outbox WHERE case_id = $1`, [caseId]);
      expect(outbox).toEqual([{ kind: 'clock.changed', payload: { caseId, clock: 'overall', generation: 2 } }]);
      const { rows: audit } = await env.db.query(
        `SELECT action, target, details FROM audit_log WHERE action = 'calendar.publish'`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ target: 'calendar:xinjiang/2025', details: { version: 2 } });

      const after = await get('/v1/calendar/due-date?start=2025-09-15&days=30&region=xinjiang');
      expect(after.body.due).toBe('2025-11-03');
      expect(after.body.explanation.skipped).toContainEqual({
        date: '2025-10-20',
        reason: 'holiday',
        name: '测试更正休息日',
      });
      const clocks = await get(`/v1/staff/cases/${caseId}/clocks`, operator);
      expect(clocks.body.clocks[0]).toMatchObject({ due: '2025-11-03', explainedDue: '2025-11-03', generation: 2 });
    });
  });

  describe('escalation tasks (督办)', () => {
    it('are acknowledged by the supervisor with a comment, recorded on the case, without moving the workflow', async () => {
      const caseId = await the.caseAt();
      const {
        rows: [task],
      } = await env.db.query<{ id: string }>(
        `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, details, outcomes)
         VALUES ($1, 'review-escalation', 'escalation', 'district', 'civil-affairs', '650102', 'BPS-064',
                 '{"clock": "review"}', '{acknowledge}') RETURNING id`,
        [caseId],
      );
      const supervisor = await token(['supervisor'], ['650102'], 'civil-affairs', 'district');
      const decide = (body: unknown) =>
        getJson(`${base}/v1/tasks/${task!.id}/decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor}` },
          body: JSON.stringify(body),
        });

      const bare = await decide({ outcome: 'acknowledge' });
      expect(bare.status).toBe(422);
      expect(bare.body).toMatchObject({ code: 'DECISION.INVALID', errors: [{ field: 'comment' }] });
      expect((await decide({ outcome: 'approve', comment: 'x' })).body).toMatchObject({
        errors: [{ field: 'outcome' }],
      });

      const done = await decide({ outcome: 'acknowledge', comment: '已电话督促街道办三日内完成入户调查' });
      expect(done.status).toBe(202);
      const { rows: events } = await env.db.query(
        `SELECT type, actor, payload FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      expect(events.map((e) => e.type)).toEqual(['APPLICATION_SUBMITTED', 'ESCALATION_ACKNOWLEDGED']);
      expect(events[1].payload).toMatchObject({
        taskId: task!.id,
        clock: 'review',
        // The supervisor's words stay in the case's encrypted notes; the event carries the reference.
        comment: expect.stringMatching(/^case-note:[0-9a-f-]{36}$/),
      });
      const { rows: outbox } = await env.db.query(`SELECT kind FROM outbox WHERE case_id = $1`, [caseId]);
      expect(outbox).toEqual([]);
      const { rows: tasks } = await env.db.query(`SELECT status, decided_by FROM tasks WHERE id = $1`, [task!.id]);
      expect(tasks[0]).toMatchObject({ status: 'decided', decided_by: expect.stringContaining('staff:') });
    });
  });
});
