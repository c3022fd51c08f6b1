import type { DataSource } from 'typeorm';

/** Per portal: what is still to deliver, what was given up, and how many attempts failed in the last 24 hours. */
export interface PortalWebhookBacklog {
  readonly portalId: string;
  readonly portal: string;
  readonly endpoints: number;
  /** Due now or retrying later. */
  readonly pending: number;
  /** Behind an earlier delivery of the same case (docs/webhooks.md "Delivery, order and retries"). */
  readonly waiting: number;
  /** Dead-lettered: still failing when the retries ran out. */
  readonly dead: number;
  readonly failedAttempts24h: number;
  /** When the oldest delivery still to do was written; null when none is. */
  readonly oldestUndeliveredAt: string | null;
}

/**
 * The operators' view of webhooks (`GET /v1/ops/webhooks` and the `minsheng_webhook_*` gauges), one row per portal
 * with an endpoint. `now` is the business clock's: the 24 hours of failed attempts end there.
 */
export async function webhookBacklog(dataSource: DataSource, now: Date): Promise<PortalWebhookBacklog[]> {
  const rows = (await dataSource.query(
    `SELECT p.id AS "portalId", p.name AS portal,
            (SELECT count(*) FROM webhook_endpoints w WHERE w.portal_id = p.id AND w.deleted_at IS NULL)::int
              AS endpoints,
            count(d.id) FILTER (WHERE d.status = 'pending')::int AS pending,
            count(d.id) FILTER (WHERE d.status = 'waiting')::int AS waiting,
            count(d.id) FILTER (WHERE d.status = 'dead')::int AS dead,
            (SELECT count(*) FROM webhook_attempts a
               JOIN webhook_deliveries x ON x.id = a.delivery_id
               JOIN webhook_endpoints y ON y.id = x.endpoint_id
             WHERE y.portal_id = p.id AND a.error IS NOT NULL AND a.started_at > $1::timestamptz - interval '24 hours'
            )::int AS "failedAttempts24h",
            min(d.created_at) FILTER (WHERE d.status IN ('pending', 'waiting')) AS "oldestUndeliveredAt"
     FROM portals p
     JOIN webhook_endpoints e ON e.portal_id = p.id
     LEFT JOIN webhook_deliveries d ON d.endpoint_id = e.id AND d.status <> 'delivered'
     GROUP BY p.id, p.name
     ORDER BY p.name`,
    [now],
  )) as (Omit<PortalWebhookBacklog, 'oldestUndeliveredAt'> & { oldestUndeliveredAt: Date | null })[];
  return rows.map((row) => ({ ...row, oldestUndeliveredAt: row.oldestUndeliveredAt?.toISOString() ?? null }));
}
