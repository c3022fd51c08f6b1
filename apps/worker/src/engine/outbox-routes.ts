import type { JobsOptions } from 'bullmq';
import { QUEUES, type OutboxKind, type OutboxPayloads, type QueueName } from '@minsheng/infra';

/** Where the relay sends an outbox row: the queue, the job name and a deterministic job id. */
export interface OutboxRoute<K extends OutboxKind = OutboxKind> {
  readonly queue: QueueName;
  readonly jobName: string;
  /** BullMQ ignores a job whose id exists (a second relay of the same row adds nothing) and rejects ':' in ids. */
  readonly jobId: (payload: OutboxPayloads[K], outboxId: string) => string;
  readonly options?: JobsOptions;
}

/**
 * Only kinds with a route here are relayed; a kind without one stays unsent in the outbox (nothing is lost), and
 * adding its route relays the backlog.
 */
export const OUTBOX_ROUTES: { readonly [K in OutboxKind]?: OutboxRoute<K> } = {
  'case.command': {
    queue: QUEUES.caseCommands,
    jobName: 'apply',
    jobId: (payload) => commandJobId(payload.commandId),
  },
  // The timers re-read the clock row; one arm job per clock generation.
  'clock.changed': {
    queue: QUEUES.clockTimers,
    jobName: 'arm',
    jobId: (payload) => `arm-${payload.caseId}-${payload.clock}-g${payload.generation}`,
  },
};

export function commandJobId(commandId: string): string {
  return `cmd-${commandId}`;
}

export const ROUTED_KINDS = Object.keys(OUTBOX_ROUTES) as OutboxKind[];
