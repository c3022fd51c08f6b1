import { Processor } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig, type ClockTimer, QUEUES, type TimerKind } from '@minsheng/infra';
import { timerLatenessSeconds } from '../metrics/worker-metrics.js';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { type TimerOutcome } from './clock-timer-actions.js';
import { ClockTimerBatcher } from './clock-timer-batcher.js';
import { CalendarYearCheck } from './calendar-year-check.js';
import { ClockTimerScheduler } from './clock-timer.scheduler.js';
import { ClockReconciler } from './clock-reconciler.js';

/**
 * The `clock-timers` queue: arming a changed clock, firing its timers, the periodic reconciliation and the daily
 * check of next year's calendars.
 */
@Processor(QUEUES.clockTimers)
export class ClockTimersProcessor extends ContractWorkerHost<'clock-timers'> implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: ClockTimerScheduler,
    private readonly timers: ClockTimerBatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reconciler: ClockReconciler,
    private readonly calendarCheck: CalendarYearCheck,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'clock-timers'> = {
    arm: (job) => this.scheduler.armClock(job.data.caseId, job.data.clock),
    reminder: (job) => this.fire(job),
    due: (job) => this.fire(job),
    escalation: (job) => this.fire(job),
    reconcile: async () => ({ outcome: 'done', clocks: await this.reconciler.reconcile() }),
    'calendar-check': async () => {
      const gaps = await this.calendarCheck.check();
      return { outcome: 'done', gaps: gaps.map((gap) => `${gap.calendar}:${gap.status}`) };
    },
  };

  onApplicationBootstrap(): void {
    // Timers that come due together are held together, so they fire in one transaction (clock-timer-batcher.ts);
    // different clocks run in parallel, the case and clock row locks serialise one clock's timers.
    this.worker.concurrency = this.config.worker.concurrency;
  }

  private fire(job: Job<ClockTimer, unknown, TimerKind>): Promise<TimerOutcome> {
    timerLatenessSeconds.observe({ timer: job.name }, latenessSeconds(job));
    return this.timers.fire(job.name, job.data);
  }
}

/** How long after its due instant (enqueued + delay) a timer ran; a promoted job (operator, tests) counts as on time. */
// eslint-disable-next-line no-restricted-syntax -- lateness compares with BullMQ's wall-clock timestamps
export function latenessSeconds(job: Pick<Job, 'timestamp' | 'delay' | 'processedOn'>, now = Date.now()): number {
  const due = job.timestamp + (job.delay ?? 0);
  return Math.max(0, ((job.processedOn ?? now) - due) / 1000);
}
