import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

/**
 * Base of every processor: an `error` listener on each worker (BullMQ's guide: without one, a connection error
 * is an unhandled 'error' event that crashes the process) and a log line for each failed attempt.
 */
export abstract class ObservedWorkerHost extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.error({ err: error }, 'worker error');
  }

  @OnWorkerEvent('failed')
  onJobFailed(job: Job | undefined, error: Error): void {
    this.logger.warn(
      { queue: job?.queueName, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade, err: error },
      'job attempt failed',
    );
  }
}
