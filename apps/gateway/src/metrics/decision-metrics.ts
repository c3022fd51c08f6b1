import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { GatewayMetrics, METRICS_PREFIX } from './gateway-metrics.js';

/** One reviewer decision as the task commands recorded it (after its transaction committed). */
export interface RecordedDecision {
  /** The case's procedure (`minimum-living`, …): a catalog value, not an id. */
  readonly procedure: string;
  /** The workflow step of the task (`acceptance`, `street-review`, …). */
  readonly step: string;
  /** One of the task's allowed outcomes (checked before the decision is written). */
  readonly outcome: string;
  /** From the task's `opened_at` to the decision (`closed_at`), both PostgreSQL times, so no clock skew. */
  readonly stepSeconds: number;
}

/**
 * Step durations (办理时长) up to about two months: statutory limits run to 30–45 working days, and a step that
 * waits longer is counted in the last bucket rather than adding series.
 */
const STEP_BUCKETS = [
  60,
  300,
  900,
  3_600,
  4 * 3_600,
  8 * 3_600,
  86_400,
  2 * 86_400,
  3 * 86_400,
  5 * 86_400,
  7 * 86_400,
  10 * 86_400,
  15 * 86_400,
  20 * 86_400,
  30 * 86_400,
  45 * 86_400,
  60 * 86_400,
];

/**
 * Decisions counted where they are recorded, on the gateway's registry. Labels are the procedure, the step and
 * the outcome: each a small set from the catalog and the machines, never a case, task or reviewer id. Each gateway
 * counts its own decisions; Prometheus sums the instances (`sum by (outcome) (rate(...))`).
 */
@Injectable()
export class DecisionMetrics {
  private readonly stepDuration: Histogram<'procedure' | 'step' | 'outcome'>;
  private readonly decisions: Counter<'procedure' | 'step' | 'outcome'>;

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.stepDuration = new Histogram({
      name: `${METRICS_PREFIX}step_duration_seconds`,
      help: 'Time from a task opening to the reviewer decision that closed it, by procedure, step and outcome.',
      labelNames: ['procedure', 'step', 'outcome'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.decisions = new Counter({
      name: `${METRICS_PREFIX}decisions_total`,
      help: 'Reviewer decisions recorded (including any the engine later refuses), by procedure, step and outcome.',
      labelNames: ['procedure', 'step', 'outcome'],
      registers,
    });
  }

  recorded(decision: RecordedDecision): void {
    const labels = { procedure: decision.procedure, step: decision.step, outcome: decision.outcome };
    this.decisions.inc(labels);
    this.stepDuration.observe(labels, Math.max(0, decision.stepSeconds));
  }
}
