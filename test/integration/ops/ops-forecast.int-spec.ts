import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { endOfDayInShanghai, startOfDayInShanghai } from '../../../libs/domain/src/index.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { given, TIANSHAN_DISTRICT, TIANSHAN_STREET } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { bearer, post, staffTokens } from './ops-fixtures.js';

/** The gateway alone (no worker): the backlog forecast on a seeded backlog, and a stuck case whose job is missing. */
describe('operators: backlog forecast and stuck cases without a job', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let base: string;
  let tokens: { operator: string; reviewer: string };
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    env = await createTestEnvironment('ops forecast');
    the = given(env.db, env.clock);
    tokens = await staffTokens(env);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await env?.teardown();
  });

  const api = (path: string, init: RequestInit = bearer(tokens.operator)) => getJson(`${base}${path}`, init);

  describe('GET /v1/ops/forecast', () => {
    let step = 0;
    /** One task of the office: open with a due date, or closed at an instant (with or without a decision). */
    const task = async (
      caseId: string,
      division: string,
      options: { due?: string | null; closedAt?: Date; decided?: boolean },
    ) => {
      step += 1;
      await env.db.query(
        `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, status, due_at,
                            opened_at, closed_at, decision)
         VALUES ($1, $2, 'review', 'street', 'civil-affairs', $3, 'BPS-064', $4, $5, '2025-09-01T00:00:00Z', $6, $7)`,
        [
          caseId,
          `step-${step}`,
          division,
          options.closedAt ? 'decided' : 'open',
          options.due ? endOfDayInShanghai(options.due) : null,
          options.closedAt ?? null,
          options.decided ? JSON.stringify({ outcome: 'approve' }) : null,
        ],
      );
    };
    const at = (date: string, hours: number) => new Date(startOfDayInShanghai(date).getTime() + hours * 3_600_000);

    beforeAll(async () => {
      const { caseId } = await the.submittedCase({ withoutCommand: true });
      // Office A (燕儿窝街道): 10 decisions in the 5 working days before Tue 30 Sep 2025 (24, 25, 26, 28 (make-up
      // working Sunday) and 29 Sep) → 2 per working day. Not counted: one decided before the window, one on the
      // forecast date itself, one closed without a decision.
      for (const day of ['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29']) {
        await task(caseId, TIANSHAN_STREET, { closedAt: at(day, 10), decided: true });
        await task(caseId, TIANSHAN_STREET, { closedAt: at(day, 15), decided: true });
      }
      await task(caseId, TIANSHAN_STREET, { closedAt: at('2025-09-23', 23.5), decided: true });
      await task(caseId, TIANSHAN_STREET, { closedAt: at('2025-09-30', 9), decided: true });
      await task(caseId, TIANSHAN_STREET, { closedAt: at('2025-09-25', 9), decided: false });
      // Its open tasks. After 30 Sep come the National Day holidays (1–8 Oct): working day 1 = Thu 9 Oct,
      // 2 = Fri 10 Oct, 3 = Sat 11 Oct (make-up working day), 4 = Mon 13 Oct, 5 = Tue 14 Oct.
      for (const due of ['2025-10-14', '2025-10-09', '2025-10-10', '2025-09-29', '2025-10-09', '2025-10-11']) {
        await task(caseId, TIANSHAN_STREET, { due });
      }
      await task(caseId, TIANSHAN_STREET, { due: '2025-10-10' });
      await task(caseId, TIANSHAN_STREET, { due: '2025-10-09' });
      await task(caseId, TIANSHAN_STREET, { due: null });
      // Office B (天山区): decides nothing; three open tasks due on working days 1, 8 (Fri 17 Oct) and 13 (24 Oct).
      for (const due of ['2025-10-09', '2025-10-17', '2025-10-24']) await task(caseId, TIANSHAN_DISTRICT, { due });
    });

    it('gives the counts computed by hand (FIFO by due date at the measured rate)', async () => {
      const { status, body } = await api('/v1/ops/forecast?asOf=2025-09-30&days=5');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        asOf: '2025-09-30',
        windowDays: 5,
        windowStart: '2025-09-24',
        horizons: [1, 3, 10],
        method: 'fifo-by-due-date',
      });
      // Office A, by hand. Queue by due day: [overdue 29 Sep, 1, 1, 1, 2, 2, 3, 5] then the undated task.
      // At 2 a day, positions 0…7 are decided on days 1, 1, 2, 2, 3, 3, 4, 4. Late: the 2nd and 3rd task due on
      // day 1 (decided day 2), both due on day 2 (day 3), the one due on day 3 (day 4); the one due on day 5 is in
      // time. Within 1 working day: 2; within 3: 5; within 10: 5.
      // Office B, by hand: rate 0, so every task due within the horizon is late: 1, 1, 2.
      expect(body.items).toEqual([
        {
          department: 'civil-affairs',
          division: TIANSHAN_STREET,
          decidedInWindow: 10,
          open: 9,
          overdue: 1,
          undated: 1,
          ratePerDay: 2,
          clearanceDays: 5,
          breaches: { '1': 2, '3': 5, '10': 5 },
        },
        {
          department: 'civil-affairs',
          division: TIANSHAN_DISTRICT,
          decidedInWindow: 0,
          open: 3,
          overdue: 0,
          undated: 0,
          ratePerDay: 0,
          clearanceDays: null,
          breaches: { '1': 1, '3': 1, '10': 2 },
        },
      ]);
    });

    it('measures the rate over the window it is given', async () => {
      // Over 1 working day (29 Sep: 2 decisions) the rate is still 2; over 10 working days it is 10/10 = 1.
      const one = await api('/v1/ops/forecast?asOf=2025-09-30&days=1');
      expect(one.body.items[0]).toMatchObject({ decidedInWindow: 2, ratePerDay: 2 });
      const ten = await api('/v1/ops/forecast?asOf=2025-09-30&days=10');
      const officeA = ten.body.items.find((i: { division: string }) => i.division === TIANSHAN_STREET);
      // 11 decisions from 17 Sep on (the one of 23 Sep now counts). At 11/10 a day, positions 0…7 are decided on
      // days ⌈(i+1)·10/11⌉ = 1, 2, 3, 4, 5, 6, 7, 8: due days [≤0, 1, 1, 1, 2, 2, 3, 5] → late: positions 1–7 → 7
      // (positions 1, 2, 3 by day 1: 3 within 1 day).
      expect(officeA).toMatchObject({ decidedInWindow: 11, breaches: { '1': 3, '3': 6, '10': 7 } });
    });

    it('refuses bad parameters and non-operators', async () => {
      const bad = await api('/v1/ops/forecast?asOf=30-09-2025&days=0');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'days']);
      expect((await api('/v1/ops/forecast', bearer(tokens.reviewer))).status).toBe(403);
      expect((await api('/v1/ops/forecast', {})).status).toBe(401);
    });
  });

  describe('a stuck case whose command never reached the queue', () => {
    it('is listed with reason missing and re-driven onto the queue, audited', async () => {
      // No worker runs here, so the outbox row stays unsent and no job exists.
      const submitted = await the.submittedCase();
      const { body } = await api('/v1/ops/cases/stuck?olderThanSeconds=0');
      expect(body.items).toEqual([
        expect.objectContaining({
          caseId: submitted.caseId,
          trackingNumber: submitted.trackingNumber,
          commandId: submitted.commandId,
          reason: 'missing',
          relayed: false,
          attemptsMade: null,
        }),
      ]);
      // A young command is normally in flight: the default grace of 60 s hides it.
      expect((await api('/v1/ops/cases/stuck')).body.items).toEqual([]);

      const requestId = `ops-redrive-${randomUUID()}`;
      const redriven = await api(`/v1/ops/cases/${submitted.caseId}/redrive`, post(tokens.operator, requestId));
      expect(redriven.status).toBe(200);
      const queue = new Queue(QUEUES.caseCommands, {
        connection: env.queueConnection,
        prefix: env.config.redis.queuePrefix,
      });
      const job = await queue.getJob(`cmd-${submitted.commandId}`);
      expect(job?.data).toEqual({
        caseId: submitted.caseId,
        commandId: submitted.commandId,
        event: { type: 'SUBMITTED' },
        actor: 'portal:test',
        requestId: null,
      });
      expect(await job?.getState()).toBe('waiting');
      await queue.close();
      // Waiting for a worker now: no longer stuck, and a second re-drive is refused.
      expect((await api('/v1/ops/cases/stuck?olderThanSeconds=0')).body.items).toEqual([]);
      expect((await api(`/v1/ops/cases/${submitted.caseId}/redrive`, post(tokens.operator))).status).toBe(409);
      const { rows } = await env.db.query(`SELECT action, target FROM audit_log WHERE request_id = $1`, [requestId]);
      expect(rows).toEqual([{ action: 'case.redrive', target: `case:${submitted.caseId}` }]);
    });
  });
});
