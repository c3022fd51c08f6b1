import { randomUUID } from 'node:crypto';
import { type Queryable } from '../case-log/queryable.js';
import type { PortalEvent, WebhookBody } from './webhook-events.js';

/** One portal event of one case, as a step or a bank result produced it. */
export interface CasePortalEvent {
  readonly caseId: string;
  readonly itemCode: string;
  readonly event: PortalEvent;
}

/**
 * The deliveries of portal events (docs/webhooks.md "Delivery, order and retries"), in the transaction of the change
 * that caused them, which holds the cases locked: so the identity of `webhook_deliveries` orders the deliveries of a
 * case as its changes were made. One row per event and live endpoint of the case's portal subscribed to its type,
 * each with its `webhook.deliver` outbox row, in one statement; the events of one case keep the order given. A case
 * no portal submitted, or a portal with no endpoint, writes nothing. Used by the engine's step and by the bank's
 * result import (docs/money.md "The bank's result file").
 */
export async function writeWebhookDeliveries(
  q: Queryable,
  events: readonly CasePortalEvent[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const bodies = events.map(({ caseId, itemCode, event }) => {
    const body: WebhookBody = {
      type: event.type,
      timestamp: now.toISOString(),
      data: { caseId, itemCode, ...event.data },
    };
    return JSON.stringify(body);
  });
  await q.query(WRITE_DELIVERIES, [
    events.map((e) => e.caseId),
    events.map((e) => e.event.type),
    bodies,
    events.map(() => randomUUID()),
    now,
  ]);
}

const WRITE_DELIVERIES = `
  WITH ev AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
      WITH ORDINALITY AS ev(case_id, type, body, message_id, n)),
  d AS (
    INSERT INTO webhook_deliveries (endpoint_id, case_id, message_id, event_type, body, created_at)
    SELECT w.id, c.id, 'msg_' || ev.message_id, ev.type, ev.body, $5
    FROM ev
    JOIN cases c ON c.id = ev.case_id
    JOIN webhook_endpoints w ON w.portal_id = c.portal_id AND w.deleted_at IS NULL
    WHERE ev.type = ANY (w.events)
    ORDER BY w.id, ev.n
    RETURNING id, case_id)
  INSERT INTO outbox (kind, case_id, payload)
  SELECT 'webhook.deliver', d.case_id, jsonb_build_object('deliveryId', d.id::text, 'dispatch', 0) FROM d`;
