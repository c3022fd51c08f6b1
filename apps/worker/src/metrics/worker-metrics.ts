import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The worker process's Prometheus registry and its named metrics, shared by every feature of the worker: import a
 * metric and increment or observe it (`reconcilerRedrives.inc({ kind: 'command' })`). One registry per process;
 * label values must be bounded sets (queue names, kinds), never case, task or job ids.
 */
export const workerRegistry = new Registry();

export const WORKER_METRICS_PREFIX = 'minsheng_';

/** Time a job spent running (finishedOn − processedOn), by queue and outcome (completed, failed). */
export const jobDurationSeconds = new Histogram({
  name: `${WORKER_METRICS_PREFIX}job_duration_seconds`,
  help: 'Job run time from processedOn to finishedOn, by queue and outcome of the attempt.',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [workerRegistry],
});

/**
 * Jobs a reconciler put back on a queue because they were missing or failed: `command` (the engine's reconciler,
 * case commands) and `clock-timer` (the clock reconciler re-arming a reminder, due or escalation timer).
 */
export const reconcilerRedrives = new Counter({
  name: `${WORKER_METRICS_PREFIX}reconciler_redrives_total`,
  help: 'Jobs re-enqueued by a reconciler because Redis lacked them, by kind (command, clock-timer).',
  labelNames: ['kind'] as const,
  registers: [workerRegistry],
});

/**
 * Failed command and timer jobs put back automatically once PostgreSQL answered again (at most
 * `MAX_AUTOMATIC_REDRIVES` per job), by queue.
 */
export const automaticRedrives = new Counter({
  name: `${WORKER_METRICS_PREFIX}automatic_redrives_total`,
  help: 'Failed jobs re-driven automatically (attempts reset) once the database answered again, by queue.',
  labelNames: ['queue'] as const,
  registers: [workerRegistry],
});

/** Job schedulers a worker found missing from Redis (emptied or replaced) and created again, by scheduler id. */
export const schedulersRecreated = new Counter({
  name: `${WORKER_METRICS_PREFIX}job_schedulers_recreated_total`,
  help: 'Job schedulers found missing from Redis and created again, by scheduler id.',
  labelNames: ['scheduler'] as const,
  registers: [workerRegistry],
});

/** How late a timer fired compared with its due time (BullMQ delayed jobs fire up to ~100 ms late on hz 10). */
export const timerLatenessSeconds = new Histogram({
  name: `${WORKER_METRICS_PREFIX}timer_lateness_seconds`,
  help: 'Delay between a timer job’s due time and the moment it ran, by timer kind (reminder, breach).',
  labelNames: ['timer'] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [workerRegistry],
});

/** Payment lines written by payment-run builds (docs/money.md); a redone batch counts only its new lines. */
export const paymentLinesWritten = new Counter({
  name: `${WORKER_METRICS_PREFIX}payment_lines_written_total`,
  help: 'Payment lines written by payment-run builds (lines already written by an earlier attempt not counted).',
  registers: [workerRegistry],
});

let defaultsCollected = false;

/** Process metrics (CPU, memory, event loop) once per process, however many worker apps a test starts. */
export function collectWorkerDefaults(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: workerRegistry, prefix: WORKER_METRICS_PREFIX });
}
