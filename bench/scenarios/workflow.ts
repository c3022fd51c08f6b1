import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { applicationBody, createBenchPortal } from '../support/applications.js';
import { NotAvailable, type BenchContext, type Scenario } from '../support/context.js';
import { countWindow, describeCounts } from '../support/counts.js';
import { cpuBetween, describeCpu, sampleCpu } from '../support/cpu.js';
import { HttpClient } from '../support/http.js';
import { FINDINGS, HAPPY_PATH, MINIMUM_LIVING_ITEM, STEPS_PER_CASE } from '../support/minimum-living-path.js';
import { log, Progress } from '../support/progress.js';
import { closeQueueConnection, queueConnection } from '../support/redis.js';
import { STREETS } from '../support/seed.js';
import { deskFor, Reviewers } from '../support/reviewers.js';
import { timerJobId } from '../../apps/worker/src/clocks/clock-timing.js';
import { distribution, now, perSecond, pollPause, sleep } from '../support/stats.js';

const CLOCK_QUEUE = 'clock-timers';
/** Reviewers working at once: enough cases in flight that the engine, not the reviewers, is the bottleneck. */
const REVIEWERS = 24;
const SUBMITTERS = 16;

/** How long a running notice clock may wait for its timer job before the bench arms it itself. */
const ARM_GRACE_MS = 30_000;

interface OpenTask {
  id: string;
  step: string;
  level: string;
  division_code: string;
}

interface Poll {
  tasks: OpenTask[];
  notices: { id: string; generation: number; case_id: string }[];
}

/** What the driver polls for: unclaimed open tasks and running notice clocks of its portal. */
const POLL = `
  SELECT
    (SELECT coalesce(json_agg(t), '[]') FROM (
       SELECT t.id, t.step, t.level, t.division_code FROM tasks t JOIN cases c ON c.id = t.case_id
       WHERE t.closed_at IS NULL AND t.claimed_by IS NULL AND c.portal_id = $1
       ORDER BY t.opened_at LIMIT 500) t) AS tasks,
    (SELECT coalesce(json_agg(k), '[]') FROM (
       SELECT k.id, k.generation, k.case_id FROM case_clocks k JOIN cases c ON c.id = k.case_id
       WHERE k.clock = 'public-notice' AND k.stopped_at IS NULL AND c.portal_id = $1) k) AS notices`;

/**
 * The closed cases of the portal: a scan of every case in the bench database (tens of thousands by the second
 * round), so counted at most every CLOSED_EVERY_MS while there is work to hand out, and at every poll once there
 * is none (the round's end is the last case closed).
 */
const CLOSED = `SELECT count(*)::int AS closed FROM cases WHERE closed_at IS NOT NULL AND portal_id = $1`;
const CLOSED_EVERY_MS = 500;

/**
 * N minimum-living cases driven through every step by real processes: submitted over HTTP, then each task claimed
 * and decided over HTTP by reviewers (two per street office, one approver per district), and the 7-day public
 * notice ended by promoting its delayed timer in the `clock-timers` queue, so NOTICE_PERIOD_ENDED comes from the
 * clocks path. Run with 1 and then 2 worker processes. Steps/s counts the six transitions of each case over the
 * time from the first submission to the last case closed.
 */
/**
 * Then the same six steps without HTTP ("engine only"): cases written with SQL as intake writes them, and each
 * next command written to the outbox as the gateway writes it as soon as the case took the previous one, so the
 * figure is the engine's own (relay, case commands, intents, clock arming) and compares with the bare loop.
 */
