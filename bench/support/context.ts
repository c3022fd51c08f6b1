import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { AppConfig } from '@minsheng/infra';
import type { PhaseCountsPerUnit } from './counts.js';
import type { BenchProcesses } from './processes.js';

/** How big each phase is: the full run follows the numbers, `--quick` is about a minute in total. */
export interface BenchSizes {
  readonly limitSeconds: number;
  readonly queueJobs: number;
  readonly bareLoopJobs: number;
  readonly intakeSeconds: number;
  readonly intakeConcurrency: number;
  readonly workflowCases: number;
  readonly timers: number;
  readonly timerWindowSeconds: number;
  readonly recoveryCases: number;
  /** Open cases whose running clocks a calendar correction reaches (each with an overall clock). */
  readonly recomputeCases: number;
  /** Active 低保 entitlements a month's payment run is built over (100,000 in the full run). */
  readonly paymentRunEntitlements: number;
  readonly scaleCases: number;
  readonly scaleQueries: number;
}

export const FULL: BenchSizes = {
  limitSeconds: 10,
  queueJobs: 100_000,
  bareLoopJobs: 20_000,
  intakeSeconds: 20,
  intakeConcurrency: 32,
  workflowCases: 10_000,
  timers: 100_000,
  timerWindowSeconds: 60,
  recoveryCases: 100_000,
  recomputeCases: 100_000,
  paymentRunEntitlements: 100_000,
  scaleCases: 1_000_000,
  scaleQueries: 500,
};

export const QUICK: BenchSizes = {
  limitSeconds: 3,
  queueJobs: 10_000,
  bareLoopJobs: 3_000,
  intakeSeconds: 4,
  intakeConcurrency: 32,
  workflowCases: 300,
  timers: 5_000,
  timerWindowSeconds: 8,
  recoveryCases: 5_000,
  recomputeCases: 5_000,
  paymentRunEntitlements: 10_000,
  scaleCases: 100_000,
  scaleQueries: 200,
};

/** One line of the results table. `value` null means the row could not be measured (see `note`). */
export interface ResultRow {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number | null;
  readonly unit: string;
  readonly note?: string;
}

/** A figure divided by a limit measured in the same run, or compared with a target from the issue. */
export interface RatioRow {
  readonly name: string;
  readonly value: number | null;
  readonly unit: '%' | 'ms' | 'x';
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/** The queue backends a pass can run on (docs/operations.md "Queue backends"). */
export type QueueBackend = 'redis' | 'postgres';

export interface BenchContext {
  readonly quick: boolean;
  /** The queue backend of this pass: REDIS_URL set for the apps, or BullMQ's PostgreSQL backend. */
  readonly backend: QueueBackend;
  readonly sizes: BenchSizes;
  /** The environment the gateway and worker processes run with (own database and queue prefix). */
  readonly env: Record<string, string>;
  readonly config: AppConfig;
  readonly db: Pool;
  /** The Redis the bench uses itself (memory, recovery); undefined when no pass runs on Redis. */
  readonly redis: Redis | undefined;
  readonly processes: BenchProcesses;
  /** Figures later scenarios divide by (`db.insertsPerSecond`, `bareLoop.stepsPerSecond`, ...). */
  readonly metrics: Map<string, number>;
  /** Statements and Redis commands per unit of work of each phase that counts them (bench/support/counts.ts). */
  readonly counts: Map<string, PhaseCountsPerUnit>;
  record(row: Omit<ResultRow, 'scenario'>): void;
}

/** A scenario that cannot run in this tree yet (a missing endpoint or processor): shown, never hidden. */
export class NotAvailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotAvailable';
  }
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /**
   * What the queue backend means to it: `none` (no queue: measured once, in the first pass), `any` (measured on
   * each backend the run asks for), `redis` (measures Redis itself: shown as not available on PostgreSQL).
   */
  readonly queues: 'none' | 'any' | 'redis';
  run(ctx: BenchContext): Promise<void>;
}
