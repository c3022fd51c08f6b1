import { type OutboxKind, type OutboxPayloads } from '../queue/queue-contract.js';
import { type Queryable } from './case-event-chain.js';

export interface OutboxMessage<K extends OutboxKind = OutboxKind> {
  readonly kind: K;
  readonly caseId: string | null;
  readonly payload: OutboxPayloads[K];
  readonly requestId?: string | null;
  /** Not before this instant (timers); default now. */
  readonly availableAt?: Date;
}

/**
 * Writes follow-up work in the same transaction as the state change that causes it; the relay moves committed
 * rows to BullMQ with a deterministic job id. A crash between commit and enqueue loses nothing: the row stays.
 */
export async function writeOutbox(q: Queryable, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await q.query(
    `INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
     SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now())
     FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::text[], $5::timestamptz[])
       AS m(kind, case_id, payload, request_id, available_at)`,
    [
      messages.map((m) => m.kind),
      messages.map((m) => m.caseId),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => m.requestId ?? null),
      messages.map((m) => m.availableAt?.toISOString() ?? null),
    ],
  );
}
