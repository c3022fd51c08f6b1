import { Queue, Worker, type Job } from 'bullmq';
import type { BenchContext, Scenario } from '../support/context.js';
import { log, Progress } from '../support/progress.js';
import { closeQueueConnection, queueConnection } from '../support/redis.js';
import { distribution, sleep } from '../support/stats.js';

interface TimerJob {
  readonly dueAt: number;
}

/**
 * Many pending delayed jobs with due times spread evenly over a window, fired by one worker with the engine's
 * concurrency: lateness = when the processor ran − when the job was due. These are raw BullMQ delayed jobs
 * (the mechanism the clocks use), fired by a no-op processor, so the figure is the queue's own lateness; the
 * clocks' database re-read comes on top of it.
 */
export const timersScenario: Scenario = {
  id: 'timers',
  title: 'Timers: firing lateness of pending delayed jobs',
  queues: 'any',
  async run(ctx: BenchContext) {
    const total = ctx.sizes.timers;
    const windowMs = ctx.sizes.timerWindowSeconds * 1000;
    const name = 'bench-timers';
    const connection = queueConnection(ctx);
    const queue = new Queue<TimerJob>(name, { connection, prefix: ctx.config.redis.queuePrefix });
    // Every timer is still pending when the window opens: leave time to add them all first.
    const leadMs = 3_000 + Math.ceil(total / 10_000) * 1_000;
    const windowStart = Date.now() + leadMs;
    const addProgress = new Progress('timers: adding delayed jobs', total);
    for (let i = 0; i < total; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, total - i) }, (_, j) => {
        const n = i + j;
        const dueAt = windowStart + Math.floor((n / total) * windowMs);
        return {
          name: 'fire',
          data: { dueAt },
          opts: { jobId: `timer-${n}`, delay: Math.max(0, dueAt - Date.now()), removeOnComplete: true },
        };
      });
      await queue.addBulk(batch);
      addProgress.update(Math.min(total, i + 1_000));
    }
    const lateAtAdd = Date.now() > windowStart;
    const pending = await queue.getDelayedCount();

    const lateness: number[] = [];
    const fireProgress = new Progress('timers: fired', total);
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const worker = new Worker<TimerJob>(
      name,
      async (job: Job<TimerJob>) => {
        lateness.push(Date.now() - job.data.dueAt);
        fireProgress.update(lateness.length);
        if (lateness.length === total) finish();
        return Promise.resolve();
      },
      { connection, prefix: ctx.config.redis.queuePrefix, concurrency: ctx.config.worker.concurrency },
    );
    const timeout = sleep(leadMs + windowMs + 120_000).then(() => 'timeout' as const);
    const outcome = await Promise.race([finished, timeout]);
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await closeQueueConnection(connection);
    if (outcome === 'timeout') throw new Error(`only ${lateness.length} of ${total} timers fired`);

    const d = distribution(lateness);
    ctx.metrics.set('timers.p99', d.p99);
    ctx.metrics.set('timers.path', 0);
    const over = `${total.toLocaleString('en-US')} raw BullMQ delayed jobs over ${ctx.sizes.timerWindowSeconds} s`;
    ctx.record({
      metric: 'pending delayed jobs when the window opened',
      value: pending,
      unit: 'jobs',
      note: lateAtAdd ? 'adding overran the lead time' : over,
    });
    ctx.record({ metric: 'firing lateness p50', value: d.p50, unit: 'ms' });
    ctx.record({ metric: 'firing lateness p99', value: d.p99, unit: 'ms' });
    ctx.record({ metric: 'firing lateness max', value: d.max, unit: 'ms' });
    log(`timers: lateness p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms`);
  },
};
