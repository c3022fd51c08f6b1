import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import { addDays, fromDayNumber, toDayNumber } from './calendar-date.js';
import type { Region } from './calendar.js';
import { officialCalendarSet } from './official-calendars.js';
import { addCalendarDays, addWorkingDays, dayStatus, isWorkingDay, workingDaysBetween } from './working-days.js';

const set = officialCalendarSet();

describe('isWorkingDay', () => {
  // Every make-up working day of 2025 and 2026 [S P32, P33] counts, in both regions.
  it.each([
    '2025-01-26', // Sun, 春节
    '2025-02-08', // Sat, 春节
    '2025-04-27', // Sun, 劳动节
    '2025-09-28', // Sun, 国庆节、中秋节
    '2025-10-11', // Sat, 国庆节、中秋节
    '2026-01-04', // Sun, 元旦
    '2026-02-14', // Sat, 春节
    '2026-02-28', // Sat, 春节
    '2026-05-09', // Sat, 劳动节
    '2026-09-20', // Sun, 国庆节
    '2026-10-10', // Sat, 国庆节
  ])('make-up day %s is a working day', (date) => {
    for (const region of ['national', 'xinjiang'] as const) {
      expect(dayStatus(set, region, date)).toMatchObject({ working: true, kind: 'make-up-workday' });
    }
  });

  it.each<[string, Region, boolean, string]>([
    ['2025-01-28', 'national', false, 'holiday'], // Tue, 除夕
    ['2025-02-04', 'national', false, 'holiday'], // Tue, last day of 春节
    ['2025-02-05', 'national', true, 'workday'],
    ['2025-02-09', 'national', false, 'weekend'], // the Sunday after the make-up Saturday
    ['2025-05-05', 'national', false, 'holiday'], // Mon
    ['2025-10-08', 'national', false, 'holiday'], // Wed
    ['2026-02-23', 'national', false, 'holiday'], // Mon, last day of 春节
    ['2026-02-21', 'national', false, 'holiday'], // Sat inside the block
    ['2026-09-19', 'national', false, 'weekend'], // the Saturday before the make-up Sunday
    ['2025-03-31', 'national', true, 'workday'], // Mon: 肉孜节 is a Xinjiang holiday only
    ['2025-03-31', 'xinjiang', false, 'holiday'],
    ['2025-06-09', 'national', true, 'workday'],
    ['2025-06-10', 'xinjiang', false, 'holiday'], // Tue, 古尔邦节
    ['2025-06-11', 'xinjiang', true, 'workday'],
    ['2023-04-21', 'xinjiang', false, 'holiday'], // Fri, 肉孜节 [S P35]
    ['2023-04-23', 'xinjiang', true, 'make-up-workday'], // Sun, national 劳动节 make-up day applies in Xinjiang
  ])('%s in %s: working %p (%s)', (date, region, working, kind) => {
    expect(isWorkingDay(set, region, date)).toBe(working);
    expect(dayStatus(set, region, date).kind).toBe(kind);
  });

  it('throws CALENDAR.YEAR_NOT_PUBLISHED for a day of an unpublished year', () => {
    expect(() => isWorkingDay(set, 'national', '2027-01-04')).toThrow(
      expect.objectContaining({
        code: 'CALENDAR.YEAR_NOT_PUBLISHED',
        details: expect.objectContaining({ year: 2027 }),
      }),
    );
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => isWorkingDay(set, 'national', '2025-1-2')).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_DATE', details: expect.objectContaining({ field: 'date' }) }),
    );
  });
});

