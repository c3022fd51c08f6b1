import { openPaymentRun, type Queryable } from '@minsheng/infra';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../../test/support/households.js';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { log, Progress } from '../support/progress.js';
import { now, perSecond, sleep } from '../support/stats.js';

/** 天山区 解放南路街道 and 沙依巴克区 和田街街道: the households alternate between two districts. */
const STREETS = ['650102002', SAYIBAK_STREET] as const;
/** The urban 低保 standard the seeded amounts were computed with: the published seed, so no month is adjusted. */
const STANDARD_FEN = 38_000;
/** The seeded entitlements are paid from July 2026 (test/support/households.ts). */
const MONTH = '2026-07';
/** Lines per transaction of the bare ceiling below: the build's own batch size (docs/money.md "Payment runs"). */
const BATCH = 1_000;

/**
 * A month's payment run over N active 低保 entitlements (docs/money.md "Payment runs"): the households and their
 * entitlements are seeded by SQL in bulk, the run is opened as `POST /v1/payment-runs` and the scheduler do
 * (`openPaymentRun`: its row and an outbox row), and the worker builds it through its real path (relay → `build`
 * job → batches of 1,000 entitlements, each one transaction that locks the run, inserts the lines with
 * `ON CONFLICT DO NOTHING` and moves the cursor). Timed from the open until the run is `ready`. Beside it, the
 * same lines written by bare SQL in transactions of 1,000 (no queue, no cursor, no payable check): the ceiling
 * of the build on this database in this run.
 */
export const paymentRunScenario: Scenario = {
  id: 'payment-run',
  title: 'Payment run: the worker builds one month over the active entitlements',
  queues: 'any',
  async run(ctx: BenchContext) {
    const count = ctx.sizes.paymentRunEntitlements;
    const { rows: existing } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payment_runs WHERE month = $1`,
      [MONTH],
    );
    if (existing[0]!.n > 0) throw new NotAvailable(`a run of ${MONTH} exists already in the bench database`);

    const seedStarted = now();
    for (let done = 0; done < count; done += 10_000) {
      await bulkApprovedHouseholds(ctx.db, Math.min(10_000, count - done), STREETS, STANDARD_FEN);
    }
    await ctx.db.query('ANALYZE entitlements');
    const seeded = (now() - seedStarted) / 1000;
    const { rows: active } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM entitlements WHERE status = 'active'`,
    );
    ctx.record({
      metric: 'active entitlements seeded by SQL',
      value: active[0]!.n,
      unit: 'entitlements',
      note: `${seeded.toFixed(1)} s; two districts, two banks`,
    });

    // One worker, started before the run opens, so its start-up is not timed.
    await ctx.processes.stopWorkers();
    await ctx.processes.startWorker();
    const q: Queryable = { query: async (sql, values) => (await ctx.db.query(sql, values as unknown[])).rows };
    try {
      const started = now();
      const { run } = await openPaymentRun(q, { month: MONTH, requestedBy: 'bench', requestId: null, now: new Date() });
      const progress = new Progress('payment-run: entitlements examined', active[0]!.n);
      let row: { state: string; examined: number; batches: number };
      for (;;) {
        const { rows } = await ctx.db.query<{ state: string; examined: number; batches: number }>(
          `SELECT state, examined, batches FROM payment_runs WHERE id = $1`,
          [run.id],
        );
        row = rows[0]!;
        progress.update(row.examined);
        if (row.state !== 'building') break;
        if ((now() - started) / 1000 > 30 * 60) throw new NotAvailable('the build took over 30 minutes');
        await sleep(100);
      }
      const elapsed = now() - started;
      const { rows: counted } = await ctx.db.query<{ lines: number; fen: string }>(
        `SELECT count(*)::int AS lines, coalesce(sum(amount_fen), 0)::text AS fen FROM payment_lines WHERE run_id = $1`,
        [run.id],
      );
      const lines = counted[0]!.lines;
      const linesPerSecond = perSecond(lines, elapsed);
      ctx.metrics.set('paymentRun.linesPerSecond', linesPerSecond);
      ctx.record({
        metric: 'lines written',
        value: lines,
        unit: 'lines',
        note: `${row.batches} batches; ${Number(counted[0]!.fen).toLocaleString('en-US')} fen`,
      });
      ctx.record({ metric: 'open to ready', value: elapsed / 1000, unit: 's' });
      ctx.record({ metric: 'lines/s (worker build, end to end)', value: linesPerSecond, unit: 'lines/s' });

      const ceiling = await bareLineInserts(ctx, lines);
      ctx.metrics.set('paymentRun.bareLinesPerSecond', ceiling);
      ctx.record({
        metric: 'lines/s, bare SQL (1,000 per transaction)',
        value: ceiling,
        unit: 'lines/s',
        note: 'the same rows into a copy of payment_lines: no queue, cursor or payable check',
      });
      log(
        `payment-run: ${lines.toLocaleString('en-US')} lines in ${(elapsed / 1000).toFixed(1)} s, ` +
          `${Math.round(linesPerSecond)} lines/s (bare SQL ${Math.round(ceiling)} lines/s)`,
      );
    } finally {
      await ctx.processes.stopWorkers();
    }
  },
};

/**
 * The database's own rate for the build's writes, measured in the same run: the same number of lines into a
 * copy of `payment_lines` (its unique key and indexes, no foreign keys), `INSERT … SELECT` of 1,000 entitlements
 * in id order per transaction, as the build's batches are.
 */
async function bareLineInserts(ctx: BenchContext, total: number): Promise<number> {
  await ctx.db.query(`DROP TABLE IF EXISTS bench_payment_lines`);
  await ctx.db.query(`CREATE TABLE bench_payment_lines (LIKE payment_lines INCLUDING DEFAULTS INCLUDING INDEXES)`);
  const started = now();
  let after = '00000000-0000-0000-0000-000000000000';
  let written = 0;
  while (written < total) {
    const { rows } = await ctx.db.query<{ last: string | null; n: number }>(
      `WITH batch AS (
         SELECT id, monthly_amount_fen, item_code, district, division, bank FROM entitlements
         WHERE id > $1 ORDER BY id LIMIT ${BATCH}),
       written AS (
         INSERT INTO bench_payment_lines (run_id, entitlement_id, month, amount_fen, item_code, district, division, bank)
         SELECT gen_random_uuid(), id, $2, monthly_amount_fen, item_code, district, division, bank FROM batch
         ON CONFLICT DO NOTHING RETURNING entitlement_id)
       SELECT (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM written) AS n`,
      [after, MONTH],
    );
    if (rows[0]!.last === null) break;
    after = rows[0]!.last;
    written += rows[0]!.n;
  }
  const rate = perSecond(written, now() - started);
  await ctx.db.query(`DROP TABLE bench_payment_lines`);
  return rate;
}
