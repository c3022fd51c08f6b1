import { officialCalendarSet } from '../calendar/official-calendars.js';
import { decisionDay, forecastBreaches } from './backlog-forecast.js';
import { decisionWindowStart, forecastOfficeBacklog } from './office-forecast.js';

describe('decisionDay', () => {
  it.each([
    // rate 7 per 3 working days: positions 0..7 are decided on days ⌈(i+1)·3/7⌉
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [6, 3],
    [7, 4],
  ])('position %i at 7/3 per day → day %i', (position, day) => {
    expect(decisionDay(position, { decided: 7, workingDays: 3 })).toBe(day);
  });

  it('is null when the office decides nothing', () => {
    expect(decisionDay(0, { decided: 0, workingDays: 10 })).toBeNull();
  });
});

describe('forecastBreaches (FIFO by due date)', () => {
  it('counts, by hand, a backlog at 2 decisions per working day', () => {
    // Sorted queue: [0 (overdue), 1, 1, 1, 2, 2, 3, 5] + one undated.
    // Decision days at 2/day: positions 0..7 → 1, 1, 2, 2, 3, 3, 4, 4.
    // Breaches: pos 2 (due 1, day 2), pos 3 (due 1, day 2), pos 4 and 5 (due 2, day 3), pos 6 (due 3, day 4).
    const forecast = forecastBreaches([3, 1, null, 2, 0, 1, 5, 2, 1], { decided: 10, workingDays: 5 });
    expect(forecast).toEqual({
      open: 9,
      overdue: 1,
      undated: 1,
      ratePerDay: 2,
      clearanceDays: 5,
      breaches: { 1: 2, 3: 5, 10: 5 },
    });
  });

  it('counts every future task due within the horizon when nothing is decided', () => {
    const forecast = forecastBreaches([1, 2, 4, 11, -3], { decided: 0, workingDays: 10 });
    expect(forecast.breaches).toEqual({ 1: 1, 3: 2, 10: 3 });
    expect(forecast.overdue).toBe(1);
    expect(forecast.clearanceDays).toBeNull();
  });

  it('counts the one task a barely sufficient rate misses', () => {
    const forecast = forecastBreaches([1, 2, 3, 3, 10], { decided: 5, workingDays: 5 });
    // positions 0..4 decided on days 1..5; due days 1, 2, 3, 3, 10: only position 3 (due 3, day 4) breaches.
    expect(forecast.breaches).toEqual({ 1: 0, 3: 1, 10: 1 });
  });

  it('lets overdue tasks take capacity first', () => {
    // Two overdue tasks fill day 1 at 2/day, so the task due on day 1 is decided on day 2.
    expect(forecastBreaches([1, 0, -1], { decided: 2, workingDays: 1 }).breaches[1]).toBe(1);
    expect(forecastBreaches([1], { decided: 2, workingDays: 1 }).breaches[1]).toBe(0);
  });

  it('accepts custom horizons and refuses nonsense', () => {
    expect(forecastBreaches([2], { decided: 0, workingDays: 1 }, [2]).breaches).toEqual({ 2: 1 });
    expect(() => forecastBreaches([], { decided: 1, workingDays: 0 })).toThrow('rate.workingDays');
    expect(() => forecastBreaches([1.5], { decided: 1, workingDays: 1 })).toThrow('dueDay');
  });
});

describe('forecastOfficeBacklog on the Xinjiang calendar', () => {
  const set = officialCalendarSet();

  it('counts due days in working days after the forecast date (National Day 2025)', () => {
    // As of Tue 2025-09-30: 1–8 October are holidays; day 1 = Thu 9 Oct, day 2 = Fri 10 Oct, day 3 = Sat 11 Oct
    // (make-up working day), day 4 = Mon 13 Oct.
    const forecast = forecastOfficeBacklog({
      set,
      region: 'xinjiang',
      asOf: '2025-09-30',
      dueDates: ['2025-10-09', '2025-10-09', '2025-10-11', '2025-10-13', '2025-09-30', null],
      decided: 1,
      windowDays: 1,
    });
    // Queue: overdue (day 1), 9 Oct (day 2 > 1), 9 Oct (day 3 > 1), 11 Oct = day 3 (day 4 > 3), 13 Oct = day 4 (day 5).
    expect(forecast.breaches).toEqual({ 1: 2, 3: 3, 10: 4 });
    expect(forecast.overdue).toBe(1);
  });

  it('measures the rate over the working days strictly before the forecast date', () => {
    // 29 Sep (Mon), 28 Sep (Sun, make-up working day), 26, 25, 24 Sep.
    expect(decisionWindowStart(set, 'xinjiang', '2025-09-30', 5)).toBe('2025-09-24');
    expect(decisionWindowStart(set, 'xinjiang', '2025-10-09', 1)).toBe('2025-09-30');
  });
});
