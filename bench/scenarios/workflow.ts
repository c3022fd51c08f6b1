import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { applicationBody, createBenchPortal } from '../support/applications.js';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { HttpClient } from '../support/http.js';
import { FINDINGS, STEPS_PER_CASE } from '../support/minimum-living-path.js';
import { log, Progress } from '../support/progress.js';
import { queueConnection } from '../support/redis.js';
import { deskFor, Reviewers } from '../support/reviewers.js';
import { distribution, now, perSecond, sleep } from '../support/stats.js';

const CLOCK_QUEUE = 'clock-timers';
/** Reviewers working at once: enough cases in flight that the engine, not the reviewers, is the bottleneck. */
const REVIEWERS = 24;
const SUBMITTERS = 16;

interface OpenTask {
  id: string;
  step: string;
  level: string;
  division_code: string;
}

/**
 * N minimum-living cases driven through every step by real processes: submitted over HTTP, then each task claimed
 * and decided over HTTP by reviewers (two per street office, one approver per district), and the 7-day public
 * notice ended by promoting its delayed timer in the `clock-timers` queue, so NOTICE_PERIOD_ENDED comes from the
 * clocks path. Run with 1 and then 2 worker processes. Steps/s counts the six transitions of each case over the
 * time from the first submission to the last case closed.
 */
export const workflowScenario: Scenario = {
  id: 'workflow',
  title: 'Workflow: minimum-living cases end to end, 1 and 2 workers',
  async run(ctx: BenchContext) {
    await ctx.processes.ensureGateway();
    for (const workers of [1, 2]) {
      // A portal per round: its cases are found by portal id.
      const portal = await createBenchPortal(ctx, `bench workflow portal, ${workers} workers`);
      await ctx.processes.stopWorkers();
      for (let i = 0; i < workers; i += 1) await ctx.processes.startWorker();
      await runRound(ctx, portal, workers);
    }
    await ctx.processes.stopWorkers();
  },
};

