import { URUMQI_CITY_CODE } from '@minsheng/domain';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { countWindow } from '../support/counts.js';
import { HttpClient } from '../support/http.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log } from '../support/progress.js';
import { seedCases } from '../support/seed.js';
import { now, sleep } from '../support/stats.js';

interface Recomputation {
  readonly id: string;
  readonly state: string;
  readonly total: number | null;
  readonly done: number;
  readonly changed: number;
  readonly failed: number;
  readonly batches: number;
}

/** How often the bench samples progress and the database's longest open transaction while the job runs. */
const SAMPLE_MS = 50;

/**
 * A correction of this year's Xinjiang calendar while many cases run (docs/calendars.md, "Recomputing running clocks"): the
 * worker's batched job recomputes every running clock the year reaches. The seeded clocks' due dates are moved one
 * day off their count first, so the job moves every one of them (the worst case: every clock changes, each with a
 * CLOCK_RECOMPUTED event and re-armed timers). Measured: clocks per second, and the longest transaction the
 * database held open meanwhile (sampled from pg_stat_activity), which bounds how long any case stays locked: the
 * job's promise is one batch, never the whole run.
 */
export const calendarRecomputeScenario: Scenario = {
  id: 'calendar-recompute',
  title: 'Calendar correction: the worker recomputes every running clock in batches',
  queues: 'any',
  async run(ctx: BenchContext) {
    const count = ctx.sizes.recomputeCases;
    const steps = happyPathSteps();
    // One worker, started before the seeding so its boot reconciliation (which arms every running clock's timers,
    // the recovery scenario's measure) is not part of this one: the clocks the job moves are re-armed by the job.
    await ctx.processes.stopWorkers();
    await ctx.processes.startWorker();
    await seedCases(ctx.db, {
      tag: 'recompute',
      count,
      states: [{ snapshot: steps[2]!.before, status: steps[2]!.status, currentSteps: ['investigation'] }],
      withTasks: true,
      withClocks: true,
      progressLabel: 'calendar-recompute: seeding open cases',
    });
    const { rows: yearRows } = await ctx.db.query<{ year: number }>(
      `SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int AS year`,
    );
    const year = yearRows[0]!.year;
    const shifted = await ctx.db.query(
      `UPDATE case_clocks SET due_at = due_at + interval '1 day'
       WHERE stopped_at IS NULL AND calendar_missing IS NULL AND due_at IS NOT NULL
         AND case_id IN (SELECT id FROM cases WHERE tracking_number LIKE 'Brecompute-%')`,
    );
    const { rows: current } = await ctx.db.query<{ body: Record<string, unknown> }>(
      `SELECT body FROM calendars WHERE region = 'xinjiang' AND year = $1 ORDER BY version DESC LIMIT 1`,
      [year],
    );
    if (current.length === 0) throw new NotAvailable(`no Xinjiang calendar for ${year} in the bench database`);
    const body = current[0]!.body;

    await ctx.processes.ensureGateway();
    const { mintStaffToken } = await import('../../scripts/mint-token.js');
    const token = await mintStaffToken(
      {
        sub: 'bench-operator',
        name: 'Bench operator',
        department: 'civil-affairs',
        level: 'city',
        divisions: [URUMQI_CITY_CODE],
        roles: ['operator'],
      },
      ctx.env,
    );
    const auth = { authorization: `Bearer ${token}` };
    const http = new HttpClient(ctx.processes.gatewayUrl, 4);
    try {
      const counting = await countWindow(ctx, 'recompute');
      const started = now();
      const published = await http.send('PUT', `/v1/calendar/${year}`, auth, {
        region: 'xinjiang',
        status: 'official',
        holidays: body['holidays'] ?? [],
        makeUpWorkdays: body['makeUpWorkdays'] ?? [],
        restDayOverrides: body['restDayOverrides'] ?? [],
        source: { issuer: 'minsheng bench', title: `bench correction of ${year}` },
        evidence: { tag: 'G', refs: ['bench'] },
      });
      if (published.status !== 200) {
        throw new NotAvailable(`publishing ${year} answered ${published.status}: ${JSON.stringify(published.body)}`);
      }
      const id = (published.body as { recomputation: { id: string } }).recomputation.id;
      let longestTransactionMs = 0;
      let last: Recomputation | undefined;
      for (;;) {
        const { rows } = await ctx.db.query<{ ms: number | null }>(
          `SELECT max(extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS ms
           FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
        );
        longestTransactionMs = Math.max(longestTransactionMs, rows[0]?.ms ?? 0);
        const progress = await http.send('GET', `/v1/calendar/${year}/recomputation`, auth);
        last = (progress.body as { items: Recomputation[] }).items.find((r) => r.id === id);
        if (last?.state === 'done') break;
        if ((now() - started) / 1000 > 30 * 60) throw new NotAvailable('the recomputation took over 30 minutes');
        await sleep(SAMPLE_MS);
      }
      const seconds = (now() - started) / 1000;
      const perClock = await counting.close(last.done, 'clock recomputed');
      ctx.metrics.set('recompute.clocksPerSecond', last.done / seconds);
      ctx.metrics.set('recompute.longestTransactionMs', longestTransactionMs);
      ctx.record({
        metric: 'running clocks the correction reaches',
        value: last.total,
        unit: 'clocks',
        note: `${(shifted.rowCount ?? 0).toLocaleString('en-US')} seeded clocks set one day off their count`,
      });
      ctx.record({ metric: 'clocks moved (CLOCK_RECOMPUTED)', value: last.changed, unit: 'clocks' });
      ctx.record({ metric: 'batches', value: last.batches, unit: 'batches' });
      ctx.record({ metric: 'publication to recomputation done', value: seconds, unit: 's' });
      ctx.record({ metric: 'clocks recomputed/s', value: last.done / seconds, unit: 'clocks/s' });
      ctx.record({
        metric: 'longest open transaction meanwhile (sampled)',
        value: longestTransactionMs,
        unit: 'ms',
        note: `every ${SAMPLE_MS} ms; ${((seconds * 1000) / Math.max(1, last.batches)).toFixed(0)} ms per batch on average`,
      });
      // The gateway's share includes the bench's progress reads (GET …/recomputation every SAMPLE_MS).
      counting.record(perClock, `the gateway's with the bench's progress reads every ${SAMPLE_MS} ms`);
      log(
        `calendar-recompute: ${last.done} clocks (${last.changed} moved) in ${seconds.toFixed(1)} s, ` +
          `${last.batches} batches, longest transaction ${longestTransactionMs.toFixed(0)} ms`,
      );
    } finally {
      http.close();
      await ctx.processes.stopWorkers();
    }
  },
};
