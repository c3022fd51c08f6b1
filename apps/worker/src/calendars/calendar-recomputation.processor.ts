import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { CalendarRecomputationRunner } from './calendar-recomputation.js';

/**
 * The `calendar-recomputations` queue: one job per published calendar version. Its progress is the job's
 * (`job.progress`, in the queue dashboard) and the `calendar_recomputations` row's (the calendar API).
 */
@Processor(QUEUES.calendarRecomputations, {
  // A batch commits within seconds; a killed worker's job is found stalled and resumed from the row's cursor.
  lockDuration: 60_000,
})
export class CalendarRecomputationProcessor extends ContractWorkerHost<'calendar-recomputations'> {
  constructor(private readonly runner: CalendarRecomputationRunner) {
    super();
  }

  protected readonly handlers: JobHandlers<'calendar-recomputations'> = {
    recompute: (job) =>
      this.runner.run(job.data.recomputationId, (progress) =>
        job.updateProgress({
          total: progress.total,
          done: progress.done,
          changed: progress.changed,
          failed: progress.failed,
          batches: progress.batches,
        }),
      ),
  };
}
