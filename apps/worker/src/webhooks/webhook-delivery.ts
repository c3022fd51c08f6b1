import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import {
  APP_CONFIG,
  type AppConfig,
  type DeliveryStatus,
  InjectClock,
  PiiCipher,
  type WebhookDeliver,
  WEBHOOK_SECRET_PURPOSE,
  webhookSignature,
} from '@minsheng/infra';
import { sendWebhook, type SendResult } from './webhook-sender.js';

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  case_id: string | null;
  message_id: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  dispatch: number;
  first_attempt_at: Date | null;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  deleted: boolean;
}

export type DeliveryOutcome = 'stale' | 'waiting' | 'delivered' | 'retry' | 'dead';

/**
 * One dispatch of one delivery (docs/webhooks.md "Delivery, order and retries"). Per endpoint and case, deliveries go one at a time
 * in their order: a delivery whose predecessor is still pending or waiting waits, and the predecessor, once
 * delivered or dead, dispatches it. Both decisions are taken under a transaction-scoped advisory lock of the
 * (endpoint, case) pair, so a delivery can never be left waiting with no one to wake it. The HTTP attempt runs
 * outside any transaction; its result, the attempt's log row and what follows (the next dispatch after a delay,
 * dead-lettering, waking the successor) commit together.
 */
@Injectable()
export class WebhookDelivery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectClock() private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  async run(job: WebhookDeliver): Promise<DeliveryOutcome> {
    const claimed = await this.inChain(job.deliveryId, async (runner, row) => {
      if (row.dispatch !== job.dispatch || (row.status !== 'pending' && row.status !== 'waiting')) return 'stale';
      const [earlier] = (await runner.query(
        `SELECT id FROM webhook_deliveries
         WHERE endpoint_id = $1 AND case_id IS NOT DISTINCT FROM $2 AND id < $3 AND status IN ('pending', 'waiting')
         LIMIT 1`,
        [row.endpoint_id, row.case_id, row.id],
      )) as { id: string }[];
      if (earlier !== undefined) {
        await runner.query(`UPDATE webhook_deliveries SET status = 'waiting' WHERE id = $1`, [row.id]);
        return 'waiting';
      }
      if (row.status === 'waiting') {
        await runner.query(`UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1`, [row.id]);
      }
      return row;
    });
    if (typeof claimed === 'string') return claimed;

    const startedAt = this.clock.now();
    const started = performance.now();
    const result: SendResult = claimed.deleted
      ? { ok: false, statusCode: null, error: 'the endpoint was deleted' }
      : await sendWebhook({
          url: claimed.url,
          headers: {
            'webhook-id': claimed.message_id,
            'webhook-timestamp': String(Math.floor(startedAt.getTime() / 1000)),
            'webhook-signature': webhookSignature(
              this.secrets(claimed, startedAt),
              claimed.message_id,
              startedAt,
              claimed.body,
            ),
            'user-agent': 'minsheng-webhooks/1',
          },
          body: claimed.body,
          timeoutMs: this.config.webhooks.timeoutMs,
          allowPrivate: this.config.webhooks.allowPrivateTargets,
        });
    const durationMs = Math.round(performance.now() - started);

