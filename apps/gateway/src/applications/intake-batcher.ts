/** How intake gathers applications into one statement (`INTAKE_BATCH_SIZE`, `INTAKE_BATCH_WAIT_MS`). */
export interface BatchSettings {
  /** At most this many applications in one statement. */
  readonly maxSize: number;
  /** The longest an application waits for others while an earlier statement is still running. */
  readonly maxWaitMs: number;
}

/** What the batcher needs to know of an application to keep conflicting ones apart. */
export interface BatchKeys {
  /** The portal and its Idempotency-Key: a second request with it rides along, held (it writes nothing). */
  readonly idempotency: string;
  /** Rows one application writes that another may write too (the applicant, the portal reference). */
  readonly exclusive: readonly string[];
}

/** A member of a batch: `held` when an earlier member of the same batch carries the same Idempotency-Key. */
export interface BatchMember<Row> {
  readonly row: Row;
  readonly held: boolean;
}

interface Pending<Row, Outcome> {
  readonly row: Row;
  readonly keys: BatchKeys;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for intake (docs/architecture.md "Intake group commit"): applications that arrive together are
 * written by one statement in one transaction, and each still gets its own outcome or its own error.
 *
 * - When no statement is running, an application is sent at once: a lone request waits for nothing.
 * - While one runs, arrivals gather until the batch is full (`maxSize`) or the first of them has waited `maxWaitMs`.
 * - Two members of one batch never write the same row: a second request with an Idempotency-Key already in the
 *   batch rides along held (it writes nothing and answers what the key's row says, as a request meeting the key's
 *   advisory lock does); one for an applicant or portal reference already in the batch, or in a statement still
 *   running, waits for the next batch, where it sees what the first one wrote. Without this, the two would meet
 *   in a unique index and undo the whole statement.
 * - A statement that fails is split in two and each half written again, down to single applications, so a bad
 *   row fails only its own request and the others are written without it.
 */
export class IntakeBatcher<Row, Outcome> {
  private readonly queue: Pending<Row, Outcome>[] = [];
  /** The Idempotency-Keys, applicants and references of the statements still running. */
  private readonly running = new Set<string>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: BatchSettings,
    private readonly keysOf: (row: Row) => BatchKeys,
    /** Writes the members in one statement; answers one outcome per member, in order. */
    private readonly write: (members: readonly BatchMember<Row>[]) => Promise<readonly Outcome[]>,
    /** Whether a failed statement may be one member's fault (not, say, a database out of reach): then it is split. */
    private readonly mayBeOneMembersFault: (error: unknown) => boolean = () => true,
  ) {}

  submit(row: Row): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ row, keys: this.keysOf(row), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.queue.length === 0) return;
    if (this.inFlight === 0 || this.queue.length >= this.settings.maxSize) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.settings.maxWaitMs);
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
      if (this.queue.length < this.settings.maxSize) break;
    }
    // What is left either conflicts with a running statement (it goes when that one ends) or arrived after the
    // batch filled: it waits at most `maxWaitMs` more.
    if (this.queue.some((pending) => !this.blockedByRunning(pending.keys))) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.settings.maxWaitMs);
    }
  }

  /** Takes the next batch off the queue, in arrival order, leaving conflicting applications queued. */
  private take(): { pending: Pending<Row, Outcome>; held: boolean }[] {
    const batch: { pending: Pending<Row, Outcome>; held: boolean }[] = [];
    const idempotency = new Set<string>();
    const exclusive = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.settings.maxSize;) {
      const pending = this.queue[i]!;
      const { keys } = pending;
      const held = idempotency.has(keys.idempotency);
      const blocked = this.blockedByRunning(keys) || (!held && keys.exclusive.some((key) => exclusive.has(key)));
      if (blocked) {
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      batch.push({ pending, held });
      if (!held) {
        idempotency.add(keys.idempotency);
        for (const key of keys.exclusive) exclusive.add(key);
      }
    }
    return batch;
  }

  private blockedByRunning(keys: BatchKeys): boolean {
    return this.running.has(keys.idempotency) || keys.exclusive.some((key) => this.running.has(key));
  }

  private async send(batch: readonly { pending: Pending<Row, Outcome>; held: boolean }[]): Promise<void> {
    const keys = batch.filter((m) => !m.held).flatMap((m) => [m.pending.keys.idempotency, ...m.pending.keys.exclusive]);
    for (const key of keys) this.running.add(key);
    this.inFlight += 1;
    try {
      await this.writeSplitting(batch);
    } finally {
      for (const key of keys) this.running.delete(key);
      this.inFlight -= 1;
      this.schedule();
    }
  }

  /** Writes the batch; when its statement fails, writes each half again on its own (down to one application). */
  private async writeSplitting(batch: readonly { pending: Pending<Row, Outcome>; held: boolean }[]): Promise<void> {
    let outcomes: readonly Outcome[];
    try {
      outcomes = await this.write(batch.map(({ pending, held }) => ({ row: pending.row, held })));
    } catch (error) {
      if (batch.length === 1 || !this.mayBeOneMembersFault(error)) {
        for (const { pending } of batch) pending.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.writeSplitting(batch.slice(0, half)), this.writeSplitting(batch.slice(half))]);
      return;
    }
    batch.forEach(({ pending }, i) => pending.resolve(outcomes[i]!));
  }
}
