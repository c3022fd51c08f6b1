import { GroupCommit, type GroupCommitBounds, type GroupCommitMember } from '@minsheng/infra';

/** One item of a batch written together: its answer, written with the batch, or its error, nothing of it written. */
export type TogetherResult<R> = { readonly outcome: R } | { readonly error: unknown };

/** How the worker applies its items: alone (own transaction) or together (one transaction, one COMMIT). */
export interface TogetherOrAloneWork<T, R> extends GroupCommitBounds {
  /** What one batch holds at most one of, and none of while a batch holding it runs (a case, a clock). */
  readonly keyOf: (item: T) => string;
  /** Applies one item in its own transaction. */
  readonly alone: (item: T) => Promise<R>;
  /**
   * Applies the items (distinct keys, sorted by key) in one transaction, answering each in order; throws when the
   * transaction itself fails, and then nothing of the batch was written.
   */
  readonly together: (items: readonly T[]) => Promise<TogetherResult<R>[]>;
  /** Whether an item may join a batch at all; one that may not is applied alone at once. */
  readonly batchable: (item: T) => boolean;
}

/**
 * The worker's group commit (docs/architecture.md "Engine group commit", "Due timers together"): the items this
 * worker's jobs hold at the same moment are applied in one transaction, one COMMIT for N of them, batched as
 * `GroupCommit` batches (one item per key, none for a key of a batch still running). A batch of one is applied
 * alone; an item that fails in a batch is run again alone, its job answered by that run; a batch whose transaction
 * fails (the COMMIT, the connection) wrote nothing, and each of its items is run again alone.
 *
 * Exactly-once is the item's own (checked under its locks): a job resolves only after its batch committed, so a
 * worker killed mid-batch leaves its jobs to be taken again, and an item run twice finds its mark and is skipped.
 */
export class TogetherOrAlone<T, R> {
  private readonly group: GroupCommit<T, R>;

  constructor(private readonly work: TogetherOrAloneWork<T, R>) {
    this.group = new GroupCommit<T, R>({
      keysOf: (item) => [work.keyOf(item)],
      write: (batch) => this.write(batch),
      maxSize: work.maxSize,
      maxWaitMs: work.maxWaitMs,
    });
  }

  submit(item: T): Promise<R> {
    return this.work.batchable(item) ? this.group.submit(item) : this.work.alone(item);
  }

  private async write(batch: readonly GroupCommitMember<T, R>[]): Promise<void> {
    if (batch.length === 1) {
      await this.alone(batch[0]!);
      return;
    }
    // Sorted by key: the engine's batches lock their cases in this order, so two workers' batches wait for each
    // other but never deadlock (a timer batch locks its cases in case id order itself, in one statement).
    const sorted = batch
      .map((member) => ({ member, key: this.work.keyOf(member.item) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ member }) => member);
    let results: TogetherResult<R>[];
    try {
      results = await this.work.together(sorted.map(({ item }) => item));
    } catch {
      // Nothing of the batch was written: each item again, alone, with its own answer or error.
      await Promise.all(sorted.map((member) => this.alone(member)));
      return;
    }
    const failed: GroupCommitMember<T, R>[] = [];
    sorted.forEach((member, index) => {
      const result = results[index]!;
      if ('outcome' in result) member.resolve(result.outcome);
      else failed.push(member);
    });
    // A failed item was undone alone: it runs again alone, its job answered by that run.
    await Promise.all(failed.map((member) => this.alone(member)));
  }

  private async alone(member: GroupCommitMember<T, R>): Promise<void> {
    try {
      member.resolve(await this.work.alone(member.item));
    } catch (error) {
      member.reject(error);
    }
  }
}
