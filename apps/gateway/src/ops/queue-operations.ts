import { Inject, Injectable } from '@nestjs/common';
import { type Job, type JobType, type Queue } from 'bullmq';
import { DomainError } from '@minsheng/domain';
import { REDIS_CLIENT, type RedisClient } from '@minsheng/infra';
import { type JobView, jobView } from './job-view.js';
import { QueueRegistry } from './queue-registry.js';

export interface QueueOverview {
  readonly name: string;
  readonly paused: boolean;
  readonly waiting: number;
  readonly prioritized: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
  /**
   * Jobs finished in the last minute and hour (counted among the completed jobs still kept; see
   * docs/operations.md).
   */
  readonly completedLastMinute: number;
  readonly completedLastHour: number;
  /** Age of the oldest job waiting to run; null when none waits. */
  readonly oldestWaitingSeconds: number | null;
}

/** The job states an operator can list. */
export const LISTABLE_STATES = ['failed', 'waiting', 'active', 'delayed', 'completed', 'prioritized'] as const;
export type ListableState = (typeof LISTABLE_STATES)[number];

const STATE_TYPES: Record<ListableState, JobType> = {
  failed: 'failed',
  waiting: 'wait',
  active: 'active',
  delayed: 'delayed',
  completed: 'completed',
  prioritized: 'prioritized',
};

/**
 * Jobs waiting to run: BullMQ 6 on Redis keeps them in `wait` while the queue is paused; its PostgreSQL backend
 * reports them as `paused` then (docs/operations.md, "Queue backends"). Asking for both is right on either.
 */
const PAUSED = 'paused' as JobType; // BullMQ 6's JobType no longer lists it; its PostgreSQL backend still answers it
export const WAITING_TYPES: JobType[] = ['wait', PAUSED];

/** Reads and repairs queues. Every change here is audited by the caller, after it succeeded. */
@Injectable()
export class QueueOperations {
  constructor(
    private readonly registry: QueueRegistry,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  async overview(): Promise<QueueOverview[]> {
    return Promise.all(this.registry.all().map(([, queue]) => this.describe(queue)));
  }

  // eslint-disable-next-line no-restricted-syntax -- BullMQ's job timestamps are wall-clock milliseconds
  async describe(queue: Queue, now = Date.now()): Promise<QueueOverview> {
    // The completed set is a sorted set scored by finishedOn, so a range count is exact for the jobs still kept
    // (removeOnComplete keeps an hour): no scan, and no need for every worker to enable BullMQ's metrics.
    const [counts, paused, lastMinute, lastHour, oldest] = await Promise.all([
      queue.getJobCounts('wait', PAUSED, 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      queue.isPaused(),
      this.completedSince(queue, now - 60_000),
      this.completedSince(queue, now - 3_600_000),
      queue.getJobs(WAITING_TYPES, 0, 0, true),
    ]);
    const oldestJob = oldest[0];
    return {
      name: queue.name,
      paused,
      // BullMQ 6 on Redis keeps a paused queue's jobs in `wait`; its PostgreSQL backend reports them as `paused`.
      waiting: (counts['wait'] ?? 0) + (counts[PAUSED] ?? 0),
      prioritized: counts['prioritized'] ?? 0,
      active: counts['active'] ?? 0,
      delayed: counts['delayed'] ?? 0,
      failed: counts['failed'] ?? 0,
      completed: counts['completed'] ?? 0,
      completedLastMinute: lastMinute,
      completedLastHour: lastHour,
      oldestWaitingSeconds: oldestJob ? Math.max(0, Math.round((now - oldestJob.timestamp) / 1000)) : null,
    };
  }

  /**
   * Jobs finished since `since` among those still kept. Without Redis (queues on PostgreSQL) the kept completed
   * jobs are read and counted: removeOnComplete keeps an hour of them.
   */
  private async completedSince(queue: Queue, since: number): Promise<number> {
    if (this.redis !== null) return this.redis.zcount(queue.toKey('completed'), since, '+inf');
    const jobs = await queue.getJobs(['completed'], 0, -1);
    return jobs.filter((job) => (job?.finishedOn ?? 0) >= since).length;
  }

  async list(
    name: string,
    state: ListableState,
    offset: number,
    limit: number,
  ): Promise<{ items: JobView[]; nextCursor: string | null }> {
    const queue = this.registry.get(name);
    // One extra job tells whether there is a next page.
    const types = state === 'waiting' ? WAITING_TYPES : [STATE_TYPES[state]];
    const jobs = await queue.getJobs(types, offset, offset + limit, state !== 'failed');
    const page = jobs.slice(0, limit).filter((job): job is Job => Boolean(job));
    return {
      items: page.map((job) => jobView(job, state === 'waiting' ? 'waiting' : state)),
      nextCursor: jobs.length > limit ? String(offset + limit) : null,
    };
  }

  async job(name: string, id: string): Promise<{ queue: Queue; job: Job }> {
    const queue = this.registry.get(name);
    const job = await queue.getJob(id);
    if (!job) throw new DomainError('JOB.NOT_FOUND', `no job ${id} in queue ${name}`, { field: 'id' });
    return { queue, job };
  }

  /** Moves one failed job back to waiting with its attempts reset. */
  async retry(name: string, id: string): Promise<JobView> {
    const { job } = await this.job(name, id);
    const state = await job.getState();
    if (state !== 'failed') {
      throw new DomainError('JOB.NOT_FAILED', `job ${id} is ${state}; only a failed job can be retried`, { state });
    }
    await job.retry('failed');
    return jobView(job, 'waiting');
  }

  /** Retries every failed job of the queue; returns how many were failed when asked. */
  async retryFailed(name: string): Promise<number> {
    const queue = this.registry.get(name);
    const failed = await queue.getJobCountByTypes('failed');
    // BullMQ moves them in batches of `count` until none is left.
    await queue.retryJobs({ state: 'failed', count: 1_000 });
    return failed;
  }

  /** Removes a job that should not run again (a poison message). An active job cannot be discarded. */
  async discard(name: string, id: string): Promise<JobView> {
    const { job } = await this.job(name, id);
    const state = await job.getState();
    if (state === 'active') {
      throw new DomainError('JOB.ACTIVE', `job ${id} is running; wait until it fails or completes`, { state });
    }
    const view = jobView(job, state);
    await job.remove();
    return view;
  }

  async pause(name: string): Promise<void> {
    await this.registry.get(name).pause();
  }

  async resume(name: string): Promise<void> {
    await this.registry.get(name).resume();
  }
}
