import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { PaymentRunBuilder } from './payment-run-builder.js';
import { PaymentRunScheduler } from './payment-run-scheduler.js';

/**
 * The `payment-runs` queue: the monthly `schedule` job opens the month's run, one `build` job per run writes its
 * lines. Progress is the job's (`job.progress`) and the run row's (`GET /v1/payment-runs/{id}`).
 */
@Processor(QUEUES.paymentRuns, {
  // A batch commits within seconds; a killed worker's job is found stalled and resumed from the row's cursor.
  lockDuration: 60_000,
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
    schedule: () => this.scheduler.openCurrentMonth(),
  };
}
