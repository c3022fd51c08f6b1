import { Processor } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { DomainError } from '@minsheng/domain';
import { APP_CONFIG, InvalidCaseCommandError, parseCaseCommand, QUEUES, type AppConfig } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { CaseEngine, StaleCaseWriteError, type CommandOutcome } from './case-engine.js';

/**
 * Applies one command to one case. Retried with backoff on anything transient (the database away, a stale
 * write); a domain error (unknown case, a snapshot that fits no machine version, bad procedure input) will not
 * get better with retries and fails the job at once with UnrecoverableError (docs/architecture.md). So does a
 * payload that is not a command of the queue contract (`parseCaseCommand`): it stays in the failed jobs, its
 * reason naming the wrong fields, for an operator to see (`GET /v1/ops/queues/case-commands/jobs?state=failed`).
 */
/** Marks a permanent failure in `failedReason`, so the reconciler does not re-drive it. */
export const UNRECOVERABLE_PREFIX = 'unrecoverable: ';

@Processor(QUEUES.caseCommands, {
  // A step takes milliseconds: a lock of 10 s (renewed every 5 s) lets a killed worker's jobs be found stalled and
  // taken again within seconds, and a few stalls (a worker killed repeatedly) do not fail the job.
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 5,
})
export class CaseCommandProcessor extends ContractWorkerHost<'case-commands'> implements OnApplicationBootstrap {
  protected readonly handlers: JobHandlers<'case-commands'> = { apply: (job) => this.apply(job) };

  constructor(
    private readonly engine: CaseEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Different cases run in parallel; the row lock serialises commands of one case.
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async apply(job: Job<unknown>): Promise<CommandOutcome> {
    try {
      return await this.engine.apply(parseCaseCommand(job.data));
    } catch (error) {
      if (error instanceof InvalidCaseCommandError) {
        throw new UnrecoverableError(`${UNRECOVERABLE_PREFIX}COMMAND.INVALID: ${error.message}`);
      }
      if (error instanceof DomainError && !(error instanceof StaleCaseWriteError)) {
        throw new UnrecoverableError(`${UNRECOVERABLE_PREFIX}${error.code}: ${error.message}`);
      }
      throw error;
    }
  }
}
