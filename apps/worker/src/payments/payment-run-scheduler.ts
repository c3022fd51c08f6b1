import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type Clock, paymentRunDue, todayOn } from '@minsheng/domain';
import {
  buildingPaymentRuns,
  InjectClock,
  openPaymentRun,
  type PaymentRun,
  paymentRunJobId,
  PublishedParameters,
  QUEUES,
  transactionWithRetry,
} from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** Asia/Shanghai: the business day of the whole system (docs/time.md). */
const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/**
 * The monthly payment run (docs/money.md "Payment runs"): a BullMQ job scheduler fires every day at 00:30
 * Asia/Shanghai; on and after the day of the month published as `payment-runs.day-of-month` (in force on that
 * business day, the injected clock's, never the wall clock's) it opens the run of the business month, which is a
 * no-op once the month's run exists. A published change of the day thus applies from its start date without
 * touching the scheduler. PostgreSQL knows which runs are still building; at worker start and when Redis lost its schedulers
 * their build jobs are queued again under their own ids, so a lost job resumes from the row's cursor.
 */
@Injectable()
export class PaymentRunScheduler implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.paymentRuns) private readonly queue: Queue,
    private readonly parameters: PublishedParameters,
    @InjectClock() private readonly clock: Clock,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'payment-run',
      // Daily: which day opens the run is a published value, read when the job runs (openDueMonth).
      cron: { pattern: '30 0 * * *', tz: BUSINESS_TIME_ZONE },
      job: {
        name: 'schedule',
        data: () => ({ requestedAt: this.clock.now().toISOString() }),
        opts: { removeOnComplete: 100, removeOnFail: 100 },
      },
    });
    this.schedulers.onRedisLoss(() => this.resume());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.resume();
  }

  /**
   * The daily `schedule` job: opens the run of the business month if its published day has come and none is open
   * (the run's outbox row queues its build); answers the run, or null before the day. The parameters are read
   * afresh, so a value published today decides today.
   */
  async openDueMonth(): Promise<PaymentRun | null> {
    const now = this.clock.now();
    const { due, month } = paymentRunDue(await this.parameters.reload(), todayOn(this.clock));
    if (!due) return null;
    const { run } = await transactionWithRetry(this.dataSource, (tx) =>
      openPaymentRun(tx, { month, requestedBy: 'system:scheduler', requestId: null, now }),
    );
    return run;
  }

  /**
   * Queues the build of every run still building under its deterministic job id, and retries one whose job failed
   * (stalled too often, or out of attempts while the database was away); answers how many runs were building.
   */
  async resume(): Promise<number> {
    const building = await buildingPaymentRuns(this.dataSource);
    for (const run of building) {
      const jobId = paymentRunJobId(run.id);
      const job = await this.queue.getJob(jobId);
      if (job !== undefined && (await job.isFailed())) await job.retry();
      else await this.queue.add('build', { runId: run.id, month: run.month }, { jobId });
    }
    return building.length;
  }
}
