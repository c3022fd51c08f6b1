import fc from 'fast-check';
import { addDays, daysBetween, fromDayNumber, isIsoDate, isWeekend, toDayNumber, weekdayOf } from './calendar-date.js';

describe('ISO calendar dates', () => {
  it.each([
    ['2025-01-01', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2025-13-01', false],
    ['2025-04-31', false],
    ['2025-00-10', false],
    ['2025-1-01', false],
    ['2025-01-01T00:00:00Z', false],
    ['', false],
    [20250101, false],
    [null, false],
  ])('isIsoDate(%p) is %p', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['2025-01-01', 20089],
  ])('%s is day number %i', (date, dayNumber) => {
    expect(toDayNumber(date)).toBe(dayNumber);
    expect(fromDayNumber(dayNumber)).toBe(date);
  });

  it.each([
    ['2025-01-26', 0], // the make-up Sunday of the 2025 Spring Festival
    ['2025-02-08', 6],
    ['2025-10-01', 3],
    ['2026-01-01', 4],
    ['2026-02-28', 6],
    ['2026-09-20', 0],
  ])('%s falls on weekday %i', (date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
    expect(isWeekend(date)).toBe(weekday === 0 || weekday === 6);
  });

  it('adds days across month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-08-03', '2025-10-02')).toBe(60);
  });

  it('agrees with the UTC calendar of the platform on every day from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2100-12-31') }), (dayNumber) => {
        const date = fromDayNumber(dayNumber);
        const utc = new Date(dayNumber * 86_400_000);
        expect(date).toBe(utc.toISOString().slice(0, 10));
        expect(weekdayOf(date)).toBe(utc.getUTCDay());
        expect(toDayNumber(date)).toBe(dayNumber);
      }),
    );
  });
});
