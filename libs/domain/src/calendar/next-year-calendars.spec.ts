import type { Calendar } from './calendar.js';
import { nextYearCalendarGaps, type NextYearCalendarGap } from './next-year-calendars.js';

type Layer = Pick<Calendar, 'region' | 'year' | 'version' | 'provisional'>;

const official = (region: Layer['region'], year: number, version = 1): Layer => ({
  region,
  year,
  version,
  provisional: false,
});
const provisional = (region: Layer['region'], year: number, version = 1): Layer => ({
  ...official(region, year, version),
  provisional: true,
});
const missing = (region: Layer['region'], year: number): NextYearCalendarGap => ({
  calendar: `${region}/${year}`,
  region,
  year,
  status: 'missing',
});
const drafted = (region: Layer['region'], year: number, version: number): NextYearCalendarGap => ({
  calendar: `${region}/${year}`,
  region,
  year,
  status: 'provisional',
  version,
});

describe('nextYearCalendarGaps: what next year still lacks, from 1 November', () => {
  const thisYear = [official('national', 2026), provisional('xinjiang', 2026)];

  it.each<[string, string, Layer[], NextYearCalendarGap[]]>([
    ['before November nothing is asked for', '2026-10-31', thisYear, []],
    [
      'on 1 November both missing layers',
      '2026-11-01',
      thisYear,
      [missing('national', 2027), missing('xinjiang', 2027)],
    ],
    ['on 31 December still', '2026-12-31', thisYear, [missing('national', 2027), missing('xinjiang', 2027)]],
    [
      'a provisional layer is named with its version',
      '2026-11-15',
      [...thisYear, provisional('national', 2027), provisional('xinjiang', 2027)],
      [drafted('national', 2027, 1), drafted('xinjiang', 2027, 1)],
    ],
    [
      'the highest version decides: an official correction of a draft is enough',
      '2026-11-15',
      [provisional('national', 2027, 1), official('national', 2027, 2), provisional('xinjiang', 2027, 1)],
      [drafted('xinjiang', 2027, 1)],
    ],
    [
      'and a provisional version on top of an official one is provisional again',
      '2026-11-15',
      [official('national', 2027, 1), provisional('national', 2027, 2), official('xinjiang', 2027, 1)],
      [drafted('national', 2027, 2)],
    ],
    ['both official: nothing to do', '2026-12-01', [official('xinjiang', 2027), official('national', 2027)], []],
    [
      'other years do not count',
      '2026-11-01',
      [official('national', 2028), official('xinjiang', 2026)],
      [missing('national', 2027), missing('xinjiang', 2027)],
    ],
    ['in January the next year is a year away', '2027-01-05', thisYear, []],
  ])('%s (%s)', (_, today, published, gaps) => {
    expect(nextYearCalendarGaps(today, published)).toEqual(gaps);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => nextYearCalendarGaps('2026-11-1', [])).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_DATE' }),
    );
  });
});
