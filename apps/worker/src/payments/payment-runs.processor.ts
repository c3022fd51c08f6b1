import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { PaymentRunBuilder } from './payment-run-builder.js';
import { PaymentRunScheduler } from './payment-run-scheduler.js';

/**
 * The `payment-runs` queue: the daily `schedule` job opens the month's run on its published day, one `build` job per run writes its
 * lines. Progress is the job's (`job.progress`) and the run row's (`GET /v1/payment-runs/{id}`).
 */
@Processor(QUEUES.paymentRuns, {
  // A batch commits within a second or two and the lock is renewed every half lockDuration; a killed worker's job
  // is found stalled within about 20 s and resumed from the row's cursor by the next worker.
  lockDuration: 15_000,
  stalledInterval: 5_000,
  // Each restart of a killed build is a stall; a build resumes from its cursor, so stalls cost no double work.
  maxStalledCount: 20,
})
export class PaymentRunsProcessor extends ContractWorkerHost<'payment-runs'> {
  constructor(
    private readonly builder: PaymentRunBuilder,
    private readonly scheduler: PaymentRunScheduler,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'payment-runs'> = {
    build: (job) => this.builder.build(job.data.runId, (progress) => job.updateProgress({ ...progress })),
    schedule: () => this.scheduler.openDueMonth(),
  };
}
