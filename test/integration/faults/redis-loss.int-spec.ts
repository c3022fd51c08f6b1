import { type INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { schedulersRecreated } from '../../../apps/worker/src/metrics/worker-metrics.js';
import { SCHEDULER_CHECK_EVERY_MS } from '../../../apps/worker/src/schedulers/job-schedulers.js';
import { ClockTimerScheduler } from '../../../apps/worker/src/clocks/clock-timer.scheduler.js';
import { timerJobId } from '../../../apps/worker/src/clocks/clock-timing.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { OwnRedisServer } from '../../support/redis-server.js';
import { TEST_QUEUE_BACKEND } from '../../support/test-database.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from '../clocks/given-clocks.js';
import { finishedJob } from '../../support/finished-job.js';

/** The worker's own check finds the schedulers gone within a few of its rounds (docs/operations.md "Redis emptied"). */
const RECOVERY_MS = 6 * SCHEDULER_CHECK_EVERY_MS;
/** A promoted timer job runs to its end. */
const TIMER_RUN_MS = 15_000;

/**
 * The queue store emptied under a running worker (docs/operations.md "Redis emptied"): the worker notices its job
 * schedulers are gone within `SCHEDULER_CHECK_EVERY_MS`, creates them again and re-arms every running clock from
 * PostgreSQL, without a restart. A public notice then still ends and a late step still breaches.
 *
 * On the Redis queue backend the test empties a Redis of its own (FLUSHALL). On the PostgreSQL backend the queue rows
 * go with the database and its backups, so the loss that remains is every queue obliterated (an operator's
 * mistake, a restore of the queue schema from before the clocks started): the same recovery must follow.
 */
describe(`the queue store emptied (${TEST_QUEUE_BACKEND === 'redis' ? 'Redis FLUSHALL' : 'every queue obliterated on PostgreSQL'}): schedulers and timers come back without a worker restart`, () => {
  let redis: OwnRedisServer | undefined;
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let timers: Queue;

  beforeAll(async () => {
    if (TEST_QUEUE_BACKEND === 'redis') redis = await OwnRedisServer.start();
    env = await createTestEnvironment('queue store loss', {
      ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
      HEARTBEAT_EVERY_MS: '60000',
    });
    worker = await createWorker(env.config);
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    timers = new Queue(QUEUES.clockTimers, opts);
  });
  afterAll(async () => {
    await worker?.close();
    await timers?.close();
    await env?.teardown();
    await redis?.stop();
  });

  it(
    're-creates the schedulers, re-arms the clocks, and the notice ends and the breach fires',
    async () => {
      const the = givenClocks(env.db, env.clock);
      const noticeCase = await the.caseAt();
      const notice = await the.clockOf(noticeCase, {
        clock: 'notice',
        kind: 'period',
        amount: 7,
        unit: 'calendar-days',
      });
      const lateCase = await the.caseAt();
      await the.taskOf(lateCase, 'review');
      const review = await the.clockOf(lateCase, { amount: 10 });
      for (const [caseId, clock] of [
        [noticeCase, 'notice'],
        [lateCase, 'review'],
      ] as const) {
        await worker.get(ClockTimerScheduler).armClock(caseId, clock);
      }
      const noticeDue = timerJobId(notice.id, 'due', notice.generation);
      const reviewDue = timerJobId(review.id, 'due', review.generation);
      expect(await timers.getJob(noticeDue)).toBeDefined();
      const schedulersBefore = (await timers.getJobSchedulers()).map((s) => s.key).sort();
      expect(schedulersBefore).toEqual(['calendar-year-check', 'sla-reconcile']);
      const recreatedBefore = await Promise.all(SCHEDULERS.map(recreatedCount));

      if (redis !== undefined) await redis.flushAll();
      else for (const queue of Object.values(QUEUES)) await env.queue(queue).obliterate({ force: true });
      expect(await timers.getJob(noticeDue)).toBeUndefined();
      expect(await timers.getJobSchedulers()).toEqual([]);

      // No restart: the worker's own check finds the schedulers gone and re-arms the clocks from PostgreSQL.
      const [noticeJob, reviewJob] = await eventually(async () => {
        const jobs = [await timers.getJob(noticeDue), await timers.getJob(reviewDue)];
        return jobs.every((job) => job !== undefined) && jobs;
      }, RECOVERY_MS);
      expect((await timers.getJobSchedulers()).map((s) => s.key).sort()).toEqual(schedulersBefore);
      // Counted once each, the heartbeat's (another queue) included.
      expect(await Promise.all(SCHEDULERS.map(recreatedCount))).toEqual(recreatedBefore.map((n) => n + 1));

      expect(await noticeJob!.getState()).toBe('delayed');
      await noticeJob!.promote();
      expect(await finishedJob(timers, noticeJob!.id!, TIMER_RUN_MS)).toEqual({
        outcome: 'done',
        action: 'period-ended',
      });
      await reviewJob!.promote();
      expect(await finishedJob(timers, reviewJob!.id!, TIMER_RUN_MS)).toEqual({ outcome: 'done', action: 'breached' });
      const { rows } = await env.db.query(
        `SELECT case_id, payload -> 'event' ->> 'type' AS type FROM outbox
       WHERE kind = 'case.command' AND case_id = ANY($1::uuid[]) ORDER BY id`,
        [[noticeCase, lateCase]],
      );
      expect(rows).toEqual([
        { case_id: noticeCase, type: 'NOTICE_PERIOD_ENDED' },
        { case_id: lateCase, type: 'CLOCK_BREACHED' },
      ]);
    },
    // Its waits, each on a condition, add up to more than an ordinary integration test's time: the recovery
    // (RECOVERY_MS) and each timer's run (TIMER_RUN_MS), plus the set-up around them.
    RECOVERY_MS + 2 * TIMER_RUN_MS + 30_000,
  );
});

const SCHEDULERS = ['heartbeat', 'sla-reconcile', 'calendar-year-check'];

async function recreatedCount(scheduler: string): Promise<number> {
  const { values } = await schedulersRecreated.get();
  return values.find((v) => v.labels['scheduler'] === scheduler)?.value ?? 0;
}
