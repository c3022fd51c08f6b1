import { Processor } from '@nestjs/bullmq';
import { type Job } from 'bullmq';
import { type ClockChanged, type ClockTimer, type JobName, QUEUES } from '@minsheng/infra';
import { timerLatenessSeconds } from '../metrics/worker-metrics.js';
import { ObservedWorkerHost } from '../queues/observed-worker-host.js';
import { ClockTimerActions, type TimerOutcome } from './clock-timer-actions.js';
import { CalendarYearCheck } from './calendar-year-check.js';
import { ClockTimerScheduler, type ArmResult } from './clock-timer.scheduler.js';
import { SlaReconciler } from './sla-reconciler.js';

type ClockTimerJob = Job<ClockChanged | ClockTimer | { requestedAt: string }, unknown, JobName<'clock-timers'>>;

/**
 * The `clock-timers` queue: arming a changed clock, firing its timers, the periodic reconciliation and the daily
 * check of next year's calendars.
 */
@Processor(QUEUES.clockTimers)
export class ClockTimersProcessor extends ObservedWorkerHost {
  constructor(
    private readonly scheduler: ClockTimerScheduler,
    private readonly actions: ClockTimerActions,
    private readonly reconciler: SlaReconciler,
    private readonly calendarCheck: CalendarYearCheck,
  ) {
    super();
  }

  async process(
    job: ClockTimerJob,
  ): Promise<
    TimerOutcome | ArmResult | { outcome: 'done'; clocks: number } | { outcome: 'done'; gaps: string[] } | null
  > {
    switch (job.name) {
      case 'arm': {
        const changed = job.data as ClockChanged;
        return this.scheduler.armClock(changed.caseId, changed.clock);
      }
      case 'reminder':
      case 'due':
      case 'escalation':
        timerLatenessSeconds.observe({ timer: job.name }, latenessSeconds(job));
        return this.actions.fire(job.name, job.data as ClockTimer);
      case 'reconcile':
        return { outcome: 'done', clocks: await this.reconciler.reconcile() };
      case 'calendar-check': {
        const gaps = await this.calendarCheck.check();
        return { outcome: 'done', gaps: gaps.map((gap) => `${gap.calendar}:${gap.status}`) };
      }
    }
  }
}

/** How long after its due instant (enqueued + delay) a timer ran; a promoted job (operator, tests) counts as on time. */
// eslint-disable-next-line no-restricted-syntax -- lateness compares with BullMQ's wall-clock timestamps
export function latenessSeconds(job: Pick<Job, 'timestamp' | 'delay' | 'processedOn'>, now = Date.now()): number {
  const due = job.timestamp + (job.delay ?? 0);
  return Math.max(0, ((job.processedOn ?? now) - due) / 1000);
}
