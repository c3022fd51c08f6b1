import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type CaseCommand } from '@minsheng/infra';
import { CaseEngine, UUID, type CommandOutcome } from './case-engine.js';

interface Pending {
  readonly command: CaseCommand;
  readonly resolve: (outcome: CommandOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The engine's group commit (docs/architecture.md "Engine group commit"): the commands this worker's jobs hold at the
 * same moment are applied in one transaction (`CaseEngine.applyTogether`), one COMMIT for N steps. Shaped as the
 * gateway's IntakeBatcher:
 *
 * - When no batch is running, a command is applied at once and alone: a lone job waits for nothing.
 * - While one runs, arrivals gather until the batch is full or the first of them has waited `maxWaitMs`.
 * - One batch holds one command per case, and none for a case of a batch still running: a second command for a case
 *   waits for the next batch, in arrival order, and sees what the first wrote.
 * - A step that fails in a batch is run again alone (`CaseEngine.apply`), its job answered by that run; a batch whose
 *   transaction fails (the COMMIT, the connection) wrote nothing, and each of its commands is run again alone.
 *
 * Exactly-once is the step's own (its event id is the command id, checked under the case lock): a job resolves only
 * after its step committed, so a worker killed mid-batch leaves its jobs to be taken again, and a job run twice finds
 * its event and is skipped.
 */
@Injectable()
export class CaseCommandBatcher {
  private readonly queue: Pending[] = [];
  /** The cases of the batches still running. */
  private readonly running = new Set<string>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  /** At most this many steps in one transaction (each a subtransaction: PostgreSQL caches 64 per backend). */
  private readonly maxSize: number;
  /** The longest a command waits for others while an earlier batch of this worker is still running. */
  private readonly maxWaitMs: number;

  constructor(
    private readonly engine: CaseEngine,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxSize = config.engineBatch.maxSize;
    this.maxWaitMs = config.engineBatch.maxWaitMs;
  }

  submit(command: CaseCommand): Promise<CommandOutcome> {
    // A command whose ids are not UUIDs cannot be locked by literal: it goes alone (and fails there, named).
    if (!UUID.test(command.caseId) || !UUID.test(command.commandId)) return this.engine.apply(command);
    return new Promise<CommandOutcome>((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.queue.length === 0) return;
    if (this.inFlight === 0 || this.queue.length >= this.maxSize) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.maxWaitMs);
  }

  private flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (;;) {
      const batch = this.take();
      if (batch.length === 0) break;
      void this.send(batch);
      if (this.queue.length < this.maxSize) break;
    }
    // What is left either waits for a running batch of its case (it goes when that one ends) or arrived after the
    // batch filled: it waits at most `maxWaitMs` more.
    if (this.queue.some((pending) => !this.running.has(pending.command.caseId))) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.maxWaitMs);
    }
  }

  /** The next batch, in arrival order, one command per case, none for a case still running; sorted by case id. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const cases = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxSize;) {
      const pending = this.queue[i]!;
      const { caseId } = pending.command;
      if (this.running.has(caseId) || cases.has(caseId)) {
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      batch.push(pending);
      cases.add(caseId);
    }
    // Every batch locks its cases in one order, so two workers' batches wait for each other but never deadlock.
    return batch.sort((a, b) =>
      a.command.caseId < b.command.caseId ? -1 : a.command.caseId > b.command.caseId ? 1 : 0,
    );
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    this.inFlight += 1;
    for (const { command } of batch) this.running.add(command.caseId);
    try {
      if (batch.length === 1) {
        await this.alone(batch[0]!);
        return;
      }
      let results: Awaited<ReturnType<CaseEngine['applyTogether']>>;
      try {
        results = await this.engine.applyTogether(batch.map(({ command }) => command));
      } catch {
        // Nothing of the batch was written: each command again, alone, with its own answer or error.
        await Promise.all(batch.map((pending) => this.alone(pending)));
        return;
      }
      const failed: Pending[] = [];
      batch.forEach((pending, index) => {
        const result = results[index]!;
        if ('outcome' in result) pending.resolve(result.outcome);
        else failed.push(pending);
      });
      // A failed step was undone alone: it runs again alone, its job answered by that run.
      await Promise.all(failed.map((pending) => this.alone(pending)));
    } finally {
      for (const { command } of batch) this.running.delete(command.caseId);
      this.inFlight -= 1;
      this.schedule();
    }
  }

  private async alone(pending: Pending): Promise<void> {
    try {
      pending.resolve(await this.engine.apply(pending.command));
    } catch (error) {
      pending.reject(error);
    }
  }
}
