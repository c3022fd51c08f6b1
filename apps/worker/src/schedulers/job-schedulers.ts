import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type JobSchedulerTemplateOptions, type Queue } from 'bullmq';
import { schedulersRecreated } from '../metrics/worker-metrics.js';
import { PeriodicRound } from '../queues/periodic-round.js';

/**
 * How often each worker checks that the fleet's job schedulers still exist in Redis. They live only there, so
 * FLUSHALL or a Redis replaced without its data deletes them; this bounds how long periodic work (heartbeat, the
 * SLA reconciliation, the calendar check) stays off after that (docs/operations.md "Redis emptied").
 */
export const SCHEDULER_CHECK_EVERY_MS = 5_000;

/** A BullMQ job scheduler the worker fleet keeps alive: which queue, its id, its period and the job it makes. */
export interface JobSchedulerDefinition {
  readonly queue: Queue;
  readonly id: string;
  /** Every so many milliseconds, or (instead) on a cron pattern in a time zone (the monthly payment run). */
  readonly every?: number;
  readonly cron?: { readonly pattern: string; readonly tz: string };
  readonly job: { readonly name: string; readonly data: () => unknown; readonly opts?: JobSchedulerTemplateOptions };
}

/** Work to redo at once when Redis turns out to have lost its schedulers (and so, likely, its jobs). */
export type RedisLossListener = () => Promise<unknown>;

/**
 * The worker's job schedulers, created at start (upsert: idempotent, so every worker of the fleet may) and checked
 * every `SCHEDULER_CHECK_EVERY_MS`: a missing one is created again, counted in
 * `minsheng_job_schedulers_recreated_total`, and every `onRedisLoss` listener runs at once (the clock reconciler
 * re-arms every running clock, the command reconciler re-enqueues unapplied commands) instead of waiting for a
 * worker restart.
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobSchedulers.name);
  private readonly definitions: JobSchedulerDefinition[] = [];
  private readonly lossListeners: RedisLossListener[] = [];
  private readonly checks = new PeriodicRound(
    SCHEDULER_CHECK_EVERY_MS,
    () => this.recreateMissing(),
    (error) => this.logger.warn({ err: error }, 'job scheduler check failed'),
  );

  /** Called by the owners of periodic work from `onModuleInit` (before any bootstrap runs). */
  register(definition: JobSchedulerDefinition): void {
    this.definitions.push(definition);
  }

  onRedisLoss(listener: RedisLossListener): void {
    this.lossListeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    // At start every scheduler is upserted, so a changed period (configuration) replaces the stored one.
    for (const definition of this.definitions) await this.upsert(definition);
    this.checks.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.checks.stop();
  }

  /** Creates the schedulers Redis no longer has and, if any, runs the Redis-loss listeners; answers their ids. */
  async recreateMissing(): Promise<string[]> {
    const missing: JobSchedulerDefinition[] = [];
    for (const definition of this.definitions) {
      if ((await definition.queue.getJobScheduler(definition.id)) === undefined) missing.push(definition);
    }
    if (missing.length === 0) return [];
    for (const definition of missing) {
      await this.upsert(definition);
      schedulersRecreated.inc({ scheduler: definition.id });
    }
    const ids = missing.map((definition) => definition.id);
    this.logger.warn({ schedulers: ids }, 'job schedulers were missing from Redis and were created again');
    for (const listener of this.lossListeners) await listener();
    return ids;
  }

  private async upsert({ queue, id, every, cron, job }: JobSchedulerDefinition): Promise<void> {
    const repeat = cron === undefined ? { every } : { pattern: cron.pattern, tz: cron.tz };
    await queue.upsertJobScheduler(id, repeat, { name: job.name, data: job.data(), opts: job.opts ?? {} });
  }
}
