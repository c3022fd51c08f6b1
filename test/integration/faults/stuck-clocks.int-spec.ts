import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { QUEUES, timerJobId } from '../../../libs/infra/src/index.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from '../clocks/given-clocks.js';
import { bearer, staffTokens } from '../ops/ops-fixtures.js';

/**
 * `/v1/ops/cases/stuck` lists the cases whose running clock has no live job for the timer it waits for next
 * (docs/operations.md "What the operator sees"). The gateway alone, no worker: the test arms and fires by hand.
 */
describe('operators: stuck cases whose clock has no live timer', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operator: string;
  let timers: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment('stuck clocks');
    app = await createGateway(env.config);
    base = await listen(app);
    operator = (await staffTokens(env)).operator;
    timers = new Queue(QUEUES.clockTimers, { connection: env.queueConnection, prefix: env.config.redis.queuePrefix });
  });
  afterAll(async () => {
    await timers?.close();
    await app?.close();
    await env?.teardown();
  });

  const stuckClocks = async () => {
    const { status, body } = await getJson(`${base}/v1/ops/cases/stuck`, bearer(operator));
    expect(status).toBe(200);
    return (body.items as { reason: string; caseId: string }[]).filter((item) => item.reason === 'no-timer');
  };

  it('lists a notice and a deadline without timers, and drops each once its next timer is live or done', async () => {
    const the = givenClocks(env.db, env.clock);
    const noticeCase = await the.caseAt();
    const notice = await the.clockOf(noticeCase, { clock: 'notice', kind: 'period', amount: 7, unit: 'calendar-days' });
    const lateCase = await the.caseAt();
    const review = await the.clockOf(lateCase, { amount: 10 });
    const { rows: trackingNumbers } = await env.db.query(`SELECT id, tracking_number FROM cases WHERE id = $1`, [
      noticeCase,
    ]);

    const listed = await stuckClocks();
    expect(listed).toEqual(
      expect.arrayContaining([
        {
          caseId: noticeCase,
          trackingNumber: trackingNumbers[0].tracking_number,
          itemCode: 'BPS-064',
          status: 'in-review',
          departmentCode: 'civil-affairs',
          division: '650102002',
          jobId: timerJobId(notice.id, 'due', notice.generation),
          reason: 'no-timer',
          clock: {
            clockId: notice.id,
            name: 'notice',
            generation: notice.generation,
            dueAt: new Date((await the.clockRow(notice.id)).due_at).toISOString(),
            timer: 'due',
          },
        },
        expect.objectContaining({ caseId: lateCase, jobId: timerJobId(review.id, 'due', review.generation) }),
      ]),
    );
    expect(listed).toHaveLength(2);

    // The notice's due timer armed (a delayed job): no longer stuck.
    await timers.add(
      'due',
      { clockId: notice.id, generation: notice.generation },
      { jobId: timerJobId(notice.id, 'due', notice.generation), delay: 86_400_000 },
    );
    expect((await stuckClocks()).map((item) => item.caseId)).toEqual([lateCase]);

    // The deadline breached: it now waits for its escalation timer, which has no job.
    await env.db.query(`UPDATE case_clocks SET breached_at = started_at + interval '1 day' WHERE id = $1`, [review.id]);
    expect(await stuckClocks()).toEqual([
      expect.objectContaining({
        caseId: lateCase,
        jobId: timerJobId(review.id, 'escalation', review.generation),
        clock: expect.objectContaining({ timer: 'escalation' }),
      }),
    ]);
    // Escalated too: nothing left to fire, nothing stuck.
    await env.db.query(`UPDATE case_clocks SET escalated_at = breached_at WHERE id = $1`, [review.id]);
    expect(await stuckClocks()).toEqual([]);
  });
});
