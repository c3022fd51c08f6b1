import { Queue, Worker } from 'bullmq';
import type { BenchContext, Scenario } from '../support/context.js';
import { log, Progress } from '../support/progress.js';
import { now, perSecond } from '../support/stats.js';
import { closeQueueConnection, queueConnection } from '../support/redis.js';

/**
 * The queue's ceiling: BullMQ jobs that do nothing, added in bulk, then processed by one worker with the
 * engine's concurrency (WORKER_CONCURRENCY). Whatever a job does on top of this costs throughput.
 */
export const queueNoopLimit: Scenario = {
  id: 'limit-queue',
  title: 'Limit: BullMQ no-op jobs',
  queues: 'any',
  async run(ctx: BenchContext) {
    const name = 'bench-noop';
    const connection = queueConnection(ctx);
    const queue = new Queue(name, { connection, prefix: ctx.config.redis.queuePrefix });
    const total = ctx.sizes.queueJobs;
    const addStarted = now();
    for (let i = 0; i < total; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, total - i) }, (_, j) => ({
        name: 'noop',
        data: { caseId: `00000000-0000-4000-8000-${String(i + j).padStart(12, '0')}` },
        opts: { jobId: `noop-${i + j}`, removeOnComplete: true },
      }));
      await queue.addBulk(batch);
    }
    const addRate = perSecond(total, now() - addStarted);
    const progress = new Progress('queue no-op jobs', total);
    let processed = 0;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const started = now();
    const worker = new Worker(
      name,
      async () => {
        processed += 1;
        progress.update(processed);
        if (processed === total) finish();
        return Promise.resolve();
      },
      { connection, prefix: ctx.config.redis.queuePrefix, concurrency: ctx.config.worker.concurrency },
    );
    await finished;
    const rate = perSecond(total, now() - started);
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await closeQueueConnection(connection);
    ctx.metrics.set('queue.jobsPerSecond', rate);
    ctx.record({ metric: 'addBulk jobs/s', value: addRate, unit: 'jobs/s' });
    ctx.record({
      metric: `no-op jobs processed/s (concurrency ${ctx.config.worker.concurrency})`,
      value: rate,
      unit: 'jobs/s',
    });
    log(`queue: ${Math.round(rate)} no-op jobs/s`);
  },
};
