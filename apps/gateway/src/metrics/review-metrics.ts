import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import { InjectClock, reviewCounts } from '@minsheng/infra';
import { GatewayMetrics, METRICS_PREFIX } from './gateway-metrics.js';

/**
 * Periodic reviews for operators (docs/money.md "Periodic review", docs/operations.md): open reviews within their
 * limit (`due`) and past it (`overdue`), by service item and whom they wait on: the household (its answer limit;
 * the next sweep suspends it when overdue) or the street office (answered; its decision limit, no suspension),
 * read from PostgreSQL on each scrape (the partial index on open reviews keeps it small).
 */
@Injectable()
export class ReviewMetrics {
  constructor(metrics: GatewayMetrics, @InjectDataSource() dataSource: DataSource, @InjectClock() clock: Clock) {
    new Gauge({
      name: `${METRICS_PREFIX}entitlement_reviews`,
      help:
        'Open periodic reviews of entitlements by item, state (due: within its limit; overdue: past it) and ' +
        'awaiting (household: the answer limit; office: answered, the decision limit).',
      labelNames: ['item', 'state', 'awaiting'],
      registers: [metrics.registry],
      async collect() {
        const rows = await reviewCounts(dataSource, clock.now());
        this.reset();
        for (const row of rows) {
          this.set({ item: row.item, state: 'due', awaiting: row.awaiting }, row.due);
          this.set({ item: row.item, state: 'overdue', awaiting: row.awaiting }, row.overdue);
        }
      },
    });
  }
}
