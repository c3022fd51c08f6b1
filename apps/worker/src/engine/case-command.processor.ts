import { Processor } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job } from 'bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import {
  APP_CONFIG,
  PARAMETER_NOT_IN_FORCE_ALERT,
  parseCaseCommand,
  PROCEDURE_INPUT_MISSING_ALERT,
  QUEUES,
  raiseOperatorAlert,
  type AppConfig,
  type CaseCommand,
} from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { failingPermanentlyOnRefusal } from '../queues/permanent-failure.js';
import { CaseCommandBatcher } from './case-command-batcher.js';
import { type CommandOutcome } from './case-engine.js';

/**
 * Applies one command to one case. Retried with backoff on anything transient (the database away, a stale write:
 * a retryable code of docs/errors.md); any other domain error (unknown case, a snapshot that fits no machine
 * version, bad procedure input) will not get better with retries and fails the job at once, marked permanent. So
 * does a payload that is not a command of the queue contract (`parseCaseCommand`, code `COMMAND.INVALID`): it stays
 * in the failed jobs, its reason naming the wrong fields, for an operator to see
 * (`GET /v1/ops/queues/case-commands/jobs?state=failed`).
 */

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
    private readonly batcher: CaseCommandBatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Different cases run in parallel; the row lock serialises commands of one case.
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async apply(job: Job<unknown>): Promise<CommandOutcome> {
    return failingPermanentlyOnRefusal(job, async () => {
      const command = parseCaseCommand(job.data);
      try {
        // With the other commands this worker holds now, in one transaction (case-command-batcher.ts).
        return await this.batcher.submit(command);
      } catch (error) {
        if (error instanceof DomainError && !error.retryable) await this.alertOperators(command, error);
        throw error;
      }
    });
  }

  /**
   * A permanent failure an operator can repair (publish the missing parameter; re-submit a case intake wrote
   * without its input) is raised as an operator alert besides the failed job. The step's transaction rolled back,
   * so the alert is written on its own; failing to write it must not hide the step's own error.
   */
  private async alertOperators(command: CaseCommand, error: DomainError): Promise<void> {
    const alert =
      error.code === 'PARAMETER.NOT_IN_FORCE'
        ? { kind: PARAMETER_NOT_IN_FORCE_ALERT, key: String(error.details['key']) }
        : error.code === 'CASE.PROCEDURE_INPUT_MISSING'
          ? { kind: PROCEDURE_INPUT_MISSING_ALERT, key: command.caseId }
          : undefined;
    if (alert === undefined) return;
    await raiseOperatorAlert(this.dataSource, {
      ...alert,
      details: { caseId: command.caseId, commandId: command.commandId, code: error.code, ...error.details },
    }).catch(() => undefined);
  }
}
