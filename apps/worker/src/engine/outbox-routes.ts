import type { JobsOptions } from 'bullmq';
import { commandJobId, QUEUES, type OutboxKind, type OutboxPayloads, type QueueName } from '@minsheng/infra';

/** Where the relay sends an outbox row: the queue, the job name and a deterministic job id. */
export interface OutboxRoute<K extends OutboxKind = OutboxKind> {
  readonly queue: QueueName;
  readonly jobName: string;
  /** BullMQ ignores a job whose id exists (a second relay of the same row adds nothing) and rejects ':' in ids. */
  readonly jobId: (payload: OutboxPayloads[K], outboxId: string) => string;
  readonly options?: JobsOptions;
}

/**
 * Only kinds with a route here (and `ARMED_BY_RELAY`) are relayed; a kind without one stays unsent in the outbox
 * (nothing is lost), and adding its route relays the backlog.
 */
export const OUTBOX_ROUTES: { readonly [K in OutboxKind]?: OutboxRoute<K> } = {
  'case.command': {
    queue: QUEUES.caseCommands,
    jobName: 'apply',
    jobId: (payload) => commandJobId(payload.commandId),
  },
};

/**
 * Kinds the relay acts on itself instead of queueing: a `clock.changed` row is armed in the relay's round (one
 * SELECT of the round's clocks, one `addBulk` of their timers), not through an arm job per clock change, which
 * cost a job's Redis round trips and two statements of its own on every step that moved a clock
 * (bench/profiles/engine.md).
 */
export const ARMED_BY_RELAY = 'clock.changed' satisfies OutboxKind;

export const ROUTED_KINDS = [...Object.keys(OUTBOX_ROUTES), ARMED_BY_RELAY] as OutboxKind[];
