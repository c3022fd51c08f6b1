import { Module } from '@nestjs/common';
import { QUEUES, registerObservedQueues } from '@minsheng/infra';
import { SchedulersModule } from '../schedulers/schedulers.module.js';
import { CalendarRecomputationProcessor } from './calendar-recomputation.processor.js';
import { CalendarRecomputationResumer } from './calendar-recomputation-resumer.js';
import { CalendarRecomputationRunner } from './calendar-recomputation.js';
import { PublishedCalendarCache } from './published-calendar-cache.js';

const processors = [CalendarRecomputationProcessor];
const services = [PublishedCalendarCache, CalendarRecomputationRunner, CalendarRecomputationResumer];

/**
 * The worker's one copy of the published calendars, shared by the engine (due dates) and the timers, and the
 * recomputation of running clocks when a calendar version is published.
 */
@Module({
  imports: [registerObservedQueues(QUEUES.calendarRecomputations), SchedulersModule],
  providers: [...processors, ...services],
  exports: [PublishedCalendarCache],
})
export class CalendarsModule {}
