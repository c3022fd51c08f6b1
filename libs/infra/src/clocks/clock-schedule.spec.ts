import { addWorkingDays, dueDate, endOfDayInShanghai, officialCalendarSet } from '@minsheng/domain';
import { type ClockFacts, scheduleClock } from './clock-schedule.js';

const set = officialCalendarSet();
/** 10:00 China Standard Time on Mon 15 Sep 2025. */
const ACCEPTED = new Date('2025-09-15T02:00:00Z');
const base: ClockFacts = {
  startedAt: ACCEPTED,
  limitAmount: 30,
  unit: 'working-days',
  region: 'xinjiang',
  source: '民发〔2021〕57号',
  pausedAt: null,
  pauses: [],
  extensions: [],
};

describe('scheduleClock', () => {
  it('without pauses is exactly the calendar domain count', () => {
    const schedule = scheduleClock(base, set);
    expect(schedule.due).toBe('2025-10-31');
    expect(schedule.dueAt).toEqual(endOfDayInShanghai('2025-10-31'));
    expect(schedule.explanation.count).toEqual(
      dueDate({ start: '2025-09-15', amount: 30, unit: 'working-days', region: 'xinjiang', source: base.source }, set)
        .explanation,
    );
    expect(schedule.explanation).toMatchObject({ startDate: '2025-09-15', usedBeforeLastResume: 0, pauses: [] });
  });

  it('does not count the working days a pause (补正) lasted', () => {
    // Used before the pause: 16–19 and 22 Sep (5). Counted from Mon 29 Sep: 25 more, due Mon 10 Nov.
    const schedule = scheduleClock(
      { ...base, pauses: [{ from: '2025-09-22T03:00:00Z', to: '2025-09-29T03:00:00Z' }] },
      set,
    );
    expect(schedule.due).toBe('2025-11-10');
    expect(schedule.explanation.usedBeforeLastResume).toBe(5);
    // 23–26 Sep, the make-up Sunday 28 Sep and 29 Sep: six working days not charged to the office.
    expect(schedule.explanation.pauses).toEqual([
      { from: '2025-09-22T03:00:00Z', to: '2025-09-29T03:00:00Z', daysNotCounted: 6 },
    ]);
    expect(schedule.due).toBe(addWorkingDays(set, 'xinjiang', '2025-09-15', 36));
  });

  it('accepts the engine’s pause entries ({ from, to, unitsLeft })', () => {
    const schedule = scheduleClock(
      { ...base, pauses: [{ from: '2025-09-22T03:00:00Z', to: '2025-09-29T03:00:00Z', unitsLeft: 25 }] },
      set,
    );
    expect(schedule.due).toBe('2025-11-10');
  });

  it('keeps the due date while paused and says what remains', () => {
    const schedule = scheduleClock({ ...base, pausedAt: new Date('2025-09-22T03:00:00Z') }, set);
    expect(schedule.due).toBe('2025-10-31');
    expect(schedule.explanation.remainingWhenPaused).toBe(25);
  });

  it('counts an extension (30 → 45 working days) from the start', () => {
    const extension = {
      toAmount: 45,
      reason: '情况复杂',
      actor: 'staff:s1',
      source: '民发〔2021〕57号',
      at: '2025-10-20',
    };
    const schedule = scheduleClock({ ...base, extensions: [extension] }, set);
    expect(schedule.due).toBe('2025-11-21');
    expect(schedule.explanation).toMatchObject({ amount: 45, originalAmount: 30, extensions: [extension] });
  });

  it('is due on the resume day when the limit had run out before the pause', () => {
    const schedule = scheduleClock(
      { ...base, limitAmount: 2, pauses: [{ from: '2025-09-22T03:00:00Z', to: '2025-09-24T03:00:00Z' }] },
      set,
    );
    expect(schedule.due).toBe('2025-09-24');
  });

  it('reads months as calendar months', () => {
    const schedule = scheduleClock(
      { ...base, unit: 'months', limitAmount: 1, startedAt: new Date('2025-01-31T02:00:00Z') },
      set,
    );
    expect(schedule.due).toBe('2025-02-28');
  });

  it('fails closed for a count into an unpublished year', () => {
    expect(() => scheduleClock({ ...base, startedAt: new Date('2026-12-20T02:00:00Z') }, set)).toThrow(
      expect.objectContaining({ code: 'CALENDAR.YEAR_NOT_PUBLISHED' }),
    );
  });
});
