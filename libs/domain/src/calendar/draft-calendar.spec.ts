import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';
import { Lunar } from 'lunar-typescript';
import { addDays, daysBetween, isWeekend, type IsoDate } from './calendar-date.js';
import { CalendarSet } from './calendar-set.js';
import type { Calendar, CalendarDay } from './calendar.js';
import { draftCalendarYear } from './draft-calendar.js';
import { dueDate } from './due-dates.js';
import { national2025 } from './national/2025.js';
import { national2026 } from './national/2026.js';
import { validateCalendar } from './validate-calendar.js';
import { addWorkingDays } from './working-days.js';
import { xinjiang2025 } from './xinjiang/2025.js';
import { xinjiang2026 } from './xinjiang/2026.js';

const here = dirname(fileURLToPath(import.meta.url));
const YEARS = Array.from({ length: 11 }, (_, index) => 2025 + index); // 2025..2035

function datesNamed(days: readonly CalendarDay[], name: string): IsoDate[] {
  return days.filter((day) => day.name.split('、').includes(name)).map((day) => day.date);
}

function range(first: IsoDate, last: IsoDate): IsoDate[] {
  return Array.from({ length: daysBetween(first, last) + 1 }, (_, offset) => addDays(first, offset));
}

/** The festival's blocks: runs of consecutive dates under one name. */
function blocks(days: readonly CalendarDay[], name: string): IsoDate[][] {
  const runs: IsoDate[][] = [];
  for (const date of datesNamed(days, name)) {
    const last = runs.at(-1);
    if (last && daysBetween(last[last.length - 1], date) === 1) last.push(date);
    else runs.push([date]);
  }
  return runs;
}

const weekdays = (dates: readonly IsoDate[]): IsoDate[] => dates.filter((date) => !isWeekend(date));

describe('draftCalendarYear: national 2027', () => {
  const { national } = draftCalendarYear(2027);

  it('uses the lunar and solar-term dates the library gives, which agree with the published almanac', () => {
    // 2027: 正月初一 Sat 6 Feb, 清明 Mon 5 Apr, 端午 Wed 9 Jun, 中秋 Wed 15 Sep.
    expect(Lunar.fromYmd(2027, 1, 1).getSolar().toYmd()).toBe('2027-02-06');
    expect(Lunar.fromYmd(2027, 1, 1).getJieQiTable()['清明']?.toYmd()).toBe('2027-04-05');
    expect(Lunar.fromYmd(2027, 5, 5).getSolar().toYmd()).toBe('2027-06-09');
    expect(Lunar.fromYmd(2027, 8, 15).getSolar().toYmd()).toBe('2027-09-15');
  });

  it.each<[string, IsoDate[]]>([
    ['元旦', ['2027-01-01']],
    ['春节', range('2027-02-05', '2027-02-08')], // 除夕 Fri 5 Feb to 初三 Mon 8 Feb
    ['清明节', ['2027-04-05']],
    ['劳动节', ['2027-05-01', '2027-05-02']],
    ['端午节', ['2027-06-09']],
    ['中秋节', ['2027-09-15']],
    ['国庆节', range('2027-10-01', '2027-10-03')],
  ])('%s', (name, dates) => {
    expect(datesNamed(national.holidays, name)).toEqual(dates);
  });

  it('lists exactly the 13 statutory days, and no make-up working day', () => {
    expect(national.holidays).toHaveLength(13);
    expect(national.makeUpWorkdays).toEqual([]);
    expect(national.restDayOverrides).toEqual([]);
  });

  it('is provisional, version 1, tagged as a guess, and says it is drafted from the rules', () => {
    expect(national).toMatchObject({ region: 'national', year: 2027, version: 1, provisional: true });
    expect(national.source.issuer).toBe('国务院');
    expect(national.source.title).toContain('《全国年节及纪念日放假办法》');
    expect(national.evidence.tag).toBe('G');
    expect(national.evidence.refs.some((ref) => ref.includes('docs/calendars.md'))).toBe(true);
    expect(national.evidence.note).toMatch(/statutory rules/);
    expect(national.evidence.note).toMatch(/no 调休 make-up/);
    expect(national.evidence.note).toContain('State Council notice');
  });
});

