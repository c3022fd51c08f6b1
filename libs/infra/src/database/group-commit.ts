/** When a group commit sends a batch: `INTAKE_BATCH_*`, `ENGINE_BATCH_*`, the timers' own. */
export interface GroupCommitBounds {
  /** At most this many items in one batch. */
  readonly maxSize: number;
  /** The longest an item waits for others while an earlier batch of this group commit is still running. */
  readonly maxWaitMs: number;
}

/** An item of a batch with its caller's answer; `held` when it rides along on an earlier member (`ridesOn`). */
export interface GroupCommitMember<T, R> {
  readonly item: T;
  readonly held: boolean;
  readonly resolve: (outcome: R) => void;
  readonly reject: (error: unknown) => void;
}

/** What one group commit batches, and how it writes a batch. */
export interface GroupCommitWork<T, R> extends GroupCommitBounds {
  /**
   * The rows (a case, a clock, an applicant) an item writes: no two members of one batch hold a key, nor a member
   * and a batch still running; an item that would waits for the next batch, in arrival order.
   */
  readonly keysOf: (item: T) => readonly string[];
  /**
   * A key an item shares with an earlier member rather than waits on (intake's Idempotency-Key): with it, the item
   * joins that member's batch held, holding no keys (it writes nothing). Without `ridesOn`, no item is ever held.
   */
  readonly ridesOn?: (item: T) => string;
  /** Writes a batch and answers each of its members (resolve or reject) by the time it settles. */
  readonly write: (batch: readonly GroupCommitMember<T, R>[]) => Promise<void>;
}

interface Pending<T, R> {
  readonly item: T;
  readonly keys: readonly string[];
  readonly ride: string | undefined;
  readonly resolve: (outcome: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit (docs/architecture.md "Intake group commit", "Engine group commit", "Due timers together"): the
 * items submitted at the same moment are written as one batch, one transaction for N of them, each still answered
 * on its own. This is when a batch goes and what it may hold; how it is written is the user's (`write`).
 *
 * - When no batch is running, an item is sent at once: a lone caller waits for nothing.
 * - While one runs, arrivals gather until the batch is full (`maxSize`) or the first of them has waited `maxWaitMs`.
 * - Two members of one batch never hold the same key, nor a member and a batch still running (`keysOf`): the later
 *   item waits for the next batch and sees what the first wrote; or, sharing its `ridesOn` key, joins held.
 */
export class GroupCommit<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  /** The keys of the batches still running. */
  private readonly running = new Set<string>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly work: GroupCommitWork<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, keys: this.work.keysOf(item), ride: this.work.ridesOn?.(item), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.queue.length === 0) return;
    if (this.inFlight === 0 || this.queue.length >= this.work.maxSize) {
      this.flush();
      return;
    }
    this.flushLater();
  }

  /** Flushes after `maxWaitMs`, unless a flush is timed already (the earlier item waits no longer). */
  private flushLater(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.work.maxWaitMs);
  }

  /** Sends what may go now, as many full batches as there are, then the rest. */
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
    // What is left either waits for a running batch holding its keys (it goes when that one ends) or arrived after
    // the batch filled: it waits at most `maxWaitMs` more.
    if (this.queue.some((pending) => !this.blockedByRunning(pending))) this.flushLater();
  }

  /** The next batch, in arrival order, leaving queued what conflicts with it or with a running batch. */
  private take(): { pending: Pending<T, R>; held: boolean }[] {
    const batch: { pending: Pending<T, R>; held: boolean }[] = [];
    const keys = new Set<string>();
    const rides = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.work.maxSize;) {
      const pending = this.queue[i]!;
      const held = pending.ride !== undefined && rides.has(pending.ride);
      if (this.blockedByRunning(pending) || (!held && pending.keys.some((key) => keys.has(key)))) {
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      batch.push({ pending, held });
      if (!held) {
        for (const key of pending.keys) keys.add(key);
        if (pending.ride !== undefined) rides.add(pending.ride);
      }
    }
    return batch;
  }

  private blockedByRunning(pending: Pending<T, R>): boolean {
    return pending.keys.some((key) => this.running.has(key));
  }

  private async send(batch: readonly { pending: Pending<T, R>; held: boolean }[]): Promise<void> {
    const keys = batch.filter(({ held }) => !held).flatMap(({ pending }) => pending.keys);
    for (const key of keys) this.running.add(key);
    this.inFlight += 1;
    try {
      await this.work.write(
        batch.map(({ pending: { item, resolve, reject }, held }) => ({ item, held, resolve, reject })),
      );
    } catch (error) {
      // `write` answers every member; should it throw instead, no caller is left waiting (a promise settles once).
      for (const { pending } of batch) pending.reject(error);
    } finally {
      for (const key of keys) this.running.delete(key);
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
