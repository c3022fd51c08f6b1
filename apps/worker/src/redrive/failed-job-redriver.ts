import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type JobName, QUEUES } from '@minsheng/infra';
import { automaticRedrives } from '../metrics/worker-metrics.js';
import { failedPermanently } from '../queues/permanent-failure.js';
import { PeriodicRound } from '../queues/periodic-round.js';

/**
 * How many times one job that failed is put back automatically (each time with its full attempts) before it is
 * left in the failed set for an operator (docs/operations.md "PostgreSQL outage"). Three re-drives with five
 * attempts each outlast an outage of minutes; a job that fails for a reason retries cannot fix stops after them.
 */
export const MAX_AUTOMATIC_REDRIVES = 3;

/** How often each worker looks for failed jobs to re-drive. */
export const REDRIVE_EVERY_MS = 10_000;

/** Failed jobs read per queue and round (newest first). */
const REDRIVE_BATCH = 1_000;

/** The jobs worth re-driving: those that move a case. Scheduler-made jobs (reconcile, checks) simply run again. */
const REDRIVEN_JOBS: { readonly [Q in typeof QUEUES.caseCommands | typeof QUEUES.clockTimers]: readonly JobName<Q>[] } =
  {
    'case-commands': ['apply'],
    'clock-timers': ['arm', 'reminder', 'due', 'escalation'],
  };

/** The re-drive count a job carries in its data (absent before its first automatic re-drive). */
interface Redriven {
  readonly redrives?: number;
}

/**
 * Puts back the command and timer jobs that failed (ran out of attempts, typically while PostgreSQL was away), once
 * PostgreSQL answers again: `retry` with the attempts reset, at most `MAX_AUTOMATIC_REDRIVES` times per job (the
 * count travels in the job's data as `redrives`), each counted in `minsheng_automatic_redrives_total`. Jobs marked
 * as failed for good (a permanent refusal no retry can fix, docs/errors.md) are never re-driven. Re-running is safe: the engine recognises an
 * applied command, and a timer acts only on its clock generation and only once.
 */
@Injectable()
export class FailedJobRedriver implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FailedJobRedriver.name);
  private readonly rounds = new PeriodicRound(
    REDRIVE_EVERY_MS,
    () => this.redriveOnce(),
    (error) => this.logger.warn({ err: error }, 're-drive round failed'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.caseCommands) private readonly commands: Queue,
    @InjectQueue(QUEUES.clockTimers) private readonly timers: Queue,
  ) {}

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.rounds.stop();
  }

  /** One round: nothing while PostgreSQL is away; else re-drives what qualifies and answers how many jobs. */
  async redriveOnce(): Promise<number> {
    if (!(await this.databaseAnswers())) return 0;
    let redriven = 0;
    for (const [queue, names] of [
      [this.commands, REDRIVEN_JOBS['case-commands']],
      [this.timers, REDRIVEN_JOBS['clock-timers']],
    ] as const) {
      const failed = (await queue.getFailed(0, REDRIVE_BATCH - 1)) as Job<Redriven>[];
      for (const job of failed.filter((candidate) => qualifies(candidate, names))) {
        if (await this.redrive(job)) redriven += 1;
      }
    }
    return redriven;
  }

  private async redrive(job: Job<Redriven>): Promise<boolean> {
    const redrives = (job.data.redrives ?? 0) + 1;
    try {
      await job.updateData({ ...job.data, redrives });
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (error) {
      // Another worker re-drove it first, or it was removed: nothing to do.
      this.logger.debug({ err: error, jobId: job.id }, 'job not re-driven');
      return false;
    }
    automaticRedrives.inc({ queue: job.queueName });
    this.logger.warn(
      { queue: job.queueName, jobId: job.id, jobName: job.name, redrives, failedReason: job.failedReason },
      'failed job re-driven',
    );
    return true;
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}

function qualifies(job: Job<Redriven>, names: readonly string[]): boolean {
  return names.includes(job.name) && !failedPermanently(job) && (job.data.redrives ?? 0) < MAX_AUTOMATIC_REDRIVES;
}
