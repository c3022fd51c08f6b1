import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CLOCK_COLUMNS, type ClockRow, QUEUES } from '@minsheng/infra';
import { PublishedCalendarCache } from '../calendars/published-calendar-cache.js';
import { reconcilerRedrives } from '../metrics/worker-metrics.js';
import { JobSchedulers } from '../schedulers/job-schedulers.js';
import { ClockTimerScheduler } from './clock-timer.scheduler.js';
import { timerJobId, type TimerKind } from './clock-timing.js';

/** How often every worker fleet re-arms all running clocks from PostgreSQL (a lost Redis loses at most this). */
export const RECONCILE_EVERY_MS = 5 * 60_000;
const PAGE = 500;
const TIMER_KINDS: readonly TimerKind[] = ['reminder', 'due', 'escalation'];

/**
 * PostgreSQL is the source of truth; Redis only holds the timers still to fire (docs/architecture.md invariant 1). The
 * reconciler re-arms the timers of every running clock, at worker start, on a job scheduler, and at once when a
 * worker finds its job schedulers gone from Redis (`JobSchedulers`), so a flushed or replaced Redis loses no
 * deadline and needs no restart. Arming is idempotent by job id, so running it often costs only Redis lookups.
 */
interface RedisHashClient {
  hexists(key: string, field: string): Promise<number>;
}

@Injectable()
export class ClockReconciler implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ClockReconciler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.clockTimers) private readonly queue: Queue,
    private readonly scheduler: ClockTimerScheduler,
    private readonly calendars: PublishedCalendarCache,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'sla-reconcile',
      every: RECONCILE_EVERY_MS,
      job: {
        name: 'reconcile',
        // eslint-disable-next-line no-restricted-syntax -- when the job was requested, for operators reading the queue
        data: () => ({ requestedAt: new Date().toISOString() }),
        opts: { removeOnComplete: 10, removeOnFail: 100 },
      },
    });
    this.schedulers.onRedisLoss(async () => {
      const clocks = await this.reconcile();
      this.logger.warn({ clocks }, 'clock timers re-armed after Redis lost its job schedulers');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const armed = await this.reconcile();
    this.logger.log({ clocks: armed }, 'clock timers reconciled');
  }

  /** Re-arms every running, unpaused clock; returns how many clocks were looked at. */
  async reconcile(): Promise<number> {
    // A full pass reads the published calendars afresh (and refreshes the cache the scheduler arms with).
    const set = await this.calendars.reload();
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT ${CLOCK_COLUMNS} FROM case_clocks
         WHERE stopped_at IS NULL AND paused_at IS NULL AND due_at IS NOT NULL AND id > $1 ORDER BY id LIMIT ${PAGE}`,
        [after],
      )) as ClockRow[];
      const held = await this.heldTimers(rows);
      let rearmed = 0;
      const results = await this.scheduler.armMany(rows, set);
      results.forEach(({ armed }, i) => {
        const row = rows[i]!;
        rearmed += armed.filter((kind) => !held.has(timerJobId(row.id, kind, row.generation))).length;
      });
      // Only timers whose job was missing from Redis count as re-drives; re-adding a held id is a no-op.
      if (rearmed > 0) reconcilerRedrives.inc({ kind: 'clock-timer' }, rearmed);
      total += rows.length;
      if (rows.length < PAGE) return total;
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * The timer job ids of a page of clocks that Redis already holds, looked up together before arming. A timer
   * armed by a `clock.changed` job between this look-up and the arming would be counted as a re-drive: rare, and
   * an over-count, never a missed one.
   */
  private async heldTimers(rows: readonly ClockRow[]): Promise<Set<string>> {
    const ids = rows.flatMap((row) => TIMER_KINDS.map((kind) => timerJobId(row.id, kind, row.generation)));
    // On Redis: HEXISTS on the job hash, not getJob (which reads and parses each whole job): on a steady-state pass
    // over 1,000 clocks the look-up adds about 20 % instead of 45 % (docs/architecture.md "Scale-out"). The PostgreSQL
    // backend has no such client (docs/operations.md "Queue backends"): there the job's state is read by its id.
    const client = (await this.queue.getBackend().client) as Partial<RedisHashClient> | undefined;
    if (typeof client?.hexists !== 'function') {
      const states = await Promise.all(ids.map((id) => this.queue.getJobState(id)));
      return new Set(ids.filter((_, i) => states[i] !== 'unknown'));
    }
    const hexists = client.hexists.bind(client);
    const held = await Promise.all(ids.map((id) => hexists(this.queue.toKey(id), 'timestamp')));
    return new Set(ids.filter((_, i) => held[i] === 1));
  }
}
