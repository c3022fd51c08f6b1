import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addDays, isWeekend } from './calendar-date.js';
import { OFFICIAL_CALENDARS } from './official-calendars.js';
import { CalendarSet } from './calendar-set.js';
import { isWorkingDay } from './working-days.js';

/**
 * Cross-check of the national data against the npm package chinese-days (src/holidays/generate.ts quotes each
 * State Council notice; dist/years/YYYY.json is its data). Its `holidays` are the days off of the notices'
 * blocks, its `workdays` the make-up working days (调休上班日). As of chinese-days 1.5.7 the two sources agree on
 * every date of 2023–2026; the package also files 2022-12-31 (the 2023 notice's 元旦 block) under 2022, as we do.
 */
const packageDir = dirname(createRequire(import.meta.url).resolve('chinese-days/package.json'));

interface YearFile {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

function yearFile(year: number): YearFile {
  return JSON.parse(readFileSync(join(packageDir, 'dist', 'years', `${year}.json`), 'utf8')) as YearFile;
}

const nationalYears = OFFICIAL_CALENDARS.filter((calendar) => calendar.region === 'national');

describe('national calendars agree with the chinese-days package', () => {
  it('covers 2023 to 2026', () => {
    expect(nationalYears.map((calendar) => calendar.year)).toEqual([2023, 2024, 2025, 2026]);
  });

  it.each(nationalYears.map((calendar) => [calendar.year, calendar] as const))('%i', (year, calendar) => {
    const expected = yearFile(year);
    expect(calendar.holidays.map((day) => day.date).sort()).toEqual(Object.keys(expected.holidays).sort());
    expect(calendar.makeUpWorkdays.map((day) => day.date).sort()).toEqual(Object.keys(expected.workdays).sort());
  });

  it.each(nationalYears.map((calendar) => [calendar.year] as const))('day by day in %i', (year) => {
    const set = CalendarSet.of(nationalYears);
    const { holidays, workdays } = yearFile(year);
    const disagreements: string[] = [];
    for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addDays(date, 1)) {
      const theirs = date in workdays || (!(date in holidays) && !isWeekend(date));
      if (isWorkingDay(set, 'national', date) !== theirs) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
  });
});
