import {
  addWorkingDays,
  draftCalendarYear,
  dueDate,
  endOfDayInShanghai,
  officialCalendarSet,
  OFFICIAL_CALENDARS,
} from '../index.js';
import { type ClockFacts, planClock, scheduleClock } from './clock-schedule.js';

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

describe('planClock: a due date is provisional when its count used a provisional layer', () => {
  /** Thu 10 Dec 2026, 10:00 CST: 30 working days reach 22 Jan 2027. */
  const december = { ...base, startedAt: new Date('2026-12-10T02:00:00Z') };
  const draft = draftCalendarYear(2027);
  const confirmed = (calendar: (typeof OFFICIAL_CALENDARS)[number]) => ({
    ...calendar,
    version: calendar.version + 1,
    provisional: false,
  });

  it('has no due date, and so nothing provisional, while the year is not published', () => {
    expect(planClock(december, set)).toMatchObject({
      dueAt: null,
      calendarMissing: 'national/2027',
      provisional: false,
    });
  });

  it('is provisional in a drafted year, and while any layer it touches is', () => {
    const plan = planClock(december, set.with(draft.national, draft.xinjiang));
    expect(plan).toMatchObject({ due: '2027-01-22', provisional: true });
    // The shipped Xinjiang 2026 layer is provisional too: confirming both 2027 layers is not enough.
    const official2027 = set.with(confirmed(draft.national), confirmed(draft.xinjiang));
    expect(planClock(december, official2027)).toMatchObject({ due: '2027-01-22', provisional: true });
    const xinjiang2026 = OFFICIAL_CALENDARS.find((c) => c.region === 'xinjiang' && c.year === 2026)!;
    const plan2 = planClock(december, official2027.with(confirmed(xinjiang2026)));
    expect(plan2).toMatchObject({ due: '2027-01-22', provisional: false });
    expect(plan2.explanation).toMatchObject({ count: { unconfirmed: [] } });
  });

  it('is not provisional in official years', () => {
    expect(planClock(base, set)).toMatchObject({ due: '2025-10-31', provisional: false });
  });
});
