import { type Calendar, nextYearCalendarGaps, type Region, toShanghaiDate, validateCalendar } from '@minsheng/domain';
import { recordAudit } from '../audit/audit.js';
import { type Queryable } from '../case-log/case-event-chain.js';
import { CALENDAR_YEAR_NOT_PUBLISHED_ALERT, raiseOperatorAlert, resolveOperatorAlerts } from './operator-alerts.js';
import { type CalendarOrigin, loadCalendarSet, loadPublishedCalendars } from './published-calendars.js';
import { type CalendarRecomputation, requestCalendarRecomputation } from './calendar-recomputations.js';

/**
 * A year's layer as an operator enters it (the body of `PUT /v1/calendar/{year}`, `provisional` for its status):
 * no year, no version. Checked by `validateCalendar` on publication.
 */
export interface UnversionedCalendar {
  readonly region: Region;
  readonly provisional: boolean;
  readonly [field: string]: unknown;
}

export interface CalendarPublisher {
  /** `staff:<subject>` or `system:<component>`. */
  readonly actor: string;
  /** The audit log's role: `operator` or `system`. */
  readonly actorRole: string;
  /** What `calendars.source` records about how the row came. */
  readonly origin: CalendarOrigin;
}

export interface PublishedCalendar {
  readonly calendar: Calendar;
  /** The recomputation of the running clocks this version can move, queued for the worker. */
  readonly recomputation: CalendarRecomputation;
  /** Open `calendar.year-not-published` alerts of this layer the publication closed. */
  readonly alertsResolved: number;
}

/**
 * Publishes the next version of one region's year, in the caller's transaction: the row, the recomputation of the
 * running clocks it can change (queued: the worker moves them in batches, docs/calendars.md), an audit line, and the
 * operator alerts it answers. An official
 * version resolves every open `calendar.year-not-published` alert of the layer; a provisional one only those that
 * say the layer is `missing` (the November warning that it is "not officially published" stays open, and is raised
 * at once if it applies today). Concurrent publications of the same layer serialise on an advisory lock, so two
 * publishers cannot both take "version 3". A Xinjiang layer needs the national layer of its year (its rest-day
 * overrides name national make-up days): publish the national one first.
 */
export async function publishCalendarLayer(
  q: Queryable,
  year: number,
  layer: UnversionedCalendar,
  publisher: CalendarPublisher,
  now: Date,
  requestId: string | null = null,
): Promise<PublishedCalendar> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('calendars/' || $1 || '/' || $2))`, [layer.region, year]);
  const [{ next }] = (await q.query(
    `SELECT coalesce(max(version), 0) + 1 AS next FROM calendars WHERE region = $1 AND year = $2`,
    [layer.region, year],
  )) as [{ next: number }];
  const calendar = validateCalendar({ ...layer, year, version: next });
  await q.query(
    `INSERT INTO calendars (region, year, version, body, published_by, source) VALUES ($1, $2, $3, $4, $5, $6)`,
    [calendar.region, year, calendar.version, JSON.stringify(calendar), publisher.actor, publisher.origin],
  );
  // Validates the assembled region calendar too (an override must name a national make-up day).
  const set = await loadCalendarSet(q);
  set.resolve(calendar.region, year);
  const recomputation = await requestCalendarRecomputation(
    q,
    { region: calendar.region, year, version: calendar.version },
    publisher.actor,
    requestId,
    now,
  );
  await recordAudit(q, {
    actor: publisher.actor,
    actorRole: publisher.actorRole,
    action: 'calendar.publish',
    target: `calendar:${calendar.region}/${year}`,
    details: {
      version: calendar.version,
      status: calendar.provisional ? 'provisional' : 'official',
      holidays: calendar.holidays.length,
      makeUpWorkdays: calendar.makeUpWorkdays.length,
      restDayOverrides: calendar.restDayOverrides.length,
      recomputationId: recomputation.id,
    },
    requestId,
  });
  const key = `${calendar.region}/${year}`;
  const alertsResolved = await resolveOperatorAlerts(
    q,
    CALENDAR_YEAR_NOT_PUBLISHED_ALERT,
    key,
    calendar.provisional ? 'provisional' : undefined,
  );
  if (calendar.provisional) await warnAboutNextYearCalendars(q, toShanghaiDate(now), [calendar.region]);
  return { calendar, recomputation, alertsResolved };
}

/**
 * From 1 November (China Standard Time), raises `calendar.year-not-published` for each layer of next year that is
 * missing or only provisional (`details.status` says which), one open alert per layer whose repeats are counted.
 * Answers the gaps found. `regions` limits the check (a publication re-checks its own layer only).
 */
export async function warnAboutNextYearCalendars(
  q: Queryable,
  today: string,
  regions?: readonly Region[],
): Promise<ReturnType<typeof nextYearCalendarGaps>> {
  const gaps = nextYearCalendarGaps(
    today,
    (await loadPublishedCalendars(q)).map((row) => row.body),
  ).filter((gap) => regions === undefined || regions.includes(gap.region));
  for (const gap of gaps) {
    await raiseOperatorAlert(q, {
      kind: CALENDAR_YEAR_NOT_PUBLISHED_ALERT,
      key: gap.calendar,
      details: {
        status: gap.status,
        region: gap.region,
        year: gap.year,
        ...(gap.version === undefined ? {} : { version: gap.version }),
        checkedOn: today,
        reason:
          gap.status === 'missing'
            ? `no ${gap.calendar} calendar is published: deadlines reaching ${gap.year} will have no due date`
            : `${gap.calendar} is published only as provisional (version ${gap.version}): publish the official notice`,
      },
    });
  }
  return gaps;
}
