import { Module } from '@nestjs/common';
import { QUEUES, registerObservedQueues } from '@minsheng/infra';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { SchedulersModule } from '../schedulers/schedulers.module.js';
import { CalendarYearCheck } from './calendar-year-check.js';
import { ClockTimerActions } from './clock-timer-actions.js';
import { ClockTimerBatcher } from './clock-timer-batcher.js';
import { ClockTimerScheduler } from './clock-timer.scheduler.js';
import { ClockTimersProcessor } from './clock-timers.processor.js';
import { ClockReconciler } from './clock-reconciler.js';

const processors = [ClockTimersProcessor];
const services = [ClockTimerScheduler, ClockTimerActions, ClockTimerBatcher, ClockReconciler, CalendarYearCheck];

/** Statutory clocks in the worker: timers per clock generation, their effects, the reconciler, the calendar check. */
@Module({
  imports: [registerObservedQueues(QUEUES.clockTimers), CalendarsModule, SchedulersModule],
  providers: [...processors, ...services],
  exports: [ClockTimerScheduler, ClockReconciler, CalendarYearCheck],
})
export class ClocksModule {}
