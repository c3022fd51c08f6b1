import { type Calendar, CalendarSet, OFFICIAL_CALENDARS, validateCalendar } from '@minsheng/domain';
import { type Queryable } from '../case-log/case-event-chain.js';

/**
 * How a calendar row came: loaded from the code at prepare time, put by an operator, or drafted by `npm start` in
 * development for next year (`publishDevelopmentDraftYear`; never in production).
 */
export type CalendarOrigin = 'shipped' | 'operator' | 'development-start';

export interface PublishedCalendarRow {
  readonly region: string;
  readonly year: number;
  readonly version: number;
  readonly body: Calendar;
  readonly publishedBy: string;
  readonly publishedAt: Date;
  readonly source: CalendarOrigin;
}

/**
 * Every published calendar version in PostgreSQL. The database is the source of truth: a deadline is counted only
 * in a year some row publishes, so a missing year fails closed (`CALENDAR.YEAR_NOT_PUBLISHED`).
 */
export async function loadPublishedCalendars(q: Queryable): Promise<PublishedCalendarRow[]> {
  const rows = (await q.query(
    `SELECT region, year, version, body, published_by, published_at, source FROM calendars ORDER BY region, year, version`,
  )) as {
    region: string;
    year: number;
    version: number;
    body: unknown;
    published_by: string;
    published_at: Date;
    source: CalendarOrigin;
  }[];
  return rows.map((row) => ({
    region: row.region,
    year: row.year,
    version: row.version,
    body: validateCalendar(row.body),
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    source: row.source,
  }));
}

/** The calendar set the deadlines are counted in (highest version of each region and year). */
export async function loadCalendarSet(q: Queryable): Promise<CalendarSet> {
  return CalendarSet.of((await loadPublishedCalendars(q)).map((row) => row.body));
}

/**
 * Publishes the calendars shipped in libs/domain (State Council and Xinjiang notices, 2023–2026) as version rows.
 * Idempotent: a version already there is left alone, so prepare can run on every start.
 */
export async function publishShippedCalendars(q: Queryable): Promise<number> {
  const rows = (await q.query(
    `INSERT INTO calendars (region, year, version, body, published_by, source)
     SELECT c.region, c.year, c.version, c.body, 'system:prepare', 'shipped'
     FROM unnest($1::text[], $2::int[], $3::int[], $4::jsonb[]) AS c(region, year, version, body)
     ON CONFLICT (region, year, version) DO NOTHING
     RETURNING id`,
    [
      OFFICIAL_CALENDARS.map((c) => c.region),
      OFFICIAL_CALENDARS.map((c) => c.year),
      OFFICIAL_CALENDARS.map((c) => c.version),
      OFFICIAL_CALENDARS.map((c) => JSON.stringify(c)),
    ],
  )) as unknown[];
  return rows.length;
}