describe('addWorkingDays: the start day is not counted (民事诉讼法 art. 85)', () => {
  // Hand-computed against the tables of docs/domain.md §4.3.
  it.each<[Region, string, number, string, string]>([
    // 2025 春节: off 28 Jan–4 Feb, make-up Sun 26 Jan and Sat 8 Feb.
    ['national', '2025-01-24', 1, '2025-01-26', 'Fri → make-up Sun'],
    ['national', '2025-01-24', 3, '2025-02-05', '26 Jan, 27 Jan, then the block, 5 Feb'],
    ['national', '2025-01-27', 5, '2025-02-10', '5, 6, 7, Sat 8 Feb, Mon 10 Feb'],
    // 2025 劳动节: off 1–5 May, make-up Sun 27 Apr.
    ['national', '2025-04-25', 1, '2025-04-27', 'Fri → make-up Sun'],
    ['national', '2025-04-25', 2, '2025-04-28', ''],
    ['national', '2025-04-30', 1, '2025-05-06', 'over the 5-day block'],
    // 2025 国庆节、中秋节: off 1–8 Oct, make-up Sun 28 Sep and Sat 11 Oct.
    ['national', '2025-09-26', 1, '2025-09-28', ''],
    ['national', '2025-09-26', 4, '2025-10-09', '28, 29, 30 Sep, 9 Oct'],
    ['national', '2025-09-26', 7, '2025-10-13', '... 10 Oct, Sat 11 Oct, Mon 13 Oct'],
    // 2026 元旦 across the year end: off 1–3 Jan, make-up Sun 4 Jan.
    ['national', '2025-12-31', 1, '2026-01-04', ''],
    ['national', '2025-12-31', 2, '2026-01-05', ''],
    // 2026 春节: off 15–23 Feb, make-up Sat 14 Feb and Sat 28 Feb.
    ['national', '2026-02-12', 2, '2026-02-14', ''],
    ['national', '2026-02-12', 3, '2026-02-24', ''],
    ['national', '2026-02-13', 3, '2026-02-25', 'Sat 14, Tue 24, Wed 25'],
    ['national', '2026-02-24', 4, '2026-02-28', '25, 26, 27, Sat 28'],
    // 2026 劳动节: off 1–5 May, make-up Sat 9 May.
    ['national', '2026-04-30', 1, '2026-05-06', ''],
    ['national', '2026-04-30', 4, '2026-05-09', ''],
    // 2026 中秋节 25–27 Sep and 国庆节 1–7 Oct, make-up Sun 20 Sep and Sat 10 Oct.
    ['national', '2026-09-18', 1, '2026-09-20', 'Fri → make-up Sun'],
    ['national', '2026-09-24', 1, '2026-09-28', 'over 中秋节'],
    ['national', '2026-09-24', 4, '2026-10-08', '28, 29, 30 Sep, 8 Oct'],
    ['national', '2026-09-24', 6, '2026-10-10', '... 9 Oct, Sat 10 Oct'],
    ['national', '2026-09-24', 7, '2026-10-12', ''],
    // Xinjiang 2025 [S P34]: 肉孜节 29–31 Mar, 古尔邦节 6–10 Jun, on top of 端午节 31 May–2 Jun.
    ['national', '2025-03-28', 1, '2025-03-31', ''],
    ['xinjiang', '2025-03-28', 1, '2025-04-01', 'Mon 31 Mar is 肉孜节'],
    ['national', '2025-06-05', 1, '2025-06-06', ''],
    ['xinjiang', '2025-06-05', 1, '2025-06-11', 'Fri 6–Tue 10 Jun is 古尔邦节'],
    ['national', '2025-05-30', 5, '2025-06-09', '3, 4, 5, 6, 9 Jun'],
    ['xinjiang', '2025-05-30', 5, '2025-06-12', '3, 4, 5, 11, 12 Jun'],
    ['xinjiang', '2025-09-26', 7, '2025-10-13', 'the national make-up days apply in Xinjiang'],
    // Zero days: the start itself.
    ['national', '2025-02-01', 0, '2025-02-01', ''],
  ])('%s: %s + %i working days = %s %s', (region, start, n, due) => {
    expect(addWorkingDays(set, region, start, n)).toBe(due);
  });

  it('throws CALENDAR.YEAR_NOT_PUBLISHED when the count runs into 2027', () => {
    expect(() => addWorkingDays(set, 'xinjiang', '2026-12-15', 30)).toThrow(
      expect.objectContaining({
        code: 'CALENDAR.YEAR_NOT_PUBLISHED',
        details: expect.objectContaining({ region: 'xinjiang', year: 2027, missing: 'national/2027' }),
      }),
    );
  });

  it.each([-1, 1.5, Number.NaN])('rejects %p days', (n) => {
    expect(() => addWorkingDays(set, 'national', '2025-01-02', n)).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_AMOUNT' }),
    );
  });
});

