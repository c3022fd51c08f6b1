import { GroupCommit, type GroupCommitBounds, type GroupCommitMember } from '@minsheng/infra';

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

/**
 * Group commit for intake (docs/architecture.md "Intake group commit"): applications that arrive together are
 * written by one statement in one transaction, and each still gets its own outcome or its own error. When a batch
 * goes (at once with no statement running, else when full or after `maxWaitMs`) is `GroupCommit`'s.
 *
 * - Two members of one batch never write the same row: a second request with an Idempotency-Key already in the
 *   batch rides along held (it writes nothing and answers what the key's row says, as a request meeting the key's
 *   advisory lock does); one for an applicant or portal reference already in the batch, or in a statement still
 *   running, waits for the next batch, where it sees what the first one wrote. Without this, the two would meet
 *   in a unique index and undo the whole statement.
 * - A statement that fails is split in two and each half written again, down to single applications, so a bad
 *   row fails only its own request and the others are written without it.
 */
export class IntakeBatcher<Row, Outcome> {
  private readonly group: GroupCommit<Row, Outcome>;

  constructor(
    /** How intake gathers applications into one statement (`INTAKE_BATCH_SIZE`, `INTAKE_BATCH_WAIT_MS`). */
    settings: GroupCommitBounds,
    keysOf: (row: Row) => BatchKeys,
    /** Writes the members in one statement; answers one outcome per member, in order. */
    private readonly write: (members: readonly BatchMember<Row>[]) => Promise<readonly Outcome[]>,
    /** Whether a failed statement may be one member's fault (not, say, a database out of reach): then it is split. */
    private readonly mayBeOneMembersFault: (error: unknown) => boolean = () => true,
  ) {
    this.group = new GroupCommit<Row, Outcome>({
      keysOf: (row) => {
        const { idempotency, exclusive } = keysOf(row);
        return [idempotency, ...exclusive];
      },
      ridesOn: (row) => keysOf(row).idempotency,
      write: (batch) => this.writeSplitting(batch),
      maxSize: settings.maxSize,
      maxWaitMs: settings.maxWaitMs,
    });
  }

  submit(row: Row): Promise<Outcome> {
    return this.group.submit(row);
  }

  /** Writes the batch; when its statement fails, writes each half again on its own (down to one application). */
  private async writeSplitting(batch: readonly GroupCommitMember<Row, Outcome>[]): Promise<void> {
    let outcomes: readonly Outcome[];
    try {
      outcomes = await this.write(batch.map(({ item, held }) => ({ row: item, held })));
    } catch (error) {
      if (batch.length === 1 || !this.mayBeOneMembersFault(error)) {
        for (const member of batch) member.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.writeSplitting(batch.slice(0, half)), this.writeSplitting(batch.slice(half))]);
      return;
    }
    batch.forEach((member, i) => member.resolve(outcomes[i]!));
  }
}
