import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CLOCK_COLUMNS, type ClockRow, loadCalendarSet, QUEUES } from '@minsheng/infra';
import { ClockTimerScheduler } from './clock-timer.scheduler.js';

/** How often every worker fleet re-arms all running clocks from PostgreSQL (a lost Redis loses at most this). */
export const RECONCILE_EVERY_MS = 5 * 60_000;
const PAGE = 500;

/**
 * PostgreSQL is the source of truth; Redis only holds the timers still to fire (design.md invariant 1). The
 * reconciler re-arms the timers of every running clock, at worker start and on a job scheduler, so a flushed or
 * replaced Redis loses no deadline. Arming is idempotent by job id, so running it often costs only Redis lookups.
 */
@Injectable()
export class SlaReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaReconciler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.clockTimers) private readonly queue: Queue,
    private readonly scheduler: ClockTimerScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'sla-reconcile',
      { every: RECONCILE_EVERY_MS },
      {
        name: 'reconcile',
        data: { requestedAt: new Date().toISOString() },
        opts: { removeOnComplete: 10, removeOnFail: 100 },
      },
    );
    const armed = await this.reconcile();
    this.logger.log({ clocks: armed }, 'clock timers reconciled');
  }

  /** Re-arms every running, unpaused clock; returns how many clocks were looked at. */
  async reconcile(): Promise<number> {
    const set = await loadCalendarSet(this.dataSource);
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT ${CLOCK_COLUMNS} FROM case_clocks
         WHERE stopped_at IS NULL AND paused_at IS NULL AND id > $1 ORDER BY id LIMIT ${PAGE}`,
        [after],
      )) as ClockRow[];
      for (const row of rows) await this.scheduler.arm(row, set);
      total += rows.length;
      if (rows.length < PAGE) return total;
      after = rows[rows.length - 1]!.id;
    }
  }
}
