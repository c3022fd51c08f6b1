import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type CaseCommand } from '@minsheng/infra';
import { TogetherOrAlone } from '../queues/together-or-alone.js';
import { CaseEngine, UUID, type CommandOutcome } from './case-engine.js';

/**
 * The engine's group commit (docs/architecture.md "Engine group commit"): the commands this worker's jobs hold at the
 * same moment are applied in one transaction (`CaseEngine.applyTogether`), one COMMIT for N steps, as the worker's
 * group commit (`queues/together-or-alone.ts`) batches them: one command per case in a batch, none for a case of a
 * batch still running, cases locked in case id order, a failing step run again alone (`CaseEngine.apply`).
 *
 * Exactly-once is the step's own (its event id is the command id, checked under the case lock): a job resolves only
 * after its step committed, so a worker killed mid-batch leaves its jobs to be taken again, and a job run twice finds
 * its event and is skipped.
 */
@Injectable()
export class CaseCommandBatcher {
  private readonly group: TogetherOrAlone<CaseCommand, CommandOutcome>;

  constructor(engine: CaseEngine, @Inject(APP_CONFIG) config: AppConfig) {
    this.group = new TogetherOrAlone({
      keyOf: (command) => command.caseId,
      alone: (command) => engine.apply(command),
      together: (commands) => engine.applyTogether(commands),
      // A command whose ids are not UUIDs cannot be locked by literal: it goes alone (and fails there, named).
      batchable: (command) => UUID.test(command.caseId) && UUID.test(command.commandId),
      // ENGINE_BATCH_MAX_SIZE and ENGINE_BATCH_MAX_WAIT_MS (docs/architecture.md "Engine group commit").
      maxSize: config.engineBatch.maxSize,
      maxWaitMs: config.engineBatch.maxWaitMs,
    });
  }

  submit(command: CaseCommand): Promise<CommandOutcome> {
    return this.group.submit(command);
  }
}
