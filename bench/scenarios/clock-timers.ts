import type { BenchContext, Scenario } from '../support/context.js';
import { countWindow, describeCounts } from '../support/counts.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log, Progress } from '../support/progress.js';
import { seedCases } from '../support/seed.js';
import { now, sleep } from '../support/stats.js';

const TAG = 'timers';
/** The share of the pending clocks that fall due inside the measured window (the rest stay pending, weeks away). */
const FIRING_SHARE = 0.05;

/**
 * Statutory clocks firing through minsheng's own path: `case_clocks` rows, timers armed by the worker (the boot
 * reconciliation for the pending ones, `clock.changed` outbox rows for the ones made due in the window), and the
 * clock-timers processor, which locks the case and the clock, re-reads the generation and records the breach.
 * Lateness is `breached_at − due_at` per clock, read from PostgreSQL: the instant the breach transaction began
 * minus the instant the step became late, so the queue, the re-read and the lock wait are all in it.
 */
export const clockTimersScenario: Scenario = {
  id: 'clock-timers',
  title: 'Timers: statutory clocks breaching through the clock-timers path',
  queues: 'any',
  async run(ctx: BenchContext) {
    const pendingClocks = ctx.sizes.timers;
    const firing = Math.max(100, Math.round(pendingClocks * FIRING_SHARE));
    const windowMs = ctx.sizes.timerWindowSeconds * 1000;
    const steps = happyPathSteps();
    await ctx.processes.stopWorkers();
    // Two running clocks per open case (overall and step): half as many cases as pending clocks.
    await seedCases(ctx.db, {
      tag: TAG,
      count: Math.ceil(pendingClocks / 2),
      states: [{ snapshot: steps[2]!.before, status: steps[2]!.status, currentSteps: ['investigation'] }],
      withTasks: true,
      withClocks: true,
      progressLabel: 'timers: seeding open cases with clocks',
    });
    // Every seeded clock pending, weeks away, freshly started: reminder, due and escalation timers each.
    const { rowCount } = await ctx.db.query(
      `UPDATE case_clocks k SET kind = 'deadline', started_at = now(), paused_at = NULL, calendar_missing = NULL,
              due_at = now() + interval '30 days' + r.n * interval '1 second', remind_at = NULL, reminded_at = NULL,
              breached_at = NULL, escalated_at = NULL, ended_at = NULL, generation = k.generation + 1
       FROM (SELECT k2.id, row_number() OVER (ORDER BY k2.id) AS n
             FROM case_clocks k2 JOIN cases c ON c.id = k2.case_id
             WHERE c.tracking_number LIKE 'B${TAG}-%' AND k2.stopped_at IS NULL) r
       WHERE k.id = r.id`,
    );
    const pending = rowCount ?? 0;

    // Arming: the worker from its start until it runs, its boot reconciliation arming every pending clock.
    const arming = await countWindow(ctx, 'clockTimers.arm');
    const bootStarted = now();
    await ctx.processes.startWorker();
    const armSeconds = (now() - bootStarted) / 1000;
    const perClockArmed = await arming.close(pending, 'clock armed');

    // Breaching: from the clocks made due (their clock.changed rows relayed and re-armed) to the last breach.
    const breaching = await countWindow(ctx, 'clockTimers.breach');
    // Some of them become due inside the window, re-armed through the outbox as the engine does on a change.
    const leadMs = 3_000 + Math.ceil(firing / 300) * 1_000;
    const windowStart = Date.now() + leadMs;
    const { rows: chosen } = await ctx.db.query<{ id: string }>(
      `WITH picked AS (
         SELECT k.id, row_number() OVER (ORDER BY md5(k.id::text)) - 1 AS n
         FROM case_clocks k JOIN cases c ON c.id = k.case_id
         WHERE c.tracking_number LIKE 'B${TAG}-%' AND k.stopped_at IS NULL
         ORDER BY md5(k.id::text) LIMIT $1),
       moved AS (
         UPDATE case_clocks k SET started_at = now(), generation = k.generation + 1,
                due_at = to_timestamp(($2::float8 + p.n * $3::float8 / $1) / 1000)
         FROM picked p WHERE k.id = p.id
         RETURNING k.id, k.case_id, k.clock, k.generation)
       INSERT INTO outbox (kind, case_id, payload)
       SELECT 'clock.changed', m.case_id, jsonb_build_object('caseId', m.case_id, 'clock', m.clock,
                                                              'generation', m.generation)
       FROM moved m RETURNING (payload->>'caseId') AS id`,
      [firing, windowStart, windowMs],
    );
    log(`timers: ${pending} clocks pending (armed in ${armSeconds.toFixed(1)} s), ${chosen.length} due in the window`);

    const progress = new Progress('timers: breached', firing);
    const deadline = windowStart + windowMs + 120_000;
    let breached = 0;
    let armedInTime: boolean | null = null;
    while (Date.now() < deadline) {
      await sleep(500);
      if (armedInTime === null && Date.now() >= windowStart) {
        const { rows } = await ctx.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM outbox WHERE kind = 'clock.changed' AND sent_at IS NULL`,
        );
        armedInTime = Number(rows[0]!.n) === 0;
      }
      const { rows } = await ctx.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM case_clocks k JOIN cases c ON c.id = k.case_id
         WHERE c.tracking_number LIKE 'B${TAG}-%' AND k.breached_at IS NOT NULL`,
      );
      breached = Number(rows[0]!.n);
      progress.update(breached);
      if (breached >= firing) break;
    }
    const perBreach = await breaching.close(breached, 'breach');
    const { rows: stats } = await ctx.db.query<{ p50: number; p99: number; max: number; early: string }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max,
              count(*) FILTER (WHERE ms < 0) AS early
       FROM (SELECT extract(epoch FROM k.breached_at - k.due_at) * 1000 AS ms
             FROM case_clocks k JOIN cases c ON c.id = k.case_id
             WHERE c.tracking_number LIKE 'B${TAG}-%' AND k.breached_at IS NOT NULL) l`,
    );
    await ctx.processes.stopWorkers();
    if (breached < firing) throw new Error(`only ${breached} of ${firing} clocks breached`);
    const s = stats[0]!;
    if (Number(s.early) > 0) throw new Error(`${s.early} clocks breached before they were due`);
    ctx.metrics.set('timers.p99', Number(s.p99));
    ctx.metrics.set('timers.path', 1);
    ctx.record({
      metric: 'pending statutory clocks (reminder, due and escalation timers each)',
      value: pending,
      unit: 'clocks',
      note: `armed by the worker's boot reconciliation in ${armSeconds.toFixed(1)} s`,
    });
    ctx.record({
      metric: `clocks breached in a ${ctx.sizes.timerWindowSeconds} s window`,
      value: breached,
      unit: 'clocks',
      note: armedInTime === false ? 'the clock.changed outbox was not drained when the window opened' : undefined,
    });
    ctx.record({ metric: 'breach lateness p50 (breached_at − due_at)', value: Number(s.p50), unit: 'ms' });
    ctx.record({ metric: 'breach lateness p99', value: Number(s.p99), unit: 'ms' });
    ctx.record({ metric: 'breach lateness max', value: Number(s.max), unit: 'ms' });
    arming.record(perClockArmed, 'boot reconciliation');
    breaching.record(perBreach, 'clock-timers path (re-arm, fire, breach, escalation)');
    if (perClockArmed) log(`timers: arming ${describeCounts(perClockArmed)}`);
    if (perBreach) log(`timers: breaching ${describeCounts(perBreach)}`);
    log(`timers: breach lateness p50 ${Number(s.p50).toFixed(0)} ms, p99 ${Number(s.p99).toFixed(0)} ms`);
  },
};
