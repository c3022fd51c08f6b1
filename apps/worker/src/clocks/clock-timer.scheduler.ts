import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type CalendarSet, type Clock, type Region } from '@minsheng/domain';
import { CLOCK_COLUMNS, type ClockChanged, type ClockRow, type ClockTimer, InjectClock, QUEUES } from '@minsheng/infra';
import { PublishedCalendarCache } from '../calendars/published-calendar-cache.js';
import { fired } from './fired-marks.js';
import { timerInstants, timerJobId, type TimerKind } from './clock-timing.js';

export interface ArmResult {
  readonly clockId: string;
  readonly armed: readonly TimerKind[];
}

/**
 * Arms the delayed jobs of one clock generation from its row. Idempotent: a job id carries the clock, the kind and
 * the generation, and BullMQ ignores an id it already holds, so arming twice (a `clock.changed` job and the
 * reconciler) schedules each timer once. Timers of older generations stay in Redis and do nothing when they fire.
 */
@Injectable()
export class ClockTimerScheduler {
  constructor(
    @InjectQueue(QUEUES.clockTimers) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: PublishedCalendarCache,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** Arms the named clock of a case (an `arm` job: a bench's or an operator's, or one queued by an older relay). */
  async armClock(caseId: string, clock: string): Promise<ArmResult | null> {
    const [result] = await this.armChanged([{ caseId, clock }]);
    return result ?? null;
  }

  /**
   * Arms the clocks named by `clock.changed` outbox rows, as the relay finds them: one SELECT for the whole round,
   * then `armMany`. The rows only say which clock moved; the clock row, read now, is what gets armed, so an older
   * message for a clock that has moved on arms its current generation (BullMQ ignores the ids it already holds).
   */
  async armChanged(changes: readonly Pick<ClockChanged, 'caseId' | 'clock'>[]): Promise<ArmResult[]> {
    if (changes.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT ${CLOCK_COLUMNS} FROM case_clocks
       WHERE (case_id, clock) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [changes.map((c) => c.caseId), changes.map((c) => c.clock)],
    )) as ClockRow[];
    return this.armMany(rows, this.calendars.current());
  }

  async arm(row: ClockRow, set: CalendarSet): Promise<ArmResult> {
    const [result] = await this.armMany([row], set);
    return result!;
  }

  /**
   * Arms a page of clocks with one `addBulk` and one UPDATE of their reminder instants (the reconciler re-arms
   * every running clock: a round trip per clock made re-arming 100,000 clocks take minutes).
   */
  async armMany(rows: readonly ClockRow[], set: CalendarSet): Promise<ArmResult[]> {
    const now = this.clock.now().getTime();
    const jobs: { name: TimerKind; data: ClockTimer; opts: { jobId: string; delay: number } }[] = [];
    const reminders: { id: string; generation: number; at: string | null }[] = [];
    const results = rows.map((row): ArmResult => {
      // A clock waiting for an unpublished calendar has no due time to arm: publishing the year arms it.
      if (row.stopped_at || row.paused_at || row.due_at === null) return { clockId: row.id, armed: [] };
      const instants = timerInstants(
        {
          startedAt: new Date(row.started_at),
          dueAt: new Date(row.due_at),
          region: row.region as Region,
          kind: row.kind,
        },
        set,
      );
      const wanted: [TimerKind, Date | undefined][] =
        row.kind === 'period'
          ? [['due', fired(row, 'ended_at') ? undefined : instants.due]]
          : [
              ['reminder', fired(row, 'reminded_at') || fired(row, 'breached_at') ? undefined : instants.reminder],
              ['due', fired(row, 'breached_at') ? undefined : instants.due],
              // A service target is never escalated (docs/clocks.md): no escalation timer to arm.
              ['escalation', row.basis === 'target' || fired(row, 'escalated_at') ? undefined : instants.escalation],
            ];
      const armed: TimerKind[] = [];
      for (const [kind, at] of wanted) {
        if (!at) continue;
        jobs.push({
          name: kind,
          data: { clockId: row.id, generation: row.generation, at: at.toISOString() },
          opts: { jobId: timerJobId(row.id, kind, row.generation), delay: Math.max(0, at.getTime() - now) },
        });
        armed.push(kind);
      }
      reminders.push({ id: row.id, generation: row.generation, at: instants.reminder?.toISOString() ?? null });
      return { clockId: row.id, armed };
    });
    // BullMQ ignores a job id it already holds, so arming twice schedules each timer once.
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    if (reminders.length > 0) {
      // The SLA board reads the reminder instant to tell "at risk" from "on time"; unchanged rows are not written.
      // Outside any case lock, so it never waits for a clock row (the lock order, docs/operations.md: case
      // first): a row locked now is being changed by the engine (which arms it again) or fired by a timer, and the
      // next arming or the reconciliation writes its reminder instant.
      await this.dataSource.query(
        `UPDATE case_clocks c SET remind_at = u.at
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS u(id, generation, at)
         WHERE c.id = u.id AND c.generation = u.generation AND c.remind_at IS DISTINCT FROM u.at
           AND c.id IN (SELECT id FROM case_clocks WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED)`,
        [reminders.map((r) => r.id), reminders.map((r) => r.generation), reminders.map((r) => r.at)],
      );
    }
    return results;
  }
}
