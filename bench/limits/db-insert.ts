import pg from 'pg';
import type { BenchContext, Scenario } from '../support/context.js';
import { log } from '../support/progress.js';
import { now, perSecond } from '../support/stats.js';

const CLIENTS = 16;

/**
 * The database's ceiling for what intake does at minimum: one committed single-row INSERT per request, from
 * N clients at once, plain pg, no ORM. Each statement is its own transaction (autocommit), so each waits for
 * its WAL flush like a submitted application does.
 */
export const dbInsertLimit: Scenario = {
  id: 'limit-db',
  title: 'Limit: PostgreSQL single-row insert transactions',
  queues: 'none',
  async run(ctx: BenchContext) {
    await ctx.db.query(`CREATE TABLE IF NOT EXISTS bench_insert (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    const pool = new pg.Pool({ connectionString: ctx.config.database.url, max: CLIENTS });
    const payload = JSON.stringify({
      item: 'minimum-living',
      household: [{ relation: 'self' }, { relation: 'spouse' }, { relation: 'child' }],
      incomeFen: 123_400,
      address: '乌鲁木齐市天山区解放南路街道',
      note: 'x'.repeat(300),
    });
    let done = 0;
    const durationMs = ctx.sizes.limitSeconds * 1000;
    const started = now();
    try {
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const client = await pool.connect();
          try {
            while (now() - started < durationMs) {
              await client.query('INSERT INTO bench_insert (payload) VALUES ($1)', [payload]);
              done += 1;
            }
          } finally {
            client.release();
          }
        }),
      );
    } finally {
      await pool.end();
    }
    const rate = perSecond(done, now() - started);
    ctx.metrics.set('db.insertsPerSecond', rate);
    ctx.record({ metric: `insert transactions/s (${CLIENTS} clients)`, value: rate, unit: 'tx/s' });
    log(`database: ${Math.round(rate)} single-row insert transactions/s`);
  },
};
