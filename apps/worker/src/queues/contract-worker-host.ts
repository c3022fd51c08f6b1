import { type Job, UnrecoverableError } from 'bullmq';
import { type JobName, type JobPayloads, type QueueName } from '@minsheng/infra';
import { ObservedWorkerHost } from './observed-worker-host.js';

/**
 * One handler for each job name of queue `Q` in the queue contract: the type checker refuses a missing or an
 * unknown name, and the start-up check (`JobHandlersCheck`) compares the names with `JOB_NAMES` at run time.
 */
export type JobHandlers<Q extends QueueName> = {
  readonly [N in JobName<Q>]: (job: Job<JobPayloads[Q][N], unknown, N>) => Promise<unknown>;
};

/** A processor of one contract queue: dispatches each job to the handler of its name. */
export abstract class ContractWorkerHost<Q extends QueueName> extends ObservedWorkerHost {
  protected abstract readonly handlers: JobHandlers<Q>;

  /** The job names this processor handles, as the start-up check and its test read them. */
  handledJobNames(): readonly string[] {
    return Object.keys(this.handlers);
  }

  async process(job: Job): Promise<unknown> {
    if (!Object.hasOwn(this.handlers, job.name)) {
      // Not in the contract: no retry can give it a handler.
      throw new UnrecoverableError(`no handler for job '${job.name}' on queue ${this.worker.name}`);
    }
    const handler = this.handlers[job.name as JobName<Q>] as (job: Job) => Promise<unknown>;
    return handler(job);
  }
}
