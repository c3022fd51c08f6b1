import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ClockTimerScheduler } from '../../../apps/worker/src/clocks/clock-timer.scheduler.js';
import { timerJobId } from '../../../apps/worker/src/clocks/clock-timing.js';
import { QUEUES, type StoredEventRow, verifyChain } from '../../../libs/infra/src/index.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from '../clocks/given-clocks.js';
import { finishedJob } from '../../support/finished-job.js';

const CASES = 40;

/**
 * The lock order (docs/operations.md "Lock order": case before task). A breach timer locks the case, then raises
 * the late step's task; a reviewer deciding that task locks the case, then the task. Fired at the same moment on
 * the same cases they queue on the case row instead of deadlocking: no reviewer sees a 5xx or a conflict, no timer
 * job fails an attempt, and every breach and every decision is recorded exactly once.
 */
describe('lock order: reviewer decisions raced against breach timers on the same cases', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let base: string;
  let timers: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment('lock order race', { HEARTBEAT_EVERY_MS: '60000', DATABASE_POOL_SIZE: '20' });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    timers = new Queue(QUEUES.clockTimers, opts);
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await timers?.close();
    await env?.teardown();
  });

  it('decides every task and breaches every clock once, with no 5xx and no failed attempt', async () => {
    const the = givenClocks(env.db, env.clock);
    const reviewer = await staffToken(env.env, 'street-racer');
    const cases: { caseId: string; taskId: string; dueJobId: string }[] = [];
    for (let i = 0; i < CASES; i++) {
      const caseId = await the.caseAt();
      const taskId = await the.taskOf(caseId, 'review');
      await env.db.query(`UPDATE tasks SET outcomes = '{approve,reject}' WHERE id = $1`, [taskId]);
      const clock = await the.clockOf(caseId, { amount: 10 });
      await worker.get(ClockTimerScheduler).armClock(caseId, 'review');
      cases.push({ caseId, taskId, dueJobId: timerJobId(clock.id, 'due', clock.generation) });
    }
    const dueJobs = await Promise.all(cases.map(async (c) => (await timers.getJob(c.dueJobId))!));
    expect(dueJobs.every((job) => job !== undefined)).toBe(true);

    // Both sides at once: every breach timer promoted while every decision is in flight.
    const decisions = cases.map((c) =>
      getJson(`${base}/v1/tasks/${c.taskId}/decision`, {
        method: 'POST',
        headers: { ...reviewer.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'approve', comment: 'race' }),
      }),
    );
    const breaches = dueJobs.map(async (job) => {
      await job.promote();
      return finishedJob(timers, job.id!, 30_000);
    });
    const [answers, outcomes] = await Promise.all([Promise.all(decisions), Promise.all(breaches)]);

    expect(answers.map((a) => a.status)).toEqual(cases.map(() => 202));
    expect(outcomes).toEqual(cases.map(() => ({ outcome: 'done', action: 'breached' })));
    // A deadlock aborts one side; on the worker's side it would show as a failed attempt of the timer job.
    const finished = await Promise.all(cases.map(async (c) => (await timers.getJob(c.dueJobId))!));
    expect(finished.map((job) => job.stacktrace ?? [])).toEqual(cases.map(() => []));

    for (const { caseId, taskId } of cases) {
      const { rows } = await env.db.query<StoredEventRow>(
        `SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash FROM case_events
         WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      const types = rows.map((r) => r.type);
      expect(types.filter((t) => t === 'SLA_BREACHED')).toHaveLength(1);
      // (These cases have no machine snapshot, so the engine then refuses the decision's command and reopens the
      // task; what the race is about is that the decision and the breach were each recorded once.)
      const decided = rows.filter((r) => r.type === 'DECISION_SUBMITTED');
      expect(decided.map((r) => (r.payload as { taskId: string }).taskId)).toEqual([taskId]);
      expect(verifyChain(rows)).toMatchObject({ ok: true });
    }
  });
});