export const workflowScenario: Scenario = {
  id: 'workflow',
  title: 'Workflow: minimum-living cases end to end, 1 and 2 workers',
  queues: 'any',
  async run(ctx: BenchContext) {
    await ctx.processes.ensureGateway();
    for (const workers of [1, 2]) {
      // A portal per round: its cases are found by portal id.
      const portal = await createBenchPortal(ctx, `bench workflow portal, ${workers} workers`);
      await ctx.processes.stopWorkers();
      for (let i = 0; i < workers; i += 1) await ctx.processes.startWorker();
      await runRound(ctx, portal, workers);
      await runEngineRound(ctx, await createBenchPortal(ctx, `bench engine portal, ${workers} workers`), workers);
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

  const ownProcesses = () =>
    new Map([
      ['gateway', ctx.processes.pids('gateway')],
      ['worker', ctx.processes.pids('worker')],
    ]);
  const database = new URL(ctx.config.database.url).pathname.slice(1);
  const label = `${workers} worker${workers > 1 ? 's' : ''}`;
  try {
    const counting = await countWindow(ctx, `workflow.${workers}`);
    const cpuBefore = sampleCpu(ownProcesses(), database);
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
        if (claim.status !== 200) {
          // Anything but "already decided" is handed out again by a later poll.
          if (claim.status !== 409) handedOut.delete(task.id);
          return fail(`claim ${claim.status}`, JSON.stringify(claim.body));
        }
        const body =
          task.step === 'investigation' ? { outcome: 'approve', findings: FINDINGS } : { outcome: 'approve' };
        const decision = await http.send('POST', `/v1/tasks/${task.id}/decision`, auth, body);
        if (decision.status !== 202) {
          if (decision.status !== 409) handedOut.delete(task.id);
          fail(`decision ${decision.status}`, JSON.stringify(decision.body));
        }
      } finally {
        inFlight.delete(task.id);
        handOut();
      }
    };
    const reviewing: Promise<void>[] = [];
    // Tasks the polls found, oldest first, handed to a reviewer as soon as one is free (not at the next poll);
    // `handedOut` keeps a task that a poll read before its decision committed from being handed out twice.
    const pending = new Map<string, OpenTask>();
    const handedOut = new Set<string>();
    const handOut = () => {
      for (const [id, task] of pending) {
        if (inFlight.size >= REVIEWERS * 4) return;
        pending.delete(id);
        handedOut.add(id);
        inFlight.add(id);
        reviewing.push(decide(task));
      }
    };
    // First sighting of each running notice clock whose timer job is not there yet (see below).
    const waitingForArm = new Map<string, number>();
    let closedCountedAt = -Infinity;
    while (closed < total) {
      if (submitError) throw submitError;
      // Few round trips per poll, and polls paced by their cost: the driver shares the two cores with what it
      // measures (bench/profiles/engine.md). Before, a 20 ms poll that counted every case cost PostgreSQL more
      // than the engine did by the second round.
      const pollStarted = now();
      const { rows } = await ctx.db.query<Poll>(POLL, [portalId]);
      const { tasks, notices } = rows[0]!;
      let pollMs = now() - pollStarted;
      for (const task of tasks) if (!handedOut.has(task.id)) pending.set(task.id, task);
      handOut();
      for (const notice of notices) {
        const jobId = timerJobId(notice.id, 'due', notice.generation);
        if (promoted.has(jobId)) continue;
        const job = await clocks.getJob(jobId);
        if (job && (await job.isDelayed())) {
          await job.promote();
          promoted.add(jobId);
          waitingForArm.delete(jobId);
        } else if (!job && !armed.has(jobId)) {
          // The engine's `clock.changed` row arms the timer through the relay within moments; only a timer still
          // missing after ARM_GRACE_MS is armed here (a tree whose relay does not route clock.changed), so the
          // bench adds no arm job of its own to a working engine.
          const seen = waitingForArm.get(jobId) ?? now();
          waitingForArm.set(jobId, seen);
          if (now() - seen < ARM_GRACE_MS) continue;
          await clocks.add(
            'arm',
            { caseId: notice.case_id, clock: 'public-notice', generation: notice.generation },
            { jobId: `bench-arm-${jobId}` },
          );
          armed.add(jobId);
        }
      }
      if ((tasks.length === 0 && notices.length === 0) || now() - closedCountedAt >= CLOSED_EVERY_MS) {
        const countStarted = now();
        const { rows: counted } = await ctx.db.query<{ closed: number }>(CLOSED, [portalId]);
        closedCountedAt = now();
        pollMs += closedCountedAt - countStarted;
        if (counted[0]!.closed !== closed) lastChange = now();
        closed = counted[0]!.closed;
      }
      closeProgress.update(closed);
      if (now() - lastChange > 60_000) {
        throw new Error(`no case closed for 60 s (${closed}/${total} closed; ${firstError ?? 'no HTTP errors'})`);
      }
      // Every 20 ms while polls are cheap, even when nothing was found: a reviewer who looks only every 100 ms adds
      // that to every step of the last cases, and the quick run's 300 cases end on those.
      await sleep(pollPause(pollMs, 20));
    }
    const elapsed = now() - started;
    const cpu = cpuBetween(cpuBefore, sampleCpu(ownProcesses(), database));
    const perStep = await counting.close(total * STEPS_PER_CASE, 'step');
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
        ? `the bench armed ${armed.size} notice clocks itself: no timer job ${ARM_GRACE_MS / 1000} s after the clock started`
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
    // Where the CPU went (all processes together bound steps/s on two shared cores): see bench/profiles/engine.md.
    const cpuNote = describeCpu(cpu, total * STEPS_PER_CASE, 'step');
    ctx.record({
      metric: `CPU per step, all processes, ${label}`,
      value: (cpu.parts.reduce((a, [, s]) => a + s, 0) * 1000) / (total * STEPS_PER_CASE),
      unit: 'ms',
      note: cpuNote,
    });
    counting.record(perStep, label);
    log(`workflow ${label}: ${Math.round(rate)} steps/s, e2e p50 ${(e2e.p50 / 1000).toFixed(1)} s`);
    log(`workflow ${label}: ${cpuNote}`);
    if (perStep) log(`workflow ${label}: ${describeCounts(perStep)}`);
  } finally {
    http.close();
    await clocks.close();
    await closeQueueConnection(connection);
  }
}