async function runRound(
  ctx: BenchContext,
  { portalId, apiKey }: { portalId: string; apiKey: string },
  workers: number,
): Promise<void> {
  const total = ctx.sizes.workflowCases;
  const firstApplicant = 2_000_000 + workers * 100_000;
  const http = new HttpClient(ctx.processes.gatewayUrl, REVIEWERS + SUBMITTERS);
  const reviewers = new Reviewers(ctx);
  const connection = queueConnection(ctx);
  const clocks = new Queue(CLOCK_QUEUE, { connection, prefix: ctx.config.redis.queuePrefix });
  const decisionErrors = new Map<string, number>();
  let firstError: string | undefined;
  const fail = (what: string, detail: string) => {
    decisionErrors.set(what, (decisionErrors.get(what) ?? 0) + 1);
    firstError ??= `${what}: ${detail.slice(0, 160)}`;
  };

  try {
    const started = now();
    // Submissions (closed loop, 16 at a time).
    let next = 0;
    let submitted = 0;
    const submitProgress = new Progress(`workflow (${workers} worker${workers > 1 ? 's' : ''}): submitted`, total);
    const submitting = Promise.all(
      Array.from({ length: SUBMITTERS }, async () => {
        while (next < total) {
          const n = firstApplicant + next++;
          const result = await http.send(
            'POST',
            '/v1/applications',
            { 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
            applicationBody(n),
          );
          if (result.status === 404) throw new NotAvailable('POST /v1/applications is not routed');
          if (result.status !== 202)
            throw new Error(`submission refused: ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
          submitted += 1;
          submitProgress.update(submitted);
        }
      }),
    );

    // Reviewers and the notice clock, until every case is closed.
    const inFlight = new Set<string>();
    const promoted = new Set<string>();
    const armed = new Set<string>();
    const closeProgress = new Progress(`workflow (${workers} worker${workers > 1 ? 's' : ''}): closed`, total);
    let closed = 0;
    let lastChange = now();
    let submitError: unknown;
    submitting.catch((error: unknown) => (submitError = error));
    const decide = async (task: OpenTask) => {
      try {
        const token = await reviewers.tokenFor(task.level, task.division_code, deskFor(task.step));
        const auth = { authorization: `Bearer ${token}` };
        const claim = await http.send('POST', `/v1/tasks/${task.id}/claim`, auth);
        if (
          claim.status === 404 &&
          typeof claim.body === 'object' &&
          JSON.stringify(claim.body).includes('Cannot POST')
        ) {
          throw new NotAvailable('POST /v1/tasks/{id}/claim is not routed');
        }
        if (claim.status !== 200) return fail(`claim ${claim.status}`, JSON.stringify(claim.body));
        const body =
          task.step === 'investigation' ? { outcome: 'approve', findings: FINDINGS } : { outcome: 'approve' };
        const decision = await http.send('POST', `/v1/tasks/${task.id}/decision`, auth, body);
        if (decision.status !== 202) fail(`decision ${decision.status}`, JSON.stringify(decision.body));
      } finally {
        inFlight.delete(task.id);
      }
    };
    const reviewing: Promise<void>[] = [];
    while (closed < total) {
      if (submitError) throw submitError;
      const { rows: tasks } = await ctx.db.query<OpenTask>(
        `SELECT t.id, t.step, t.level, t.division_code FROM tasks t JOIN cases c ON c.id = t.case_id
         WHERE t.closed_at IS NULL AND t.claimed_by IS NULL AND c.portal_id = $1
         ORDER BY t.opened_at LIMIT 500`,
        [portalId],
      );
      for (const task of tasks) {
        if (inFlight.has(task.id) || inFlight.size >= REVIEWERS * 4) continue;
        inFlight.add(task.id);
        reviewing.push(decide(task));
      }
      const { rows: notices } = await ctx.db.query<{ id: string; generation: number; case_id: string }>(
        `SELECT k.id, k.generation, k.case_id FROM case_clocks k JOIN cases c ON c.id = k.case_id
         WHERE k.clock = 'public-notice' AND k.stopped_at IS NULL AND c.portal_id = $1`,
        [portalId],
      );
      for (const notice of notices) {
        const jobId = `clock-${notice.id}-due-g${notice.generation}`;
        if (promoted.has(jobId)) continue;
        const job = await clocks.getJob(jobId);
        if (job && (await job.isDelayed())) {
          await job.promote();
          promoted.add(jobId);
        } else if (!job && !armed.has(jobId)) {
          // Stand-in for a relay that does not route `clock.changed` yet: arm the clock as that message would.
          await clocks.add(
            'arm',
            { caseId: notice.case_id, clock: 'public-notice', generation: notice.generation },
            { jobId: `bench-arm-${jobId}` },
          );
          armed.add(jobId);
        }
      }
      const { rows } = await ctx.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM cases WHERE closed_at IS NOT NULL AND portal_id = $1`,
        [portalId],
      );
      if (Number(rows[0]!.n) !== closed) lastChange = now();
      closed = Number(rows[0]!.n);
      closeProgress.update(closed);
      if (now() - lastChange > 60_000) {
        throw new Error(`no case closed for 60 s (${closed}/${total} closed; ${firstError ?? 'no HTTP errors'})`);
      }
      await sleep(tasks.length > 0 ? 20 : 100);
    }
    const elapsed = now() - started;
    await Promise.all(reviewing);
    await submitting;

    const { rows: times } = await ctx.db.query<{ seconds: number; events: number }>(
      `SELECT extract(epoch FROM c.closed_at - c.submitted_at)::float8 AS seconds,
              (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)::int AS events
       FROM cases c WHERE c.portal_id = $1`,
      [portalId],
    );
    const e2e = distribution(times.map((t) => t.seconds * 1000));
    const events = times.reduce((a, t) => a + t.events, 0) / Math.max(1, times.length);
    const { rows: outcomes } = await ctx.db.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM cases WHERE portal_id = $1 GROUP BY status`,
      [portalId],
    );
    const rate = perSecond(total * STEPS_PER_CASE, elapsed);
    ctx.metrics.set(`workflow.${workers}.stepsPerSecond`, rate);
    const label = `${workers} worker${workers > 1 ? 's' : ''}`;
    const errors = [...decisionErrors].map(([k, v]) => `${v}× ${k}`).join(', ');
    ctx.record({
      metric: `steps/s, ${label} (${total.toLocaleString('en-US')} cases × ${STEPS_PER_CASE} steps)`,
      value: rate,
      unit: 'steps/s',
      note: `outcomes: ${outcomes.map((o) => `${o.n} ${o.status}`).join(', ')}`,
    });
    ctx.record({
      metric: `cases closed/s, ${label}`,
      value: perSecond(total, elapsed),
      unit: 'cases/s',
      note: armed.size
        ? `the bench armed ${armed.size} notice clocks itself: the relay does not route clock.changed`
        : undefined,
    });
    ctx.record({ metric: `end-to-end time per case p50, ${label}`, value: e2e.p50, unit: 'ms' });
    ctx.record({
      metric: `end-to-end time per case p99, ${label}`,
      value: e2e.p99,
      unit: 'ms',
      note: `${events.toFixed(1)} events per case`,
    });
    ctx.record({
      metric: `reviewer HTTP errors, ${label}`,
      value: [...decisionErrors.values()].reduce((a, b) => a + b, 0),
      unit: 'req',
      note: errors ? `${errors}; ${firstError}` : undefined,
    });
    log(`workflow ${label}: ${Math.round(rate)} steps/s, e2e p50 ${(e2e.p50 / 1000).toFixed(1)} s`);
  } finally {
    http.close();
    await clocks.close();
    await connection.quit();
  }
}
