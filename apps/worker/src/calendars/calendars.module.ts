import { Module } from '@nestjs/common';
import { PublishedCalendarCache } from './published-calendar-cache.js';

/** The worker's one copy of the published calendars, shared by the engine (due dates) and the timers. */
@Module({ providers: [PublishedCalendarCache], exports: [PublishedCalendarCache] })
export class CalendarsModule {}
