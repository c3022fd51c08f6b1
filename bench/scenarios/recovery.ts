import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { countWindow } from '../support/counts.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log } from '../support/progress.js';
import { deletePrefix, closeQueueConnection, queueConnection } from '../support/redis.js';
import { seedCases } from '../support/seed.js';
import { now, sleep } from '../support/stats.js';

const CLOCK_QUEUE = 'clock-timers';

/**
 * Redis is emptied while many cases are open (each with a running statutory clock): how long until the worker's
 * SLA reconciler has re-armed every clock's timers from PostgreSQL (docs/architecture.md invariant 1). The bench
 * deletes every key of its queue prefix, then asks the running worker for one reconciliation (the `reconcile` job its
 * scheduler also runs every few minutes) and times it to completion.
 */
export const recoveryScenario: Scenario = {
  id: 'recovery',
  title: 'Recovery: Redis emptied, reconciler re-arms open cases',
  queues: 'redis',
  async run(ctx: BenchContext) {
    const total = ctx.sizes.recoveryCases;
    const steps = happyPathSteps();
    await ctx.processes.stopWorkers();
    await seedCases(ctx.db, {
      tag: 'recovery',
      count: total,
      states: [{ snapshot: steps[2]!.before, status: steps[2]!.status, currentSteps: ['investigation'] }],
      withTasks: true,
      withClocks: true,
      progressLabel: 'recovery: seeding open cases',
    });
    const { rows } = await ctx.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM case_clocks WHERE stopped_at IS NULL AND paused_at IS NULL`,
    );
    const running = Number(rows[0]!.n);

    // A worker start re-arms everything too: time it from spawn to ready.
    const bootStarted = now();
    await ctx.processes.startWorker();
    const bootSeconds = (now() - bootStarted) / 1000;

    const deleted = await deletePrefix(ctx.redis!, ctx.config.redis.queuePrefix);
    const connection = queueConnection(ctx);
    const queue = new Queue(CLOCK_QUEUE, { connection, prefix: ctx.config.redis.queuePrefix });
    const events = new QueueEvents(CLOCK_QUEUE, {
      connection: (connection as unknown as Redis).duplicate(),
      prefix: ctx.config.redis.queuePrefix,
    });
    try {
      await events.waitUntilReady();
      await sleep(500);
      const counting = await countWindow(ctx, 'recovery');
      const started = now();
      const job = await queue.add(
        'reconcile',
        { requestedAt: new Date().toISOString() },
        { jobId: `bench-reconcile-${Date.now()}` },
      );
      const result = (await job.waitUntilFinished(events, 30 * 60_000)) as { clocks?: number } | null;
      const seconds = (now() - started) / 1000;
      const perClock = await counting.close(result?.clocks ?? 0, 'clock re-armed');
      const timers = await queue.getDelayedCount();
      if (result?.clocks === undefined)
        throw new NotAvailable('the clock-timers reconcile job returned no clock count');
      ctx.metrics.set('recovery.seconds', seconds);
      ctx.record({
        metric: `open cases with a running clock`,
        value: running,
        unit: 'clocks',
        note: `${deleted.toLocaleString('en-US')} Redis keys deleted`,
      });
      ctx.record({ metric: 'worker start-up with the boot reconciliation', value: bootSeconds, unit: 's' });
      ctx.record({
        metric: 'time to re-arm every clock after Redis was emptied',
        value: seconds,
        unit: 's',
        note: `${result.clocks.toLocaleString('en-US')} clocks re-armed`,
      });
      ctx.record({ metric: 'clocks re-armed/s', value: result.clocks / seconds, unit: 'clocks/s' });
      ctx.record({ metric: 'delayed timer jobs in Redis afterwards', value: timers, unit: 'jobs' });
      counting.record(perClock, 'reconcile job');
      log(`recovery: ${result.clocks} clocks re-armed in ${seconds.toFixed(1)} s; ${timers} delayed timers`);
    } finally {
      await events.close();
      await queue.close();
      await closeQueueConnection(connection);
      await ctx.processes.stopWorkers();
    }
  },
};
