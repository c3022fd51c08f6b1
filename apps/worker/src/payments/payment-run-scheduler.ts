import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type Clock, monthOf, todayOn } from '@minsheng/domain';
import {
  APP_CONFIG,
  type AppConfig,
  buildingPaymentRuns,
  InjectClock,
  openPaymentRun,
  type PaymentRun,
  paymentRunJobId,
  QUEUES,
  transactionWithRetry,
} from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** Asia/Shanghai: the business day of the whole system (docs/time.md). */
const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/**
 * The monthly payment run (docs/money.md "Payment runs"): a BullMQ job scheduler fires on the configured day of
 * each month at 00:30 Asia/Shanghai and opens the run of the business month (the injected clock's, never the wall
 * clock's). PostgreSQL knows which runs are still building; at worker start and when Redis lost its schedulers
 * their build jobs are queued again under their own ids, so a lost job resumes from the row's cursor.
 */
@Injectable()
export class PaymentRunScheduler implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.paymentRuns) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectClock() private readonly clock: Clock,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'payment-run',
      cron: { pattern: `30 0 ${this.config.payments.runDay} * *`, tz: BUSINESS_TIME_ZONE },
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

  /** Opens the run of the business month if none is open (the run's outbox row queues its build). */
  async openCurrentMonth(): Promise<PaymentRun> {
    const now = this.clock.now();
    const month = monthOf(todayOn(this.clock));
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
