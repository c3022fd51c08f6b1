/** One item of a group commit: its answer, written with the batch, or its error, nothing of it written. */
export type TogetherResult<R> = { readonly outcome: R } | { readonly error: unknown };

/** How a group commit applies its items: alone (own transaction) or together (one transaction, one COMMIT). */
export interface GroupCommitWork<T, R> {
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
  /** At most this many items in one transaction (each a subtransaction: PostgreSQL caches 64 per backend). */
  readonly maxSize: number;
  /** The longest an item waits for others while an earlier batch of this group commit is still running. */
  readonly maxWaitMs: number;
}

interface Pending<T, R> {
  readonly item: T;
  readonly key: string;
  readonly resolve: (outcome: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The worker's group commit (docs/architecture.md "Engine group commit", "Due timers together"): the items this
 * worker's jobs hold at the same moment are applied in one transaction, one COMMIT for N of them. Shaped as the
 * gateway's IntakeBatcher:
 *
 * - When no batch is running, an item is applied at once and alone: a lone job waits for nothing.
 * - While one runs, arrivals gather until the batch is full or the first of them has waited `maxWaitMs`.
 * - One batch holds one item per key, and none for a key of a batch still running: a second item for a key waits
 *   for the next batch, in arrival order, and sees what the first wrote.
 * - An item that fails in a batch is run again alone, its job answered by that run; a batch whose transaction fails
 *   (the COMMIT, the connection) wrote nothing, and each of its items is run again alone.
 *
 * Exactly-once is the item's own (checked under its locks): a job resolves only after its batch committed, so a
 * worker killed mid-batch leaves its jobs to be taken again, and an item run twice finds its mark and is skipped.
 */
export class GroupCommit<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  /** The keys of the batches still running. */
  private readonly running = new Set<string>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly work: GroupCommitWork<T, R>) {}

  submit(item: T): Promise<R> {
    if (!this.work.batchable(item)) return this.work.alone(item);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, key: this.work.keyOf(item), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.queue.length === 0) return;
    if (this.inFlight === 0 || this.queue.length >= this.work.maxSize) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.work.maxWaitMs);
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
      if (this.queue.length < this.work.maxSize) break;
    }
    // What is left either waits for a running batch of its key (it goes when that one ends) or arrived after the
    // batch filled: it waits at most `maxWaitMs` more.
    if (this.queue.some((pending) => !this.running.has(pending.key))) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.work.maxWaitMs);
    }
  }

  /** The next batch, in arrival order, one item per key, none for a key still running; sorted by key. */
  private take(): Pending<T, R>[] {
    const batch: Pending<T, R>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.work.maxSize;) {
      const pending = this.queue[i]!;
      if (this.running.has(pending.key) || keys.has(pending.key)) {
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      batch.push(pending);
      keys.add(pending.key);
    }
    // Sorted by key: the engine's batches lock their cases in this order, so two workers' batches wait for each
    // other but never deadlock (a timer batch locks its cases in case id order itself, in one statement).
    return batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private async send(batch: readonly Pending<T, R>[]): Promise<void> {
    this.inFlight += 1;
    for (const { key } of batch) this.running.add(key);
    try {
      if (batch.length === 1) {
        await this.alone(batch[0]!);
        return;
      }
      let results: TogetherResult<R>[];
      try {
        results = await this.work.together(batch.map(({ item }) => item));
      } catch {
        // Nothing of the batch was written: each item again, alone, with its own answer or error.
        await Promise.all(batch.map((pending) => this.alone(pending)));
        return;
      }
      const failed: Pending<T, R>[] = [];
      batch.forEach((pending, index) => {
        const result = results[index]!;
        if ('outcome' in result) pending.resolve(result.outcome);
        else failed.push(pending);
      });
      // A failed item was undone alone: it runs again alone, its job answered by that run.
      await Promise.all(failed.map((pending) => this.alone(pending)));
    } finally {
      for (const { key } of batch) this.running.delete(key);
      this.inFlight -= 1;
      this.schedule();
    }
  }

  private async alone(pending: Pending<T, R>): Promise<void> {
    try {
      pending.resolve(await this.work.alone(pending.item));
    } catch (error) {
      pending.reject(error);
    }
  }
}
