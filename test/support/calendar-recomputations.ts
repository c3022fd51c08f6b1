import { type INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { type Clock } from '../../libs/domain/src/index.js';
import { calendarRecomputeJobId, QUEUES } from '../../libs/infra/src/index.js';
import {
  CalendarRecomputationRunner,
  type RecomputationOutcome,
} from '../../apps/worker/src/calendars/calendar-recomputation.js';
import { PublishedCalendarCache } from '../../apps/worker/src/calendars/published-calendar-cache.js';
import { eventually } from './given.js';
import { type TestEnvironment } from './test-environment.js';

/** The worker's recomputation runner on an app's data source, for tests that run no worker. */
export function recomputationRunner(app: INestApplicationContext, clock: Clock): CalendarRecomputationRunner {
  const dataSource = app.get(DataSource);
  return new CalendarRecomputationRunner(dataSource, clock, new PublishedCalendarCache(dataSource));
}

/**
 * Runs every queued or interrupted calendar recomputation to its end through the worker's runner (what the
 * `calendar-recomputations` job does), in the order they were requested, and answers their outcomes.
 */
export async function runQueuedRecomputations(
  app: INestApplicationContext,
  clock: Clock,
): Promise<RecomputationOutcome[]> {
  const runner = recomputationRunner(app, clock);
  const rows = (await app
    .get(DataSource)
    .query(`SELECT id FROM calendar_recomputations WHERE state <> 'done' ORDER BY id`)) as { id: string }[];
  const outcomes: RecomputationOutcome[] = [];
  for (const row of rows) outcomes.push(await runner.run(String(row.id)));
  return outcomes;
}

/** Waits until the running worker has finished the recomputation job of a published version (queue events). */
export async function untilRecomputed(
  env: TestEnvironment,
  published: { region: string; year: number; version: number },
): Promise<unknown> {
  const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
  const queue = new Queue(QUEUES.calendarRecomputations, opts);
  const events = new QueueEvents(QUEUES.calendarRecomputations, opts);
  try {
    await events.waitUntilReady();
    // The relay queues the job once the publication's outbox row is committed.
    const job = await eventually(async () => (await queue.getJob(calendarRecomputeJobId(published))) ?? null);
    return await job.waitUntilFinished(events, 30_000);
  } finally {
    await events.close();
    await queue.close();
  }
}