describe('draftCalendarYear: national, across years', () => {
  it.each(YEARS)('%i: the lunar festivals and 清明 agree with the chinese-days package', (year) => {
    const { national } = draftCalendarYear(year);
    const lunar = (month: number, day: number): IsoDate =>
      chineseDays.getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)
        .date;
    expect(datesNamed(national.holidays, '春节')).toEqual(range(addDays(lunar(1, 1), -1), addDays(lunar(1, 1), 2)));
    expect(datesNamed(national.holidays, '端午节')).toEqual([lunar(5, 5)]);
    expect(datesNamed(national.holidays, '中秋节')).toEqual([lunar(8, 15)]);
    expect(datesNamed(national.holidays, '清明节')).toEqual([chineseDays.getSolarTermDate(year, 4, 'pure_brightness')]);
  });

  it('lists a day two festivals share once, under both names (中秋 on 3 Oct 2028)', () => {
    const { national } = draftCalendarYear(2028);
    expect(national.holidays.filter((day) => day.date === '2028-10-03')).toEqual([
      { date: '2028-10-03', name: '国庆节、中秋节' },
    ]);
    expect(national.holidays).toHaveLength(12);
  });

  it.each<[number, Calendar]>([
    [2025, national2025],
    [2026, national2026],
  ])('%i: every drafted statutory day is a holiday of the same name in the official year', (year, official) => {
    const { national } = draftCalendarYear(year);
    const officialNames = new Map(official.holidays.map((day) => [day.date, day.name.split('、')]));
    const missing = national.holidays.filter(
      (day) => !day.name.split('、').every((name) => officialNames.get(day.date)?.includes(name)),
    );
    expect(missing).toEqual([]);
    expect(national.holidays).toHaveLength(13);
  });
});

describe('draftCalendarYear: xinjiang', () => {
  it("2025: 肉孜节 is drafted one day before the notice's festival day, with the same weekday off", () => {
    const { xinjiang } = draftCalendarYear(2025);
    const drafted = blocks(xinjiang.holidays, '肉孜节（估计）');
    const official = datesNamed(xinjiang2025.holidays, '肉孜节');
    expect(drafted).toEqual([['2025-03-30', '2025-03-31']]); // Umm al-Qura 1 Shawwal: Sun 30 Mar
    expect(official).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']); // the notice: festival Mon 31 Mar
    expect(weekdays(drafted[0])).toEqual(weekdays(official));
  });

  it('2025: 古尔邦节 matches the notice exactly', () => {
    const { xinjiang } = draftCalendarYear(2025);
    expect(blocks(xinjiang.holidays, '古尔邦节（估计）')).toEqual([datesNamed(xinjiang2025.holidays, '古尔邦节')]);
    expect(datesNamed(xinjiang2025.holidays, '古尔邦节')).toEqual(range('2025-06-06', '2025-06-10'));
  });

  it('2026: matches the shipped provisional estimate', () => {
    const { xinjiang } = draftCalendarYear(2026);
    expect(xinjiang.holidays.map((day) => day.date)).toEqual(xinjiang2026.holidays.map((day) => day.date));
  });

  it('2027: 肉孜节 Tue 9 Mar; 古尔邦节 Sun 16 May through the third weekday', () => {
    const { xinjiang } = draftCalendarYear(2027);
    expect(blocks(xinjiang.holidays, '肉孜节（估计）')).toEqual([['2027-03-09']]);
    expect(blocks(xinjiang.holidays, '古尔邦节（估计）')).toEqual([range('2027-05-16', '2027-05-19')]);
  });

  it('2033: 肉孜节 falls twice in the year and both occurrences are listed', () => {
    const { xinjiang } = draftCalendarYear(2033);
    expect(blocks(xinjiang.holidays, '肉孜节（估计）')).toEqual([['2033-01-03'], ['2033-12-23']]);
  });

  it('2029: a festival inside 春节 gives its weekday off after the national statutory days', () => {
    const { national, xinjiang } = draftCalendarYear(2029);
    expect(datesNamed(national.holidays, '春节')).toEqual(range('2029-02-12', '2029-02-15'));
    expect(blocks(xinjiang.holidays, '肉孜节（估计）')).toEqual([range('2029-02-14', '2029-02-16')]);
  });

  it.each(YEARS)('%i: every block gives 1 (肉孜节) or 3 (古尔邦节) weekdays that are not national days', (year) => {
    const { national, xinjiang } = draftCalendarYear(year);
    const statutory = new Set(national.holidays.map((day) => day.date));
    const free = (dates: IsoDate[]): number => dates.filter((date) => !isWeekend(date) && !statutory.has(date)).length;
    for (const [name, expected] of [
      ['肉孜节（估计）', 1],
      ['古尔邦节（估计）', 3],
    ] as const) {
      const found = blocks(xinjiang.holidays, name);
      expect(found.length).toBeGreaterThanOrEqual(1);
      for (const block of found) expect(free(block)).toBe(expected);
    }
  });

  it('is provisional, tagged as a guess, and marked as estimated', () => {
    const { xinjiang } = draftCalendarYear(2027);
    expect(xinjiang).toMatchObject({ region: 'xinjiang', year: 2027, version: 1, provisional: true });
    expect(xinjiang.makeUpWorkdays).toEqual([]);
    expect(xinjiang.restDayOverrides).toEqual([]);
    expect(xinjiang.evidence.tag).toBe('G');
    expect(xinjiang.evidence.note).toMatch(/^Estimated/);
    expect(xinjiang.evidence.refs.some((ref) => ref.includes('docs/calendars.md'))).toBe(true);
  });
});

