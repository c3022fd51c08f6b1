import { randomUUID } from 'node:crypto';
import type { PortalEvent, Queryable, WebhookBody } from '@minsheng/infra';

/**
 * The deliveries of a step's portal events, in the engine's transaction (the case is locked, so the identity of
 * `webhook_deliveries` orders them as the case's steps): one row per event and live endpoint of the case's portal
 * subscribed to its type, each with its `webhook.deliver` outbox row, in one statement. A case no portal submitted,
 * or a portal with no endpoint, writes nothing.
 */
export async function writeWebhookDeliveries(
  q: Queryable,
  caseId: string,
  itemCode: string,
  events: readonly PortalEvent[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const bodies = events.map((event) => {
    const body: WebhookBody = {
      type: event.type,
      timestamp: now.toISOString(),
      data: { caseId, itemCode, ...event.data },
    };
    return JSON.stringify(body);
  });
  await q.query(WRITE_DELIVERIES, [caseId, events.map((e) => e.type), bodies, events.map(() => randomUUID()), now]);
}

const WRITE_DELIVERIES = `
  WITH ev AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS ev(type, body, message_id, n)),
  d AS (
    INSERT INTO webhook_deliveries (endpoint_id, case_id, message_id, event_type, body, created_at)
    SELECT w.id, c.id, 'msg_' || ev.message_id, ev.type, ev.body, $5
    FROM cases c
    JOIN webhook_endpoints w ON w.portal_id = c.portal_id AND w.deleted_at IS NULL
    CROSS JOIN ev
    WHERE c.id = $1 AND ev.type = ANY (w.events)
    ORDER BY w.id, ev.n
    RETURNING id, case_id)
  INSERT INTO outbox (kind, case_id, payload)
  SELECT 'webhook.deliver', d.case_id, jsonb_build_object('deliveryId', d.id::text, 'dispatch', 0) FROM d`;
