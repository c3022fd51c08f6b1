import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { PAYMENT_LINE_STATUSES, PAYMENT_RUN_STATES } from '@minsheng/infra';
import { OperationsSnapshots, QUEUE_STATES } from './operations-snapshot.js';

export const METRICS_PREFIX = 'minsheng_';

/**
 * The gateway's Prometheus registry (one per application, so several gateways in one test process never collide):
 * process defaults, HTTP request durations by route pattern and status, and gauges read from PostgreSQL and
 * Redis on each scrape (cached a few seconds by `OperationsSnapshots`). Decisions and step durations are counted
 * where they happen (`DecisionMetrics`), on this registry.
 */
@Injectable()
export class GatewayMetrics implements OnModuleInit {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly snapshots: OperationsSnapshots,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    this.httpDuration = new Histogram({
      name: `${METRICS_PREFIX}http_request_duration_seconds`,
      help: 'HTTP request duration by route pattern (not the URL: no ids in labels) and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.snapshotGauges();
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      // The route pattern (`/v1/ops/queues/:name/jobs`); unmatched URLs share one label so scanners cannot
      // blow up the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      this.httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private snapshotGauges(): void {
    const snapshots = this.snapshots;
    const registers = [this.registry];
    this.paymentRunGauges(snapshots, registers);
    new Gauge({
      name: `${METRICS_PREFIX}cases`,
      help: 'Cases by service item, state and lead department.',
      labelNames: ['item', 'state', 'department'],
      registers,
      async collect() {
        const { cases } = await snapshots.current();
        this.reset();
        for (const c of cases) this.set({ item: c.item, state: c.state, department: c.department }, c.count);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}clocks_breached`,
      help:
        'Running deadlines past their due day (late steps), by clock, lead department and basis (statutory or a ' +
        'service target).',
      labelNames: ['clock', 'department', 'basis'],
      registers,
      async collect() {
        const { clocks } = await snapshots.current();
        this.reset();
        for (const c of clocks) this.set({ clock: c.clock, department: c.department, basis: c.basis }, c.breached);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}clocks_at_risk`,
      help:
        'Running deadlines past their reminder and not yet late, by clock, lead department and basis (statutory or ' +
        'a service target).',
      labelNames: ['clock', 'department', 'basis'],
      registers,
      async collect() {
        const { clocks } = await snapshots.current();
        this.reset();
        for (const c of clocks) this.set({ clock: c.clock, department: c.department, basis: c.basis }, c.atRisk);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}queue_jobs`,
      help: 'BullMQ jobs by queue and state (a paused queue keeps its jobs in wait).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const { queues } = await snapshots.current();
        this.reset();
        for (const q of queues) {
          for (const state of QUEUE_STATES) this.set({ queue: q.queue, state }, q.counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}queue_paused`,
      help: '1 when the queue is paused by an operator.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const { queues } = await snapshots.current();
        this.reset();
        for (const q of queues) this.set({ queue: q.queue }, q.paused ? 1 : 0);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}outbox_lag_seconds`,
      help: 'Age of the oldest outbox row due for relay and not yet sent (0 when none).',
      registers,
      async collect() {
        this.set((await snapshots.current()).outbox.lagSeconds);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}outbox_unsent`,
      help: 'Outbox rows due for relay and not yet sent.',
      registers,
      async collect() {
        this.set((await snapshots.current()).outbox.unsent);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}webhook_deliveries`,
      help: 'Webhook deliveries per portal not delivered: pending (due or retrying), waiting (behind an earlier one of its case), dead.',
      labelNames: ['portal', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await snapshots.current()).webhooks) {
          for (const status of ['pending', 'waiting', 'dead'] as const)
            this.set({ portal: row.portal, status }, row[status]);
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}webhook_failed_attempts_24h`,
      help: 'Webhook attempts per portal that failed in the last 24 hours of business time.',
      labelNames: ['portal'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await snapshots.current()).webhooks) this.set({ portal: row.portal }, row.failedAttempts24h);
      },
    });
  }

  /**
   * Payment runs (docs/money.md "Operator metrics"): every state and line status is exported, zero when empty, so
   * a series does not vanish when its last run moves on. Lines and amounts count the runs of the last twelve months.
   */
  private paymentRunGauges(snapshots: OperationsSnapshots, registers: Registry[]): void {
    const byRunState = <T extends { runState: string }>(rows: readonly T[], state: string) =>
      rows.filter((r) => r.runState === state);
    new Gauge({
      name: `${METRICS_PREFIX}payment_runs`,
      help: 'Payment runs by state (building, ready, exported, confirmed).',
      labelNames: ['state'],
      registers,
      async collect() {
        const { runs } = (await snapshots.current()).paymentRuns;
        for (const state of PAYMENT_RUN_STATES) this.set({ state }, runs.find((r) => r.state === state)?.runs ?? 0);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}payment_lines`,
      help:
        'Payment lines of the runs of the last 12 months, by run state and line status (pending, paid, returned, ' +
        'corrected).',
      labelNames: ['run_state', 'status'],
      registers,
      async collect() {
        const { lines } = (await snapshots.current()).paymentRuns;
        for (const run_state of PAYMENT_RUN_STATES) {
          for (const status of PAYMENT_LINE_STATUSES) {
            const row = byRunState(lines, run_state).find((r) => r.status === status);
            this.set({ run_state, status }, row?.lines ?? 0);
          }
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}payment_amount_fen`,
      help: 'Amount in fen of the payment lines of the runs of the last 12 months, by run state and line status.',
      labelNames: ['run_state', 'status'],
      registers,
      async collect() {
        const { lines } = (await snapshots.current()).paymentRuns;
        for (const run_state of PAYMENT_RUN_STATES) {
          for (const status of PAYMENT_LINE_STATUSES) {
            const row = byRunState(lines, run_state).find((r) => r.status === status);
            this.set({ run_state, status }, row?.amountFen ?? 0);
          }
        }
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}payment_returns`,
      help:
        'Payment lines the bank returned and not yet carried into a later run (status returned or corrected), of ' +
        'the runs of the last 12 months, by run state.',
      labelNames: ['run_state'],
      registers,
      async collect() {
        const { lines } = (await snapshots.current()).paymentRuns;
        for (const run_state of PAYMENT_RUN_STATES) {
          const returned = byRunState(lines, run_state).filter(
            (r) => r.status === 'returned' || r.status === 'corrected',
          );
          this.set(
            { run_state },
            returned.reduce((sum, r) => sum + r.lines, 0),
          );
        }
      },
    });
  }
}
