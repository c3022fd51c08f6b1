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
 * no portal submitted, or a portal with no endpoint, writes nothing. Used by the bank's result import
 * (docs/money.md "The bank's result file"); the engine's step writes the same rows inside its own statement
 * ({@link webhookDeliveryColumns}, {@link webhookDeliveryCtes}).
 */
export async function writeWebhookDeliveries(
  q: Queryable,
  events: readonly CasePortalEvent[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  await q.query(
    `WITH cases_of AS (SELECT id, portal_id FROM cases WHERE id = ANY($1::uuid[])),
     ${webhookDeliveryCtes('cases_of', 1, 5)}
     SELECT count(*) FROM webhook_outbox`,
    [...webhookDeliveryColumns(events, now), now],
  );
}

/** The column arrays of portal events for {@link webhookDeliveryCtes} (four parameters: case, type, body, message). */
export function webhookDeliveryColumns(events: readonly CasePortalEvent[], now: Date): unknown[] {
  return [
    events.map((e) => e.caseId),
    events.map((e) => e.event.type),
    events.map(({ caseId, itemCode, event }) => {
      const body: WebhookBody = {
        type: event.type,
        timestamp: now.toISOString(),
        data: { caseId, itemCode, ...event.data },
      };
      return JSON.stringify(body);
    }),
    events.map(() => randomUUID()),
  ];
}

/**
 * The data-modifying CTEs (`webhook_deliveries_written`, `webhook_outbox`) that write the deliveries of
 * {@link webhookDeliveryColumns}, its four parameters numbered from `first`, `$now` the creation time. `cases` names
 * a relation with the cases' `id` and `portal_id`: only events of a case in it are written, so a statement whose case
 * UPDATE matched nothing (a stale write) writes no delivery either.
 */
export function webhookDeliveryCtes(cases: string, first: number, now: number): string {
  return `webhook_deliveries_written AS (
    INSERT INTO webhook_deliveries (endpoint_id, case_id, message_id, event_type, body, created_at)
    SELECT w.id, dc.id, 'msg_' || ev.message_id, ev.type, ev.body, $${now}::timestamptz
    FROM unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[])
           WITH ORDINALITY AS ev(case_id, type, body, message_id, n)
    JOIN ${cases} dc ON dc.id = ev.case_id
    JOIN webhook_endpoints w ON w.portal_id = dc.portal_id AND w.deleted_at IS NULL
    WHERE ev.type = ANY (w.events)
    ORDER BY w.id, ev.n
    RETURNING id, case_id),
  webhook_outbox AS (
    INSERT INTO outbox (kind, case_id, payload)
    SELECT 'webhook.deliver', d.case_id, jsonb_build_object('deliveryId', d.id::text, 'dispatch', 0)
    FROM webhook_deliveries_written d
    RETURNING id)`;
}
