import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@minsheng/infra';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { ClockTimerActions } from './clock-timer-actions.js';
import { ClockTimerScheduler } from './clock-timer.scheduler.js';
import { ClockTimersProcessor } from './clock-timers.processor.js';
import { SlaReconciler } from './sla-reconciler.js';

const processors = [ClockTimersProcessor];
const services = [ClockTimerScheduler, ClockTimerActions, SlaReconciler];

/** Statutory clocks in the worker: timers per clock generation, their effects, and the reconciler. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.clockTimers }), CalendarsModule],
  providers: [...processors, ...services],
  exports: [ClockTimerScheduler, SlaReconciler],
})
export class SlaModule {}
