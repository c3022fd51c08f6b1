import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, InjectClock } from '@minsheng/infra';
import { QueueRegistry } from '../ops/queue-registry.js';
import { addMonths, type Clock, monthOf, todayOn } from '@minsheng/domain';
import { type PortalWebhookBacklog, webhookBacklog } from '../webhooks/webhook-backlog.js';

/** What the gauges show, read together on a scrape. Label values are bounded sets: no case or task ids. */
export interface OperationsSnapshot {
  readonly cases: { item: string; state: string; department: string; count: number }[];
  readonly clocks: { clock: string; department: string; basis: string; breached: number; atRisk: number }[];
  readonly queues: { queue: string; paused: boolean; counts: Record<string, number> }[];
  readonly outbox: { unsent: number; lagSeconds: number };
  /** Per portal with webhooks (label: the portal's name, a bounded set). */
  readonly webhooks: PortalWebhookBacklog[];
  readonly paymentRuns: PaymentRunFigures;
}

/**
 * Payment runs for operators (docs/money.md "Operator metrics"): runs by state, all of them; lines and their
 * amount in fen by run state and line status over the runs of the last PAYMENT_METRICS_MONTHS months (a bounded
 * read however many years of runs the database keeps).
 */
export interface PaymentRunFigures {
  readonly runs: { state: string; runs: number }[];
  readonly lines: { runState: string; status: string; lines: number; amountFen: number }[];
}

/** Months of payment runs whose lines the metrics count (the business month and the eleven before it, and later). */
export const PAYMENT_METRICS_MONTHS = 12;

/** Queue states exported as `minsheng_queue_jobs{state}`. */
export const QUEUE_STATES = ['wait', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Reads the snapshot from PostgreSQL and Redis, at most once every `METRICS_CACHE_MS`: several Prometheus servers
 * (or a fast scrape interval) then cost one round of queries, not one each. Queries use the existing indexes
 * (open cases by office, running clocks by due time, unsent outbox rows).
 */
@Injectable()
export class OperationsSnapshots {
  private cached?: { at: number; value: Promise<OperationsSnapshot> };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectClock() private readonly clock: Clock,
  ) {}

  current(): Promise<OperationsSnapshot> {
    // eslint-disable-next-line no-restricted-syntax -- metrics cache age is infrastructure time
    const now = Date.now();
    if (!this.cached || now - this.cached.at >= this.config.metrics.cacheMs) {
      const value = this.read();
      // A failed read is not cached: the next scrape tries again.
      value.catch(() => (this.cached = undefined));
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  private async read(): Promise<OperationsSnapshot> {
    const q = <T>(sql: string, params: unknown[] = []) => this.dataSource.query(sql, params) as Promise<T[]>;
    const now = this.clock.now();
    const since = addMonths(monthOf(todayOn(this.clock)), 1 - PAYMENT_METRICS_MONTHS);
    const [cases, clocks, [outbox], queues, webhooks, runs, lines] = await Promise.all([
      q<{ item: string; state: string; department: string; count: number }>(
        `SELECT item_code AS item, status AS state, department_code AS department, count(*)::int AS count
         FROM cases GROUP BY 1, 2, 3`,
      ),
      // The SLA board's definitions (apps/gateway/src/clocks/sla-board.ts): running deadline clocks of open cases;
      // late from the end of the due day, at risk from the reminder (two working days before) until then.
      q<{ clock: string; department: string; basis: string; breached: number; atRisk: number }>(
        `SELECT k.clock, c.department_code AS department, k.basis,
                count(*) FILTER (WHERE k.breached_at IS NOT NULL OR k.due_at <= $1)::int AS breached,
                count(*) FILTER (WHERE k.breached_at IS NULL AND k.due_at > $1)::int AS "atRisk"
         FROM case_clocks k JOIN cases c ON c.id = k.case_id AND c.closed_at IS NULL
         WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND k.kind = 'deadline'
           AND (k.breached_at IS NOT NULL OR k.due_at <= $1 OR k.reminded_at IS NOT NULL
                OR coalesce(k.remind_at, k.due_at - interval '2 days') <= $1)
         GROUP BY 1, 2, 3`,
        [now],
      ),
      q<{ unsent: number; lag: number }>(
        `SELECT count(*)::int AS unsent,
                coalesce(extract(epoch FROM now() - min(available_at)), 0)::float8 AS lag
         FROM outbox WHERE sent_at IS NULL AND available_at <= now()`,
      ),
      Promise.all(
        this.queues.all().map(async ([name, queue]) => ({
          queue: name,
          paused: await queue.isPaused(),
          counts: (await queue.getJobCounts(...QUEUE_STATES)) as Record<string, number>,
        })),
      ),
      webhookBacklog(this.dataSource, now),
      q<{ state: string; runs: number }>(`SELECT state, count(*)::int AS runs FROM payment_runs GROUP BY 1`),
      q<{ runState: string; status: string; lines: number; amountFen: number }>(
        `SELECT r.state AS "runState", l.status, count(*)::int AS lines,
                coalesce(sum(l.amount_fen), 0)::float8 AS "amountFen"
         FROM payment_runs r JOIN payment_lines l ON l.run_id = r.id
         WHERE r.month >= $1
         GROUP BY 1, 2`,
        [since],
      ),
    ]);
    return {
      cases,
      clocks,
      queues,
      outbox: { unsent: outbox?.unsent ?? 0, lagSeconds: outbox?.lag ?? 0 },
      webhooks,
      paymentRuns: { runs, lines },
    };
  }
}