/**
 * The engine alone: every case's next command is written to the outbox (as the gateway's decision or the notice
 * timer would) once the case has taken the previous one; the relay, the engine and the clock timers do the rest.
 * Steps/s counts from the first command to the last case closed with its clock timers armed.
 */
async function runEngineRound(ctx: BenchContext, { portalId }: { portalId: string }, workers: number): Promise<void> {
  const total = ctx.sizes.workflowCases;
  const tag = `engine-${workers}-${Date.now()}`;
  const label = `${workers} worker${workers > 1 ? 's' : ''}`;
  const connection = queueConnection(ctx);
  const clocks = new Queue(CLOCK_QUEUE, { connection, prefix: ctx.config.redis.queuePrefix });
  const database = new URL(ctx.config.database.url).pathname.slice(1);
  const ownProcesses = () =>
    new Map([
      ['gateway', ctx.processes.pids('gateway')],
      ['worker', ctx.processes.pids('worker')],
    ]);
  try {
    const { rows: cases } = await ctx.db.query<{ id: string }>(
      `WITH a AS (
         INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
         SELECT $1 || '-' || g, 'bench', 'bench' FROM generate_series(1, $2::int) g RETURNING id)
       INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                          portal_id, department_code, accepting_division, approving_division,
                          application_encrypted, facts)
       SELECT 'E' || $1 || '-' || n, $3, 'minimum-living', 'minimum-living', 1, 'submitted', a.id, $4,
              'civil-affairs', ($5::jsonb)->(n % jsonb_array_length($5::jsonb))->>'street',
              ($5::jsonb)->(n % jsonb_array_length($5::jsonb))->>'district', 'bench',
              '{"householdSize": 3, "procedureInput": {"approvalDelegatedToStreet": false}}'
       FROM (SELECT id, (row_number() OVER ())::int AS n FROM a) a
       RETURNING id`,
      [tag, total, MINIMUM_LIVING_ITEM, portalId, JSON.stringify(STREETS)],
    );
    // Case id → the version it reaches by taking its next command (the engine adds one per step).
    const waiting = new Map<string, number>();
    const send = async (ids: readonly string[], step: number) => {
      const event = HAPPY_PATH[step]!;
      await ctx.db.query(
        `INSERT INTO outbox (kind, case_id, payload)
         SELECT 'case.command', c, jsonb_build_object('caseId', c, 'commandId', gen_random_uuid(), 'event', $2::jsonb,
                                                      'actor', $3::text, 'requestId', NULL)
         FROM unnest($1::uuid[]) c`,
        [ids, JSON.stringify(event), event.type === 'NOTICE_PERIOD_ENDED' ? 'system:timer' : 'staff:bench'],
      );
      for (const id of ids) waiting.set(id, step + 1);
    };
    const progress = new Progress(`workflow engine only (${label}): closed`, total);
    const counting = await countWindow(ctx, `workflow.engine.${workers}`);
    const cpuBefore = sampleCpu(ownProcesses(), database);
    const started = now();
    let lastChange = now();
    let closed = 0;
    await send(
      cases.map((c) => c.id),
      0,
    );
    let pollMs = 0;
    while (waiting.size > 0) {
      // Every 10 ms while the waiting set is small; paced by the poll's cost while it is large (10,000 ids a poll).
      await sleep(pollPause(pollMs, 10));
      const pollStarted = now();
      const { rows: moved } = await ctx.db.query<{ id: string; version: number }>(
        `SELECT c.id, c.version FROM unnest($1::uuid[], $2::int[]) AS w(id, v) JOIN cases c ON c.id = w.id
         WHERE c.version >= w.v`,
        [[...waiting.keys()], [...waiting.values()]],
      );
      const next = new Map<number, string[]>();
      for (const { id, version } of moved) {
        waiting.delete(id);
        if (version >= STEPS_PER_CASE) closed += 1;
        else next.set(version, [...(next.get(version) ?? []), id]);
      }
      pollMs = now() - pollStarted;
      for (const [step, ids] of next) await send(ids, step);
      if (moved.length > 0) lastChange = now();
      progress.update(closed);
      if (now() - lastChange > 60_000) throw new Error(`engine only: no step for 60 s (${closed}/${total} closed)`);
    }
    // The clock timers armed from the last steps' clock.changed rows are part of the engine's work.
    for (;;) {
      const counts = await clocks.getJobCounts('waiting', 'active');
      const { rows } = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND case_id = ANY($1::uuid[])`,
        [cases.map((c) => c.id)],
      );
      if ((counts['waiting'] ?? 0) + (counts['active'] ?? 0) + rows[0]!.n === 0) break;
      await sleep(10);
    }
    const elapsed = now() - started;
    const cpu = cpuBetween(cpuBefore, sampleCpu(ownProcesses(), database));
    const perStep = await counting.close(total * STEPS_PER_CASE, 'step');
    const { rows: outcomes } = await ctx.db.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM cases WHERE portal_id = $1 GROUP BY status`,
      [portalId],
    );
    const rate = perSecond(total * STEPS_PER_CASE, elapsed);
    ctx.metrics.set(`workflow.engine.${workers}.stepsPerSecond`, rate);
    ctx.record({
      metric: `engine-only steps/s, ${label} (outbox → relay → engine, no HTTP)`,
      value: rate,
      unit: 'steps/s',
      note: `outcomes: ${outcomes.map((o) => `${o.n} ${o.status}`).join(', ')}`,
    });
    const cpuNote = describeCpu(cpu, total * STEPS_PER_CASE, 'step');
    ctx.record({
      metric: `engine-only CPU per step, all processes, ${label}`,
      value: (cpu.parts.reduce((a, [, sec]) => a + sec, 0) * 1000) / (total * STEPS_PER_CASE),
      unit: 'ms',
      note: cpuNote,
    });
    counting.record(perStep, `engine only, ${label}`);
    log(`workflow engine only ${label}: ${Math.round(rate)} steps/s`);
    log(`workflow engine only ${label}: ${cpuNote}`);
    if (perStep) log(`workflow engine only ${label}: ${describeCounts(perStep)}`);
  } finally {
    await clocks.close();
    await closeQueueConnection(connection);
  }
}
