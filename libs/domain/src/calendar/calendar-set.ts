import type { IsoDate } from './calendar-date.js';
import { CalendarYearNotPublishedError, InvalidCalendarError } from './calendar-errors.js';
import { calendarKey, type Calendar, type CalendarKey, type Region } from './calendar.js';
import { validateCalendar } from './validate-calendar.js';

/**
 * One region's calendar for one year, assembled from the published layers: the national notice, then (for
 * `xinjiang`) the regional notice on top. Maps are keyed by date; values are the names the notices give.
 */
export interface RegionCalendar {
  readonly region: Region;
  readonly year: number;
  /** The published calendars merged, base layer first; their versions go into every explanation. */
  readonly layers: readonly Calendar[];
  /** True when any layer is provisional (its official notice was not available). */
  readonly provisional: boolean;
  readonly holidays: ReadonlyMap<IsoDate, string>;
  /** Make-up working days in force: national ones not overridden, plus regional ones. */
  readonly makeUpWorkdays: ReadonlyMap<IsoDate, string>;
  /** National make-up working days the region declared rest days. */
  readonly restDayOverrides: ReadonlyMap<IsoDate, string>;
}

function sameContent(a: Calendar, b: Calendar): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The published year calendars, possibly several versions of one (region, year): a correction is published as a
 * higher version and the highest version wins. Immutable; `with` returns a new set. Every calendar is validated
 * on the way in (`CALENDAR.INVALID`). Asking for a year that is not published throws
 * `CALENDAR.YEAR_NOT_PUBLISHED`: counting never falls back to weekends only.
 */
export class CalendarSet {
  private readonly latestByKey = new Map<CalendarKey, Calendar>();
  private readonly resolved = new Map<CalendarKey, RegionCalendar>();

  private constructor(private readonly calendars: readonly Calendar[]) {
    const byVersion = new Map<string, Calendar>();
    for (const calendar of calendars) {
      const key = calendarKey(calendar.region, calendar.year);
      const versionKey = `${key}@${calendar.version}`;
      const existing = byVersion.get(versionKey);
      if (existing && !sameContent(existing, calendar)) {
        throw new InvalidCalendarError('version', `${key} version ${calendar.version} is already published`, {
          calendar: key,
          version: calendar.version,
        });
      }
      byVersion.set(versionKey, calendar);
      const latest = this.latestByKey.get(key);
      if (!latest || calendar.version > latest.version) this.latestByKey.set(key, calendar);
    }
  }

  /** Validates each calendar and builds the set. */
  static of(calendars: Iterable<unknown>): CalendarSet {
    return new CalendarSet([...calendars].map((calendar) => validateCalendar(calendar)));
  }

  /** A new set with `calendars` published on top of these (e.g. a correction with a higher version). */
  with(...calendars: unknown[]): CalendarSet {
    return new CalendarSet([...this.calendars, ...calendars.map((calendar) => validateCalendar(calendar))]);
  }

  /** Every published version, in publication order. */
  all(): readonly Calendar[] {
    return this.calendars;
  }

  /** The highest published version of one layer, or undefined. */
  latest(region: Region, year: number): Calendar | undefined {
    return this.latestByKey.get(calendarKey(region, year));
  }

  /**
   * The calendar in force for `region` in `year`. `xinjiang` needs both the national and the Xinjiang year:
   * Urumqi deadlines are counted in the regional calendar (docs/domain.md §4.1), so a missing regional year fails
   * closed like a missing national one.
   */
  resolve(region: Region, year: number): RegionCalendar {
    const key = calendarKey(region, year);
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const built = this.build(region, year);
    this.resolved.set(key, built);
    return built;
  }

  private require(layer: Region, region: Region, year: number): Calendar {
    const calendar = this.latest(layer, year);
    if (!calendar) throw new CalendarYearNotPublishedError(region, year, calendarKey(layer, year));
    return calendar;
  }

  private build(region: Region, year: number): RegionCalendar {
    const national = this.require('national', region, year);
    const layers = region === 'national' ? [national] : [national, this.require(region, region, year)];
    const holidays = new Map(national.holidays.map((day) => [day.date, day.name]));
    const makeUpWorkdays = new Map(national.makeUpWorkdays.map((day) => [day.date, day.name]));
    const restDayOverrides = new Map<IsoDate, string>();

    for (const regional of layers.slice(1)) {
      const key = calendarKey(regional.region, year);
      regional.restDayOverrides.forEach((day, index) => {
        if (!makeUpWorkdays.has(day.date)) {
          throw new InvalidCalendarError(
            `restDayOverrides[${index}].date`,
            `${key} overrides ${day.date}, which is not a national make-up working day`,
            { calendar: key },
          );
        }
        makeUpWorkdays.delete(day.date);
        restDayOverrides.set(day.date, day.name);
      });
      for (const day of regional.holidays) {
        // A regional festival on a national make-up weekend day is a day off in the region.
        makeUpWorkdays.delete(day.date);
        const national = holidays.get(day.date);
        holidays.set(day.date, national ? `${national}、${day.name}` : day.name);
      }
      regional.makeUpWorkdays.forEach((day, index) => {
        // Never seen in a regional notice; refuse rather than guess which layer should win.
        if (holidays.has(day.date)) {
          throw new InvalidCalendarError(
            `makeUpWorkdays[${index}].date`,
            `${key} declares ${day.date} a working day, but it is a national holiday`,
            { calendar: key },
          );
        }
        makeUpWorkdays.set(day.date, day.name);
      });
    }

    return {
      region,
      year,
      layers,
      provisional: layers.some((layer) => layer.provisional),
      holidays,
      makeUpWorkdays,
      restDayOverrides,
    };
  }
}
