import { type OutboxKind, type OutboxPayloads } from '../queue/queue-contract.js';
import { type Queryable } from './queryable.js';

export interface OutboxMessage<K extends OutboxKind = OutboxKind> {
  readonly kind: K;
  readonly caseId: string | null;
  readonly payload: OutboxPayloads[K];
  readonly requestId?: string | null;
  /** Not before this instant (timers); default now. */
  readonly availableAt?: Date;
}

/** The column arrays of outbox messages for an `unnest` of {@link outboxUnnest}. */
export function outboxColumns(messages: readonly OutboxMessage[]): unknown[] {
  return [
    messages.map((m) => m.kind),
    messages.map((m) => m.caseId),
    messages.map((m) => JSON.stringify(m.payload)),
    messages.map((m) => m.requestId ?? null),
    messages.map((m) => m.availableAt?.toISOString() ?? null),
  ];
}

/** The `unnest` of {@link outboxColumns}, its five parameters numbered from `first`. */
export function outboxUnnest(first: number): string {
  const types = ['text', 'uuid', 'jsonb', 'text', 'timestamptz'];
  return `unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')})
         AS m(kind, case_id, payload, request_id, available_at)`;
}

/**
 * Writes follow-up work in the same transaction as the state change that causes it; the relay moves committed
 * rows to BullMQ with a deterministic job id. A crash between commit and enqueue loses nothing: the row stays.
 */
export async function writeOutbox(q: Queryable, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await q.query(
    `INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
     SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now()) FROM ${outboxUnnest(1)}`,
    outboxColumns(messages),
  );
}