    const outcome = await this.inChain(job.deliveryId, async (runner, row) => {
      if (row.dispatch !== job.dispatch || row.status !== 'pending') return 'stale' as const;
      const attempt = row.attempts + 1;
      await runner.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, attempt, startedAt, durationMs, result.statusCode, result.error],
      );
      const firstAt = row.first_attempt_at ?? startedAt;
      if (result.ok || claimed.deleted) {
        return this.finish(runner, row, result.ok ? 'delivered' : 'dead', attempt, firstAt);
      }
      const { retryBaseMs, retryMaxDelayMs, giveUpAfterMs } = this.config.webhooks;
      const delayMs = Math.min(retryBaseMs * 2 ** (attempt - 1), retryMaxDelayMs);
      const now = this.clock.now();
      if (now.getTime() + delayMs - firstAt.getTime() > giveUpAfterMs) {
        return this.finish(runner, row, 'dead', attempt, firstAt);
      }
      const next: WebhookDeliver = { deliveryId: row.id, dispatch: row.dispatch + 1, delayMs };
      await runner.query(
        `UPDATE webhook_deliveries SET attempts = $2, dispatch = $3, first_attempt_at = $4, next_attempt_at = $5
         WHERE id = $1`,
        [row.id, attempt, next.dispatch, firstAt, new Date(now.getTime() + delayMs)],
      );
      await runner.query(`INSERT INTO outbox (kind, case_id, payload) VALUES ('webhook.deliver', $1, $2)`, [
        row.case_id,
        JSON.stringify(next),
      ]);
      return 'retry' as const;
    });
    return typeof outcome === 'string' ? outcome : 'stale';
  }

  /** Delivered or dead: the row is final, and the next delivery of its chain is dispatched if it was waiting. */
  private async finish(
    runner: QueryRunner,
    row: DeliveryRow,
    status: 'delivered' | 'dead',
    attempt: number,
    firstAt: Date,
  ): Promise<'delivered' | 'dead'> {
    await runner.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, first_attempt_at = $4, next_attempt_at = NULL,
              finished_at = $5
       WHERE id = $1`,
      [row.id, status, attempt, firstAt, this.clock.now()],
    );
    await wakeSuccessor(runner, row);
    return status;
  }

  /** The secrets that sign at `at`: the current one, and the previous one during a rotation's overlap. */
  private secrets(row: DeliveryRow, at: Date): string[] {
    const secrets = [this.cipher.decrypt(row.secret, WEBHOOK_SECRET_PURPOSE)];
    if (row.previous_secret !== null && row.previous_secret_until !== null && row.previous_secret_until > at) {
      secrets.push(this.cipher.decrypt(row.previous_secret, WEBHOOK_SECRET_PURPOSE));
    }
    return secrets;
  }

  /** Runs `work` in a transaction holding the chain's advisory lock and the delivery row's lock. */
  private async inChain<T>(
    deliveryId: string,
    work: (runner: QueryRunner, row: DeliveryRow) => Promise<T>,
  ): Promise<T | 'stale'> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [key] = (await runner.query(`SELECT endpoint_id, case_id FROM webhook_deliveries WHERE id = $1`, [
        deliveryId,
      ])) as { endpoint_id: string; case_id: string | null }[];
      if (key === undefined) {
        await runner.commitTransaction();
        return 'stale';
      }
      await runner.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`, [key.endpoint_id, key.case_id]);
      const [row] = (await runner.query(
        `SELECT d.id, d.endpoint_id, d.case_id, d.message_id, d.body, d.status, d.attempts, d.dispatch,
                d.first_attempt_at, w.url, w.secret, w.previous_secret, w.previous_secret_until,
                w.deleted_at IS NOT NULL AS deleted
         FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
         WHERE d.id = $1 FOR UPDATE OF d`,
        [deliveryId],
      )) as DeliveryRow[];
      const result = await work(runner, row!);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** The advisory lock of one (endpoint, case) chain; parameters $1 (endpoint) and $2 (case). */
export const CHAIN_LOCK_KEY = `hashtextextended('webhook-chain:' || $1::text || ':' || coalesce($2::text, ''), 0)`;

/** Dispatches the first unfinished delivery after `row` in its chain, if it is waiting for its turn. */
async function wakeSuccessor(runner: QueryRunner, row: Pick<DeliveryRow, 'id' | 'endpoint_id' | 'case_id'>) {
  const [next] = (await runner.query(
    `SELECT id, status, dispatch FROM webhook_deliveries
     WHERE endpoint_id = $1 AND case_id IS NOT DISTINCT FROM $2 AND id > $3 AND status IN ('pending', 'waiting')
     ORDER BY id LIMIT 1`,
    [row.endpoint_id, row.case_id, row.id],
  )) as { id: string; status: DeliveryStatus; dispatch: number }[];
  if (next?.status !== 'waiting') return;
  const deliver: WebhookDeliver = { deliveryId: next.id, dispatch: next.dispatch + 1 };
  await runner.query(`UPDATE webhook_deliveries SET status = 'pending', dispatch = $2 WHERE id = $1`, [
    next.id,
    deliver.dispatch,
  ]);
  await runner.query(`INSERT INTO outbox (kind, case_id, payload) VALUES ('webhook.deliver', $1, $2)`, [
    row.case_id,
    JSON.stringify(deliver),
  ]);
}
