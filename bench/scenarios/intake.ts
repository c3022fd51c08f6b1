import { randomUUID } from 'node:crypto';
import { applicationBody, createBenchPortal } from '../support/applications.js';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { countWindow, describeCounts } from '../support/counts.js';
import { cpuBetween, describeCpu, sampleCpu } from '../support/cpu.js';
import { HttpClient, type HttpResult } from '../support/http.js';
import { log } from '../support/progress.js';
import { distribution, now, perSecond, sleep } from '../support/stats.js';

/** Applicant numbers of this phase start here, so they never collide with the workflow phase's applicants. */
const FIRST_APPLICANT = 1_000_000;

interface Load {
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  firstError?: string;
}

function tally(load: Load, result: HttpResult, latency = result.ms): void {
  load.latencies.push(latency);
  load.statuses.set(result.status, (load.statuses.get(result.status) ?? 0) + 1);
  if (result.status !== 202 && load.firstError === undefined) {
    load.firstError = `${result.status} ${JSON.stringify(result.body).slice(0, 160)}`;
  }
}

const errorsOf = (load: Load) => [...load.statuses].filter(([s]) => s !== 202).reduce((a, [, n]) => a + n, 0);

/**
 * `POST /v1/applications` with realistic bodies (a household of three, five materials), each a new applicant:
 * first closed-loop at a fixed concurrency (throughput, p50, p99, errors), then open-loop at half the rate it
 * reached, where latency is counted from each request's scheduled start (no coordinated omission). The gateway
 * runs alone: no worker competes for the cores.
 */
export const intakeScenario: Scenario = {
  id: 'intake',
  title: 'Intake: POST /v1/applications',
  queues: 'any',
  async run(ctx: BenchContext) {
    await ctx.processes.stopWorkers();
    await ctx.processes.ensureGateway();
    const { apiKey } = await createBenchPortal(ctx, 'bench intake portal');
    const http = new HttpClient(ctx.processes.gatewayUrl, ctx.sizes.intakeConcurrency * 2);
    let next = FIRST_APPLICANT;
    const submit = () =>
      http.send(
        'POST',
        '/v1/applications',
        { 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
        applicationBody(next++),
      );
    try {
      const probe = await submit();
      if (probe.status === 404) throw new NotAvailable('POST /v1/applications is not routed');
      if (probe.status !== 202)
        throw new Error(`a probe application was refused: ${probe.status} ${JSON.stringify(probe.body)}`);

      // Warm up (JIT, connection pools), then measure.
      const warmUntil = now() + 1_000;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (now() < warmUntil) await submit();
        }),
      );

      const closed: Load = { latencies: [], statuses: new Map() };
      const durationMs = ctx.sizes.intakeSeconds * 1000;
      const own = new Map([['gateway', ctx.processes.pids('gateway')]]);
      const database = new URL(ctx.config.database.url).pathname.slice(1);
      const counting = await countWindow(ctx, 'intake');
      const cpuBefore = sampleCpu(own, database);
      const started = now();
      await Promise.all(
        Array.from({ length: ctx.sizes.intakeConcurrency }, async () => {
          while (now() - started < durationMs) tally(closed, await submit());
        }),
      );
      const elapsed = now() - started;
      const cpu = cpuBetween(cpuBefore, sampleCpu(own, database));
      // Every request of the closed loop, as for CPU: statements and Redis commands per request.
      const counted = await counting.close(closed.latencies.length, 'request');
      const okRate = perSecond(closed.statuses.get(202) ?? 0, elapsed);
      const d = distribution(closed.latencies);
      // On two shared cores req/s is bounded by the CPU a request costs in all processes together (gateway,
      // PostgreSQL, this driver): this says which part to cut (bench/profiles/intake.md).
      const requests = closed.latencies.length;
      const cpuNote = describeCpu(cpu, requests, 'request');

      // Open loop at half that rate: one request every `interval`, whatever the previous ones are doing.
      const halfRate = okRate / 2;
      const interval = 1000 / halfRate;
      const open: Load = { latencies: [], statuses: new Map() };
      const inFlight: Promise<void>[] = [];
      const openStarted = now();
      for (let i = 0; now() - openStarted < durationMs; i += 1) {
        const scheduled = openStarted + i * interval;
        const wait = scheduled - now();
        if (wait > 1) await sleep(wait);
        inFlight.push(submit().then((r) => tally(open, r, now() - scheduled)));
      }
      await Promise.all(inFlight);
      const h = distribution(open.latencies);

      ctx.metrics.set('intake.requestsPerSecond', okRate);
      ctx.metrics.set('intake.p99', d.p99);
      ctx.metrics.set('intake.halfRateP99', h.p99);
      const c = ctx.sizes.intakeConcurrency;
      ctx.record({
        metric: `accepted requests/s (concurrency ${c}, ${ctx.sizes.intakeSeconds} s)`,
        value: okRate,
        unit: 'req/s',
      });
      ctx.record({
        metric: 'CPU per request, all processes',
        value: (cpu.parts.reduce((a, [, seconds]) => a + seconds, 0) * 1000) / requests,
        unit: 'ms',
        note: cpuNote,
      });
      counting.record(counted);
      ctx.record({ metric: 'latency p50', value: d.p50, unit: 'ms' });
      ctx.record({ metric: 'latency p99', value: d.p99, unit: 'ms' });
      ctx.record({ metric: 'errors (not 202)', value: errorsOf(closed), unit: 'req', note: closed.firstError });
      ctx.record({
        metric: `latency p99 at half rate (${Math.round(halfRate)} req/s, open loop)`,
        value: h.p99,
        unit: 'ms',
      });
      ctx.record({ metric: 'errors at half rate', value: errorsOf(open), unit: 'req', note: open.firstError });
      log(
        `intake: ${Math.round(okRate)} req/s, p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms; half rate p99 ${h.p99.toFixed(1)} ms`,
      );
      log(`intake: ${cpuNote}`);
      if (counted) log(`intake: ${describeCounts(counted)}`);
    } finally {
      http.close();
      // The engine is not part of this phase: drop its unsent SUBMITTED commands so the workflow phase's workers
      // spend their time on the workflow's own cases (a sent row would be re-driven by the engine's reconciler).
      await ctx.db.query(`DELETE FROM outbox WHERE sent_at IS NULL`);
    }
  },
};
