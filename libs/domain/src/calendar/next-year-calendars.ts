import { assertIsoDate, yearOf, type IsoDate } from './calendar-date.js';
import { calendarKey, REGIONS, type Calendar, type CalendarKey, type Region } from './calendar.js';

/**
 * From this day (China Standard Time) the next year's calendars should be in PostgreSQL. The State Council
 * publishes the arrangement for the next year in the autumn (国务院办公厅关于YYYY年部分节假日安排的通知: 24 Oct 2023
 * for 2024, 12 Nov 2024 for 2025), and from November a 30 or 45 working-day limit started today already reaches
 * January: a year still missing (or only drafted) then is a deadline about to fail closed or rest on estimates.
 */
export const NEXT_YEAR_WARNING_FROM = '11-01';

/** Why a layer of next year needs an operator: nothing published, or only a provisional (drafted) version. */
export type NextYearCalendarStatus = 'missing' | 'provisional';

export interface NextYearCalendarGap {
  /** `national/2027`: the key of the layer, as operator alerts and `calendar_missing` name it. */
  readonly calendar: CalendarKey;
  readonly region: Region;
  readonly year: number;
  readonly status: NextYearCalendarStatus;
  /** The provisional version in force (absent when missing). */
  readonly version?: number;
}

/**
 * The layers of next year an operator must still publish officially, as of `today` (a China Standard Time date):
 * none before {@link NEXT_YEAR_WARNING_FROM}; from then on each region (`national`, `xinjiang`: Urumqi counts in
 * both) whose highest published version for next year is missing or provisional. Pure: `published` is every
 * published version (any years, any order); the highest version of a layer is the one in force.
 */
export function nextYearCalendarGaps(
  today: IsoDate,
  published: Iterable<Pick<Calendar, 'region' | 'year' | 'version' | 'provisional'>>,
): NextYearCalendarGap[] {
  assertIsoDate(today, 'today');
  if (today.slice(5) < NEXT_YEAR_WARNING_FROM) return [];
  const year = yearOf(today) + 1;
  const latest = new Map<Region, Pick<Calendar, 'version' | 'provisional'>>();
  for (const layer of published) {
    if (layer.year !== year) continue;
    const current = latest.get(layer.region);
    if (current === undefined || layer.version > current.version) latest.set(layer.region, layer);
  }
  return REGIONS.flatMap((region): NextYearCalendarGap[] => {
    const layer = latest.get(region);
    const calendar = calendarKey(region, year);
    if (layer === undefined) return [{ calendar, region, year, status: 'missing' }];
    if (layer.provisional) return [{ calendar, region, year, status: 'provisional', version: layer.version }];
    return [];
  });
}
