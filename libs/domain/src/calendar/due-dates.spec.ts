import { dueDate, dueDateForLimit, type StatutoryLimit } from './due-dates.js';
import type { Calendar } from './calendar.js';
import { national2025 } from './national/2025.js';
import { officialCalendarSet } from './official-calendars.js';

const set = officialCalendarSet();

/** 低保: from acceptance to decision 30 working days, 45 in special cases [R 民发〔2021〕57号; S P10]. */
const MINIMUM_LIVING_DECISION: StatutoryLimit = { amount: 30, unit: 'working-days', source: '民发〔2021〕57号 [R]' };
const MINIMUM_LIVING_EXTENDED: StatutoryLimit = { amount: 45, unit: 'working-days', source: '民发〔2021〕57号 [R]' };

describe('dueDate', () => {
  describe('the 低保 overall limit from acceptance (Mon 15 Sep 2025, Urumqi)', () => {
    // Hand count: 16–19 Sep (4), 22–26 Sep (9), Sun 28 Sep (10), 29–30 Sep (12), 1–8 Oct off, 9–10 Oct (14),
    // Sat 11 Oct (15), 13–17 Oct (20), 20–24 Oct (25), 27–31 Oct (30).
    const result = dueDateForLimit(MINIMUM_LIVING_DECISION, '2025-09-15', 'xinjiang', set);

    it('is due on Fri 31 Oct 2025', () => {
      expect(result.due).toBe('2025-10-31');
    });

    it('explains the count', () => {
      const { explanation } = result;
      expect(explanation).toMatchObject({
        start: '2025-09-15',
        unit: 'working-days',
        amount: 30,
        region: 'xinjiang',
        source: '民发〔2021〕57号 [R]',
        calendarVersions: { 'national/2025': 1, 'xinjiang/2025': 1 },
        unconfirmed: [],
      });
      expect(explanation.countedDays).toHaveLength(30);
      expect(explanation.countedDays[0]).toBe('2025-09-16');
      expect(explanation.countedDays[29]).toBe('2025-10-31');
      expect(explanation.makeUpDaysCounted).toEqual([
        { date: '2025-09-28', name: '国庆节、中秋节调休上班' },
        { date: '2025-10-11', name: '国庆节、中秋节调休上班' },
      ]);
      const holidays = explanation.skipped.filter((day) => day.reason === 'holiday').map((day) => day.date);
      expect(holidays).toEqual([
        '2025-10-01',
        '2025-10-02',
        '2025-10-03',
        '2025-10-04',
        '2025-10-05',
        '2025-10-06',
        '2025-10-07',
        '2025-10-08',
      ]);
      const weekends = explanation.skipped.filter((day) => day.reason === 'weekend').map((day) => day.date);
      expect(weekends).toEqual([
        '2025-09-20',
        '2025-09-21',
        '2025-09-27',
        '2025-10-12',
        '2025-10-18',
        '2025-10-19',
        '2025-10-25',
        '2025-10-26',
      ]);
      // Every day after the start up to the due date is either counted or skipped, exactly once.
      expect(explanation.countedDays.length + explanation.skipped.length).toBe(46);
    });

    it('extends to Fri 21 Nov 2025 with 45 working days', () => {
      expect(dueDateForLimit(MINIMUM_LIVING_EXTENDED, '2025-09-15', 'xinjiang', set).due).toBe('2025-11-21');
    });
  });

  it('counts 低保 across the 2026 Spring Festival, flagging the provisional Xinjiang 2026 calendar', () => {
    // 21 Jan–13 Feb (18), Sat 14 Feb (19), 15–23 Feb off, 24–27 Feb (23), Sat 28 Feb (24), 2–6 Mar (29), Mon 9 Mar.
    const national = dueDateForLimit(MINIMUM_LIVING_DECISION, '2026-01-20', 'national', set);
    const urumqi = dueDateForLimit(MINIMUM_LIVING_DECISION, '2026-01-20', 'xinjiang', set);
    expect(national.due).toBe('2026-03-09');
    expect(national.explanation.unconfirmed).toEqual([]);
    expect(urumqi.due).toBe('2026-03-09');
    expect(urumqi.explanation.makeUpDaysCounted.map((day) => day.date)).toEqual(['2026-02-14', '2026-02-28']);
    expect(urumqi.explanation.unconfirmed).toEqual([
      expect.objectContaining({ calendar: 'xinjiang/2026', version: 1 }),
    ]);
  });

  it('refuses a provisional calendar when confirmed ones are required', () => {
    expect(() =>
      dueDateForLimit(MINIMUM_LIVING_DECISION, '2026-01-20', 'xinjiang', set, { requireConfirmed: true }),
    ).toThrow(expect.objectContaining({ code: 'CALENDAR.UNCONFIRMED', details: { calendars: ['xinjiang/2026'] } }));
    expect(
      dueDateForLimit(MINIMUM_LIVING_DECISION, '2025-09-15', 'xinjiang', set, { requireConfirmed: true }).due,
    ).toBe('2025-10-31');
  });

  it('lists the Xinjiang festivals it skipped', () => {
    const { due, explanation } = dueDate(
      { start: '2025-06-05', amount: 1, unit: 'working-days', region: 'xinjiang' },
      set,
    );
    expect(due).toBe('2025-06-11');
    expect(explanation.skipped).toEqual([
      { date: '2025-06-06', reason: 'holiday', name: '古尔邦节' },
      { date: '2025-06-07', reason: 'holiday', name: '古尔邦节' },
      { date: '2025-06-08', reason: 'holiday', name: '古尔邦节' },
      { date: '2025-06-09', reason: 'holiday', name: '古尔邦节' },
      { date: '2025-06-10', reason: 'holiday', name: '古尔邦节' },
    ]);
  });

  it('names the version of a corrected calendar it used', () => {
    const correction: Calendar = { ...national2025, version: 2 };
    const { explanation } = dueDate(
      { start: '2025-03-03', amount: 3, unit: 'working-days', region: 'national' },
      set.with(correction),
    );
    expect(explanation.calendarVersions).toEqual({ 'national/2025': 2 });
  });

  describe('calendar days', () => {
    it('rolls a period ending on 国庆节 forward to the next working day, and says so', () => {
      const { due, explanation } = dueDate(
        { start: '2025-09-24', amount: 7, unit: 'calendar-days', region: 'national', rollForward: true },
        set,
      );
      expect(due).toBe('2025-10-09');
      expect(explanation.rolledForwardFrom).toBe('2025-10-01');
      expect(explanation.countedDays).toEqual([
        '2025-09-25',
        '2025-09-26',
        '2025-09-27',
        '2025-09-28',
        '2025-09-29',
        '2025-09-30',
        '2025-10-01',
      ]);
      expect(explanation.skipped.map((day) => day.date)).toEqual([
        '2025-10-01',
        '2025-10-02',
        '2025-10-03',
        '2025-10-04',
        '2025-10-05',
        '2025-10-06',
        '2025-10-07',
        '2025-10-08',
      ]);
      expect(explanation.calendarVersions).toEqual({ 'national/2025': 1 });
    });

    it('does not roll by default: a public notice of 7 days ends on its 7th day', () => {
      const { due, explanation } = dueDate(
        { start: '2025-09-24', amount: 7, unit: 'calendar-days', region: 'national' },
        set,
      );
      expect(due).toBe('2025-10-01');
      expect(explanation.rolledForwardFrom).toBeUndefined();
      expect(explanation.skipped).toEqual([]);
      expect(explanation.calendarVersions).toEqual({});
    });

    it('ends on a make-up Saturday without rolling, and shows that day as counted', () => {
      const { due, explanation } = dueDate(
        { start: '2026-02-21', amount: 7, unit: 'calendar-days', region: 'national', rollForward: true },
        set,
      );
      expect(due).toBe('2026-02-28');
      expect(explanation.rolledForwardFrom).toBeUndefined();
      expect(explanation.makeUpDaysCounted).toEqual([{ date: '2026-02-28', name: '春节调休上班' }]);
    });
  });

  it.each([
    [{ start: '2025-13-01' }, 'CALENDAR.INVALID_DATE', 'start'],
    [{ amount: 0 }, 'CALENDAR.INVALID_AMOUNT', 'amount'],
    [{ amount: 2.5 }, 'CALENDAR.INVALID_AMOUNT', 'amount'],
    [{ unit: 'weeks' }, 'CALENDAR.INVALID_UNIT', 'unit'],
    [{ region: 'urumqi' }, 'CALENDAR.INVALID_REGION', 'region'],
  ])('rejects %p with %s', (change, code, field) => {
    const request = { start: '2025-03-03', amount: 3, unit: 'working-days', region: 'national', ...change };
    expect(() => dueDate(request as Parameters<typeof dueDate>[0], set)).toThrow(
      expect.objectContaining({ code, details: expect.objectContaining({ field }) }),
    );
  });

  it('throws CALENDAR.YEAR_NOT_PUBLISHED instead of guessing 2027', () => {
    expect(() => dueDate({ start: '2026-12-01', amount: 30, unit: 'working-days', region: 'national' }, set)).toThrow(
      expect.objectContaining({ code: 'CALENDAR.YEAR_NOT_PUBLISHED' }),
    );
  });
});