describe('draftCalendarYear: as a publishable calendar', () => {
  it.each(YEARS)('%i: validateCalendar accepts both layers unchanged', (year) => {
    const { national, xinjiang } = draftCalendarYear(year);
    expect(validateCalendar(national)).toEqual(national);
    expect(validateCalendar(xinjiang)).toEqual(xinjiang);
  });

  it('counts working days in a drafted year and reports it as unconfirmed', () => {
    const { national, xinjiang } = draftCalendarYear(2027);
    const set = CalendarSet.of([national, xinjiang]);
    // Thu 4 Feb 2027 + 1 working day: Fri 5 Feb (除夕) to Mon 8 Feb are off, so Tue 9 Feb.
    const spring = dueDate({ start: '2027-02-04', amount: 1, unit: 'working-days', region: 'national' }, set);
    expect(spring.due).toBe('2027-02-09');
    expect(spring.explanation.unconfirmed.map((entry) => entry.calendar)).toEqual(['national/2027']);
    expect(spring.explanation.unconfirmed[0]?.note).toMatch(/no 调休 make-up/);
    // Mon 8 Mar + 1 in Xinjiang passes over 肉孜节 (Tue 9 Mar); nationally it does not.
    expect(addWorkingDays(set, 'xinjiang', '2027-03-08', 1)).toBe('2027-03-10');
    expect(addWorkingDays(set, 'national', '2027-03-08', 1)).toBe('2027-03-09');
    expect(() =>
      dueDate(
        { start: '2027-03-08', amount: 1, unit: 'working-days', region: 'xinjiang', requireConfirmed: true },
        set,
      ),
    ).toThrow(expect.objectContaining({ code: 'CALENDAR.UNCONFIRMED' }));
  });

  it('is deterministic', () => {
    expect(draftCalendarYear(2033)).toEqual(draftCalendarYear(2033));
  });

  it('drafts the same years under America/Los_Angeles and Pacific/Kiritimati', () => {
    const script = `
      import { draftCalendarYear } from './libs/domain/src/calendar/draft-calendar.ts';
      const years = [2027, 2033].map((year) => draftCalendarYear(year));
      console.log(JSON.stringify({ offset: new Date('2027-01-15T00:00:00Z').getTimezoneOffset(), years }));`;
    const root = resolve(here, '../../../..');
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: root,
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        }),
      ) as { offset: number; years: unknown };
    const losAngeles = run('America/Los_Angeles');
    const kiritimati = run('Pacific/Kiritimati');
    expect([losAngeles.offset, kiritimati.offset]).toEqual([480, -840]); // the zones really differed
    expect(losAngeles.years).toEqual(kiritimati.years);
    expect(losAngeles.years).toEqual(JSON.parse(JSON.stringify([2027, 2033].map((year) => draftCalendarYear(year)))));
  });

  it.each([2024, 2101, 2027.5, Number.NaN])('refuses year %p', (year) => {
    expect(() => draftCalendarYear(year)).toThrow(expect.objectContaining({ code: 'CALENDAR.DRAFT_YEAR_UNSUPPORTED' }));
  });
});
