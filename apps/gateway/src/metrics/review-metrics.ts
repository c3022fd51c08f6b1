import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import { InjectClock, reviewCounts } from '@minsheng/infra';
import { GatewayMetrics, METRICS_PREFIX } from './gateway-metrics.js';

/**
 * Periodic reviews for operators (docs/money.md "Periodic review", docs/operations.md): open reviews still within
 * the household's answer limit (`due`) and past it (`overdue`: the next sweep suspends them), by service item,
 * read from PostgreSQL on each scrape (the partial index on open reviews keeps it small).
 */
@Injectable()
export class ReviewMetrics {
  constructor(metrics: GatewayMetrics, @InjectDataSource() dataSource: DataSource, @InjectClock() clock: Clock) {
    new Gauge({
      name: `${METRICS_PREFIX}entitlement_reviews`,
      help: 'Open periodic reviews of entitlements by item and state: due (within the answer limit) or overdue.',
      labelNames: ['item', 'state'],
      registers: [metrics.registry],
      async collect() {
        const rows = await reviewCounts(dataSource, clock.now());
        this.reset();
        for (const row of rows) {
          this.set({ item: row.item, state: 'due' }, row.due);
          this.set({ item: row.item, state: 'overdue' }, row.overdue);
        }
      },
    });
  }
}