describe('addCalendarDays', () => {
  it.each<[Region, string, number, boolean, string]>([
    ['national', '2025-09-24', 7, false, '2025-10-01'],
    ['national', '2025-09-24', 7, true, '2025-10-09'], // ends on 国庆节: next working day
    ['national', '2025-08-03', 60, true, '2025-10-09'], // 2 Oct → 9 Oct
    ['national', '2026-02-21', 7, true, '2026-02-28'], // ends on the make-up Saturday: no roll
    ['national', '2026-05-02', 7, true, '2026-05-09'], // ends on the make-up Saturday: no roll
    ['national', '2025-03-01', 1, true, '2025-03-03'], // ends on an ordinary Sunday
    ['national', '2025-03-22', 7, true, '2025-03-31'], // Sat 29 Mar
    ['xinjiang', '2025-03-22', 7, true, '2025-04-01'], // Sat 29 Mar, then 肉孜节 to Mon 31 Mar
    ['national', '2025-03-03', 4, true, '2025-03-07'], // ends on a working day
  ])('%s: %s + %i calendar days, roll forward %p = %s', (region, start, n, roll, due) => {
    expect(addCalendarDays(set, region, start, n, { rollForwardFromRestDay: roll })).toBe(due);
  });

  it('needs no published calendar when it does not roll forward', () => {
    expect(addCalendarDays(set, 'national', '2027-06-01', 7, { rollForwardFromRestDay: false })).toBe('2027-06-08');
    expect(() => addCalendarDays(set, 'national', '2027-06-01', 7, { rollForwardFromRestDay: true })).toThrow(
      DomainError,
    );
  });
});

describe('workingDaysBetween counts (from, to]', () => {
  it.each<[Region, string, string, number]>([
    ['national', '2025-09-15', '2025-10-31', 30], // the 低保 example of due-dates.spec.ts
    ['national', '2025-01-27', '2025-02-05', 1],
    ['national', '2025-01-24', '2025-01-26', 1],
    ['xinjiang', '2025-05-30', '2025-06-12', 5],
    ['national', '2025-05-30', '2025-06-12', 8],
    ['national', '2025-02-05', '2025-02-05', 0],
    ['national', '2025-02-05', '2025-01-27', -1],
  ])('%s: (%s, %s] holds %i working days', (region, from, to, count) => {
    expect(workingDaysBetween(set, region, from, to)).toBe(count);
  });
});

describe('properties over 2023–2026', () => {
  // Starts late enough in 2026 would run into unpublished 2027; 60 working days from 31 Aug stay in 2026.
  const region = fc.constantFrom<Region>('national', 'xinjiang');
  const start = fc
    .integer({ min: toDayNumber('2023-01-01'), max: toDayNumber('2026-08-31') })
    .map((dayNumber) => fromDayNumber(dayNumber));
  const amount = fc.integer({ min: 0, max: 60 });

  it('adding N working days then counting back gives N, and the day before gives N − 1', () => {
    fc.assert(
      fc.property(region, start, amount, (r, s, n) => {
        const due = addWorkingDays(set, r, s, n);
        expect(workingDaysBetween(set, r, s, due)).toBe(n);
        if (n > 0) expect(workingDaysBetween(set, r, s, addDays(due, -1))).toBe(n - 1);
      }),
    );
  });

  it('no working-day due date falls on a non-working day', () => {
    fc.assert(
      fc.property(region, start, fc.integer({ min: 1, max: 60 }), (r, s, n) => {
        expect(isWorkingDay(set, r, addWorkingDays(set, r, s, n))).toBe(true);
      }),
    );
  });

  it('a rolled-forward calendar-day period ends on a working day, never before the plain end', () => {
    fc.assert(
      fc.property(region, start, amount, (r, s, n) => {
        const plain = addCalendarDays(set, r, s, n, { rollForwardFromRestDay: false });
        const rolled = addCalendarDays(set, r, s, n, { rollForwardFromRestDay: true });
        expect(isWorkingDay(set, r, rolled)).toBe(true);
        expect(toDayNumber(rolled)).toBeGreaterThanOrEqual(toDayNumber(plain));
        expect(workingDaysBetween(set, r, plain, rolled)).toBe(isWorkingDay(set, r, plain) ? 0 : 1);
      }),
    );
  });

  it('Xinjiang never ends earlier than national (the shipped Xinjiang layers only add rest days)', () => {
    fc.assert(
      fc.property(start, amount, (s, n) => {
        const national = addWorkingDays(set, 'national', s, n);
        expect(toDayNumber(addWorkingDays(set, 'xinjiang', s, n))).toBeGreaterThanOrEqual(toDayNumber(national));
      }),
    );
  });
});
