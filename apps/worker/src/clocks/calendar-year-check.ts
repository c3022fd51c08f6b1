import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type Clock, type NextYearCalendarGap, todayOn } from '@minsheng/domain';
import { InjectClock, QUEUES, warnAboutNextYearCalendars } from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** How often the worker fleet checks next year's calendars (and once at each worker start). */
export const CALENDAR_CHECK_EVERY_MS = 24 * 3_600_000;

/**
 * Warns operators ahead of need: from 1 November (business clock, China Standard Time) each layer of next year
 * that is missing or only provisional raises `calendar.year-not-published` (`details.status` says which), so the
 * official notices are entered before deadlines reach January. One alert per layer; each daily run counts a repeat.
 * Publishing the layer resolves it (libs/infra `publishCalendarLayer`).
 */
@Injectable()
export class CalendarYearCheck implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarYearCheck.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.clockTimers) private readonly queue: Queue,
    @InjectClock() private readonly clock: Clock,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'calendar-year-check',
      every: CALENDAR_CHECK_EVERY_MS,
      job: {
        name: 'calendar-check',
        data: () => ({ requestedAt: this.clock.now().toISOString() }),
        opts: { removeOnComplete: 10, removeOnFail: 100 },
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.check();
    } catch (error) {
      // A warning ahead of need must not keep the worker from starting; the daily job tries again.
      this.logger.warn({ err: error }, 'could not check next year’s calendars at start');
    }
  }

  /** Raises the alerts for today's gaps and answers them (none before November). */
  async check(): Promise<NextYearCalendarGap[]> {
    const gaps = await warnAboutNextYearCalendars(this.dataSource, todayOn(this.clock));
    if (gaps.length > 0) {
      this.logger.warn(
        { calendars: gaps.map((gap) => `${gap.calendar} ${gap.status}`) },
        'next year’s calendars are not officially published',
      );
    }
    return gaps;
  }
}
