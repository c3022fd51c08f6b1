import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CalendarSet, officialCalendarSet } from '@minsheng/domain';
import { loadCalendarSet } from '@minsheng/infra';

/** How stale the worker's copy of the published calendars may be. */
export const CALENDAR_CACHE_REFRESH_MS = 30_000;

/**
 * The calendars published in PostgreSQL, read at start and every CALENDAR_CACHE_REFRESH_MS, so arming a timer
 * (every clock change) does not read and validate every calendar year again. Timer instants computed from a copy
 * up to 30 s old can only move a reminder or an escalation (policy instants), never a due time: that comes from
 * the clock row, which the recomputation job of a publication moves (it reloads this copy before its first batch).
 */
@Injectable()
export class PublishedCalendarCache implements OnApplicationBootstrap, OnModuleDestroy {
  private calendars: CalendarSet = officialCalendarSet();
  private refresh?: NodeJS.Timeout;
  private readonly logger = new Logger(PublishedCalendarCache.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.refresh = setInterval(() => void this.reload(), CALENDAR_CACHE_REFRESH_MS);
    this.refresh.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refresh);
  }

  current(): CalendarSet {
    return this.calendars;
  }

  /** Reads the published calendars now; a failed read keeps the previous set (and is logged). */
  async reload(): Promise<CalendarSet> {
    try {
      const published = await loadCalendarSet(this.dataSource);
      if (published.all().length > 0) this.calendars = published;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not reload the published calendars; keeping the previous set');
    }
    return this.calendars;
  }
}
