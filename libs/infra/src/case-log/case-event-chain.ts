import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { outboxColumns, outboxUnnest, writeOutbox, type OutboxMessage } from './outbox.js';
import { type Queryable } from './queryable.js';

export type { Queryable } from './queryable.js';

export interface NewCaseEvent {
  /** Unique id of the event; for an applied command, the command id (so a second delivery is recognised). */
  readonly id: string;
  readonly type: string;
  /** `portal:<id>`, `staff:<subject>`, `system:engine`, `system:timer` … */
  readonly actor: string;
  readonly payload: Record<string, unknown>;
  readonly occurredAt: Date;
  readonly requestId?: string | null;
}

export interface ChainedCaseEvent extends NewCaseEvent {
  readonly caseId: string;
  readonly seq: number;
  readonly prevHash: string | null;
  readonly hash: string;
}

/**
 * The tamper-evident chain of a case (docs/architecture.md invariant 2): each event's hash covers its content and the
 * hash of the event before it, so changing, removing or reordering any stored event breaks every hash after it.
 */
export function eventHash(prevHash: string | null, caseId: string, seq: number, event: NewCaseEvent): string {
  const content = canonicalJson({
    caseId,
    seq,
    id: event.id,
    type: event.type,
    actor: event.actor,
    payload: event.payload,
    occurredAt: event.occurredAt.toISOString(),
  });
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(content)
    .digest('hex');
}

export function chainEvents(
  caseId: string,
  after: { seq: number; hash: string | null },
  events: readonly NewCaseEvent[],
): ChainedCaseEvent[] {
  let prevHash = after.hash;
  return events.map((event, i) => {
    const seq = after.seq + i + 1;
    const hash = eventHash(prevHash, caseId, seq, event);
    const chained = { ...event, caseId, seq, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

/**
 * The column arrays of chained events for an `unnest` of {@link EVENT_UNNEST} (one multi-row INSERT, whatever
 * the number of events).
 */
export function eventColumns(chained: readonly ChainedCaseEvent[]): unknown[] {
  return [
    chained.map((e) => e.seq),
    chained.map((e) => e.id),
    chained.map((e) => e.type),
    chained.map((e) => e.actor),
    chained.map((e) => JSON.stringify(e.payload)),
    chained.map((e) => e.occurredAt.toISOString()),
    chained.map((e) => e.requestId ?? null),
    chained.map((e) => e.prevHash),
    chained.map((e) => e.hash),
  ];
}

/** The `unnest` of {@link eventColumns}, its nine parameters numbered from `first`. */
export function eventUnnest(first: number): string {
  const types = ['int', 'uuid', 'text', 'text', 'jsonb', 'timestamptz', 'text', 'text', 'text'];
  return `unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')})
         AS e(seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)`;
}

/**
 * Appends events to a case whose row the caller holds locked (`SELECT … FOR UPDATE` in the same transaction),
 * and moves the case's chain head. One statement for all events, and for the outbox rows the same change
 * causes when `outbox` is given (fewer round trips: docs/architecture.md "Where the time goes").
 */
export async function appendCaseEvents(
  q: Queryable,
  caseId: string,
  after: { seq: number; hash: string | null },
  events: readonly NewCaseEvent[],
  outbox: readonly OutboxMessage[] = [],
): Promise<{ seq: number; hash: string | null }> {
  if (events.length === 0) {
    await writeOutbox(q, outbox);
    return after;
  }
  const chained = chainEvents(caseId, after, events);
  const last = chained[chained.length - 1]!;
  await q.query(
    `WITH inserted AS (
       INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
       SELECT $1, e.seq, e.id, e.type, e.actor, e.payload, e.occurred_at, e.request_id, e.prev_hash, e.hash
       FROM ${eventUnnest(4)}
       RETURNING 1),
     queued AS (
       INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
       SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now()) FROM ${outboxUnnest(13)})
     UPDATE cases SET last_event_seq = $2, last_event_hash = $3, updated_at = now() WHERE id = $1`,
    [caseId, last.seq, last.hash, ...eventColumns(chained), ...outboxColumns(outbox)],
  );
  return { seq: last.seq, hash: last.hash };
}

export interface StoredEventRow {
  case_id: string;
  seq: number;
  id: string;
  type: string;
  actor: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  prev_hash: string | null;
  hash: string;
}

/** Recomputes a case's chain; answers where it first breaks (GET /v1/cases/{id}/verify). */
export function verifyChain(
  rows: readonly StoredEventRow[],
): { ok: true; events: number } | { ok: false; events: number; brokenAtSeq: number; reason: string } {
  let prev: string | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.seq !== i + 1) return { ok: false, events: rows.length, brokenAtSeq: i + 1, reason: 'missing event' };
    if (row.prev_hash !== prev)
      return { ok: false, events: rows.length, brokenAtSeq: row.seq, reason: 'previous hash differs' };
    const expected = eventHash(prev, row.case_id, row.seq, {
      id: row.id,
      type: row.type,
      actor: row.actor,
      payload: row.payload,
      occurredAt: new Date(row.occurred_at),
    });
    if (expected !== row.hash)
      return { ok: false, events: rows.length, brokenAtSeq: row.seq, reason: 'content changed' };
    prev = row.hash;
  }
  return { ok: true, events: rows.length };
}
