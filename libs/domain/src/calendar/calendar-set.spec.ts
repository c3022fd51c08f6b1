import { DomainError } from '../errors/domain-error.js';
import { CalendarSet } from './calendar-set.js';
import type { Calendar } from './calendar.js';
import { dayRange } from './day-range.js';
import { national2025 } from './national/2025.js';
import { officialCalendarSet } from './official-calendars.js';
import { dayStatus, isWorkingDay } from './working-days.js';

/**
 * Test fixtures modelled on 2014, when Xinjiang declared the national make-up days 28 Sep and 11 Oct rest days
 * because 古尔邦节 fell in the National Day week [S P36]. Only the dates the tests need.
 */
const national2014: Calendar = {
  region: 'national',
  year: 2014,
  version: 1,
  provisional: false,
  holidays: dayRange('2014-10-01', '2014-10-07', '国庆节'),
  makeUpWorkdays: [
    { date: '2014-09-28', name: '国庆节调休上班' }, // Sun
    { date: '2014-10-11', name: '国庆节调休上班' }, // Sat
  ],
  restDayOverrides: [],
  source: { issuer: '国务院办公厅', title: 'fixture' },
  evidence: { tag: 'G', refs: ['test fixture'] },
};
const xinjiang2014: Calendar = {
  region: 'xinjiang',
  year: 2014,
  version: 1,
  provisional: false,
  holidays: dayRange('2014-10-04', '2014-10-06', '古尔邦节'),
  makeUpWorkdays: [],
  restDayOverrides: [
    { date: '2014-09-28', name: '国庆节调休上班日，新疆改为休息日' },
    { date: '2014-10-11', name: '国庆节调休上班日，新疆改为休息日' },
  ],
  source: { issuer: '新疆维吾尔自治区人民政府办公厅', title: 'fixture' },
  evidence: { tag: 'S', refs: ['docs/domain.md §4.1 [S P36]'] },
};

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('CalendarSet', () => {
  const official = officialCalendarSet();

  it('publishes national and Xinjiang calendars for 2023 to 2026', () => {
    for (const year of [2023, 2024, 2025, 2026]) {
      expect(official.resolve('national', year).layers.map((layer) => layer.region)).toEqual(['national']);
      expect(official.resolve('xinjiang', year).layers.map((layer) => layer.region)).toEqual(['national', 'xinjiang']);
    }
  });

  it.each([
    ['national', 2027, 'national/2027'],
    ['national', 2022, 'national/2022'],
    ['xinjiang', 2027, 'national/2027'],
  ] as const)('fails closed on %s %i, which is not published', (region, year, missing) => {
    const error = thrown(() => official.resolve(region, year));
    expect(error.code).toBe('CALENDAR.YEAR_NOT_PUBLISHED');
    expect(error.details).toMatchObject({ region, year, missing });
  });

  it('fails closed in Xinjiang when only the national year is published', () => {
    const error = thrown(() => CalendarSet.of([national2025]).resolve('xinjiang', 2025));
    expect(error.code).toBe('CALENDAR.YEAR_NOT_PUBLISHED');
    expect(error.details).toMatchObject({ region: 'xinjiang', year: 2025, missing: 'xinjiang/2025' });
    expect(CalendarSet.of([national2025]).resolve('national', 2025).year).toBe(2025);
  });

  describe('versions', () => {
    const correction: Calendar = {
      ...national2025,
      version: 2,
      holidays: [...national2025.holidays, { date: '2025-12-31', name: 'correction fixture' }],
    };

    it.each([
      ['published after the original', () => official.with(correction), 9],
      ['published before the original', () => CalendarSet.of([correction, national2025]), 2],
    ])('uses the highest version of a year when %s', (_, build, published) => {
      const set = build();
      expect(set.latest('national', 2025)?.version).toBe(2);
      expect(isWorkingDay(set, 'national', '2025-12-31')).toBe(false);
      expect(set.all()).toHaveLength(published);
      expect(isWorkingDay(official, 'national', '2025-12-31')).toBe(true);
    });

    it('refuses a second, different calendar under a published version number', () => {
      const error = thrown(() => official.with({ ...correction, version: 1 }));
      expect(error.code).toBe('CALENDAR.INVALID');
      expect(error.details).toMatchObject({ field: 'version', calendar: 'national/2025', version: 1 });
    });

    it('accepts the same calendar published twice (an idempotent reload)', () => {
      expect(official.with(national2025).latest('national', 2025)).toEqual(national2025);
    });

    it('validates what is published', () => {
      const invalid = { ...correction, version: 3, makeUpWorkdays: [{ date: '2025-12-30', name: 'x' }] };
      const error = thrown(() => official.with(invalid));
      expect(error.code).toBe('CALENDAR.INVALID');
      expect(error.details.field).toBe('makeUpWorkdays[0].date');
    });
  });

  describe('Xinjiang overrides of national make-up days (2014 [S P36])', () => {
    const set = CalendarSet.of([national2014, xinjiang2014]);

    it.each(['2014-09-28', '2014-10-11'])('%s is a working day nationally but a rest day in Xinjiang', (date) => {
      expect(isWorkingDay(set, 'national', date)).toBe(true);
      expect(dayStatus(set, 'national', date).kind).toBe('make-up-workday');
      const xinjiang = dayStatus(set, 'xinjiang', date);
      expect(xinjiang).toMatchObject({ working: false, kind: 'weekend', name: '国庆节调休上班日，新疆改为休息日' });
    });

    it('merges the regional festival into the national holidays', () => {
      const calendar = set.resolve('xinjiang', 2014);
      expect(calendar.holidays.get('2014-10-04')).toBe('国庆节、古尔邦节');
      expect([...calendar.makeUpWorkdays.keys()]).toEqual([]);
      expect([...calendar.restDayOverrides.keys()]).toEqual(['2014-09-28', '2014-10-11']);
    });

    it('refuses an override of a day that is not a national make-up day', () => {
      const wrong: Calendar = { ...xinjiang2014, restDayOverrides: [{ date: '2014-09-27', name: 'x' }] };
      const error = thrown(() => CalendarSet.of([national2014, wrong]).resolve('xinjiang', 2014));
      expect(error.code).toBe('CALENDAR.INVALID');
      expect(error.details).toMatchObject({ field: 'restDayOverrides[0].date', calendar: 'xinjiang/2014' });
    });

    it('makes a national make-up day a rest day when a regional festival covers it', () => {
      const festival: Calendar = {
        ...xinjiang2014,
        restDayOverrides: [],
        holidays: dayRange('2014-10-11', '2014-10-11', '古尔邦节'),
      };
      const merged = CalendarSet.of([national2014, festival]);
      expect(dayStatus(merged, 'xinjiang', '2014-10-11')).toMatchObject({ working: false, kind: 'holiday' });
      expect(isWorkingDay(merged, 'xinjiang', '2014-09-28')).toBe(true);
    });

    it('refuses a regional make-up day on a national holiday', () => {
      const clash: Calendar = {
        ...xinjiang2014,
        holidays: [],
        restDayOverrides: [],
        makeUpWorkdays: [{ date: '2014-10-05', name: 'x' }],
      };
      const error = thrown(() => CalendarSet.of([national2014, clash]).resolve('xinjiang', 2014));
      expect(error.details).toMatchObject({ field: 'makeUpWorkdays[0].date', calendar: 'xinjiang/2014' });
    });
  });

  it.each([
    [2023, false],
    [2024, true],
    [2025, false],
    [2026, true],
  ])('marks Xinjiang %i provisional: %p (the national years never are)', (year, provisional) => {
    expect(official.resolve('xinjiang', year).provisional).toBe(provisional);
    expect(official.resolve('national', year).provisional).toBe(false);
  });
});
