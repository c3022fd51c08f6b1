import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Clock, DomainError } from '@minsheng/domain';
import {
  APP_CONFIG,
  type AppConfig,
  InjectClock,
  newWebhookSecret,
  PiiCipher,
  targetUrlProblem,
  WEBHOOK_SECRET_PURPOSE,
} from '@minsheng/infra';
import type { DeliveriesQuery, RegisterWebhookRequest, ReplayRangeRequest } from './webhooks.request.js';

export interface EndpointView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly createdAt: string;
  /** While a rotated secret still signs beside the new one: until when. */
  readonly previousSecretUntil: string | null;
}

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
  previous_secret_until: Date | null;
}

const view = (row: EndpointRow, now: Date): EndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events,
  createdAt: row.created_at.toISOString(),
  previousSecretUntil:
    row.previous_secret_until !== null && row.previous_secret_until > now
      ? row.previous_secret_until.toISOString()
      : null,
});

const notFound = () => new DomainError('WEBHOOK.NOT_FOUND', 'no such webhook endpoint of this portal');

/**
 * A portal's webhook endpoints (docs/webhooks.md): registration with its target check, the secret shown once,
 * rotation with an overlap, the delivery log and replays. Every query names the portal: a portal sees only its own
 * endpoints, and anything else is 404.
 */
@Injectable()
export class WebhookEndpoints {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectClock() private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  async register(portalId: string, request: RegisterWebhookRequest): Promise<EndpointView & { secret: string }> {
    const problem = targetUrlProblem(request.url, this.config.webhooks.allowPrivateTargets);
    if (problem !== null) {
      throw new DomainError('VALIDATION.FAILED', 'the request body is not valid', {
        errors: [{ field: 'url', code: 'TARGET_REFUSED', message: problem }],
      });
    }
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const [row] = (await this.dataSource.query(
      `INSERT INTO webhook_endpoints (portal_id, url, events, secret, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, url, events, created_at, previous_secret_until`,
      [portalId, request.url, request.events, this.cipher.encrypt(secret, WEBHOOK_SECRET_PURPOSE), now],
    )) as EndpointRow[];
    return { ...view(row!, now), secret };
  }

  async list(portalId: string): Promise<EndpointView[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, url, events, created_at, previous_secret_until FROM webhook_endpoints
       WHERE portal_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [portalId],
    )) as EndpointRow[];
    const now = this.clock.now();
    return rows.map((row) => view(row, now));
  }

  /** Deleted endpoints get no new deliveries; those still due are dead-lettered at their next attempt. */
  async delete(portalId: string, id: string): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING as [rows, count].
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_endpoints SET deleted_at = $3 WHERE id = $1 AND portal_id = $2 AND deleted_at IS NULL
       RETURNING id`,
      [id, portalId, this.clock.now()],
    )) as [unknown[], number];
    if (rows.length === 0) throw notFound();
  }

  /**
   * A new secret, shown once; the current one becomes the previous one and signs beside it for the overlap
   * (`WEBHOOK_SECRET_OVERLAP_SECONDS`), so a receiver can switch without dropping a delivery.
   */
  async rotate(portalId: string, id: string): Promise<EndpointView & { secret: string }> {
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.webhooks.secretOverlapSeconds * 1000);
    const [[row]] = (await this.dataSource.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $4, secret = $3
       WHERE id = $1 AND portal_id = $2 AND deleted_at IS NULL
       RETURNING id, url, events, created_at, previous_secret_until`,
      [id, portalId, this.cipher.encrypt(secret, WEBHOOK_SECRET_PURPOSE), until],
    )) as [EndpointRow[], number];
    if (row === undefined) throw notFound();
    return { ...view(row, now), secret };
  }

  async deliveries(portalId: string, id: string, query: DeliveriesQuery) {
    await this.own(portalId, id);
    const rows = (await this.dataSource.query(
      `SELECT d.id, d.message_id, d.event_type, d.case_id, d.status, d.attempts, d.created_at, d.next_attempt_at,
              d.finished_at, d.replay_of,
              coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'startedAt', a.started_at,
                                                          'durationMs', a.duration_ms, 'statusCode', a.status_code,
                                                          'error', a.error) ORDER BY a.attempt)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
       FROM webhook_deliveries d
       WHERE d.endpoint_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)
       ORDER BY d.id DESC LIMIT $3`,
      [id, query.before ?? null, query.limit],
    )) as DeliveryRow[];
    return {
      items: rows.map((row) => ({
        id: row.id,
        messageId: row.message_id,
        type: row.event_type,
        caseId: row.case_id,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at.toISOString(),
        nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
        finishedAt: row.finished_at?.toISOString() ?? null,
        replayOf: row.replay_of,
        attemptLog: row.attempt_log.map((a) => ({ ...a, startedAt: new Date(a.startedAt).toISOString() })),
      })),
      nextCursor: rows.length === query.limit ? rows.at(-1)!.id : null,
    };
  }

  /** A new delivery of the same message (same `webhook-id`), queued after the case's deliveries still due. */
  async replay(portalId: string, id: string, deliveryId: string): Promise<{ deliveries: string[] }> {
    await this.own(portalId, id);
    return this.replayWhere(id, `d.id = $2`, [deliveryId], () => notFoundDelivery());
  }

  async replayRange(portalId: string, id: string, range: ReplayRangeRequest): Promise<{ deliveries: string[] }> {
    await this.own(portalId, id);
    return this.replayWhere(
      id,
      `d.replay_of IS NULL AND d.created_at >= $2 AND d.created_at < $3`,
      [new Date(range.from), new Date(range.to)],
      undefined,
      range.limit,
    );
  }

  private async replayWhere(
    endpointId: string,
    condition: string,
    values: unknown[],
    whenNone?: () => Error,
    limit = 1,
  ): Promise<{ deliveries: string[] }> {
    const now = this.clock.now();
    const rows = (await this.dataSource.query(
      `WITH src AS (
         SELECT d.id, d.case_id, d.message_id, d.event_type, d.body FROM webhook_deliveries d
         WHERE d.endpoint_id = $1 AND ${condition} ORDER BY d.id LIMIT ${Number(limit)}),
       r AS (
         INSERT INTO webhook_deliveries (endpoint_id, case_id, message_id, event_type, body, created_at, replay_of)
         SELECT $1, src.case_id, src.message_id, src.event_type, src.body, $${values.length + 2}, src.id
         FROM src ORDER BY src.id
         RETURNING id, case_id),
       o AS (
         INSERT INTO outbox (kind, case_id, payload)
         SELECT 'webhook.deliver', r.case_id, jsonb_build_object('deliveryId', r.id::text, 'dispatch', 0) FROM r)
       SELECT id::text AS id FROM r ORDER BY id`,
      [endpointId, ...values, now],
    )) as { id: string }[];
    if (rows.length === 0 && whenNone !== undefined) throw whenNone();
    return { deliveries: rows.map((row) => row.id) };
  }

  private async own(portalId: string, id: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM webhook_endpoints WHERE id = $1 AND portal_id = $2 AND deleted_at IS NULL`,
      [id, portalId],
    )) as unknown[];
    if (rows.length === 0) throw notFound();
  }
}

function notFoundDelivery() {
  return new DomainError('WEBHOOK.NOT_FOUND', 'no such delivery of this webhook endpoint');
}

interface DeliveryRow {
  id: string;
  message_id: string;
  event_type: string;
  case_id: string | null;
  status: string;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date | null;
  finished_at: Date | null;
  replay_of: string | null;
  attempt_log: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
  }[];
}
