import { InjectQueue } from '@nestjs/bullmq';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { commandJobId, findUnappliedCommands, QUEUES, type CaseCommand } from '@minsheng/infra';
import { reconcilerRedrives } from '../metrics/worker-metrics.js';
import { failedPermanently } from '../queues/permanent-failure.js';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** How often the reconciler looks for commands whose job vanished. */
export const RECONCILE_EVERY_MS = 30_000;
/** How far back it looks: commands sent longer ago and still unapplied are for an operator. */
export const RECONCILE_WINDOW_DAYS = 7;
const RECONCILE_BATCH = 1_000;

/**
 * PostgreSQL is the source of truth, Redis only holds work still to do (docs/architecture.md invariant 1). A command
 * whose outbox row was sent but whose event never appeared, and whose job is no longer in Redis (Redis emptied or lost
 * its last writes), is enqueued again with the same job id. The engine recognises a command already applied, so
 * a re-drive can never apply anything twice. A failed job with attempts left (stalled too often by
 * killed workers) is retried; one that used up its attempts is the FailedJobRedriver's (bounded re-drives once
 * PostgreSQL is back, apps/worker/src/redrive), and after those it stays failed for an operator (ops API).
 */
@Injectable()
export class Reconciler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Reconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.caseCommands) private readonly commands: Queue,
    private readonly schedulers: JobSchedulers,
  ) {}

  /** Redis emptied: the commands it lost are enqueued again now, not at the next round. */
  onModuleInit(): void {
    this.schedulers.onRedisLoss(() => this.reconcileOnce());
  }

  onApplicationBootstrap(): void {
    const run = () => {
      this.round = this.reconcileOnce().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'reconciliation round failed'),
      );
    };
    run();
    this.timer = setInterval(run, RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round; answers the number of commands enqueued again. */
  async reconcileOnce(): Promise<number> {
    const unapplied = await findUnappliedCommands(this.dataSource, {
      graceSeconds: 0,
      limit: RECONCILE_BATCH,
      relayedWithinDays: RECONCILE_WINDOW_DAYS,
      per: 'every-command',
    });
    const missing: CaseCommand[] = [];
    let retried = 0;
    for (const { command } of unapplied) {
      const job = await this.commands.getJob(commandJobId(command.commandId));
      if (job === undefined) {
        missing.push(command);
      } else if (isRetryableFailure(job) && (await job.getState()) === 'failed') {
        await job.retry('failed');
        retried += 1;
      }
    }
    if (retried > 0) this.logger.warn({ count: retried }, 'failed commands with attempts left were retried');
    if (retried > 0) reconcilerRedrives.inc({ kind: 'command' }, retried);
    if (missing.length === 0) return retried;
    await this.commands.addBulk(
      missing.map((command) => ({ name: 'apply', data: command, opts: { jobId: commandJobId(command.commandId) } })),
    );
    this.logger.warn({ count: missing.length }, 'commands without a job were enqueued again');
    reconcilerRedrives.inc({ kind: 'command' }, missing.length);
    return missing.length + retried;
  }
}

/**
 * A job that failed without using its attempts (e.g. stalled too often while workers were killed) is retried;
 * one marked as failed for good (a permanent refusal, docs/errors.md) or that ran out of attempts is left to the
 * FailedJobRedriver. The caller checks that the job is failed.
 */
function isRetryableFailure(job: Job): boolean {
  return !failedPermanently(job) && job.attemptsMade < (job.opts.attempts ?? 1);
}
