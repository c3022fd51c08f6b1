import { endOfDayInShanghai, officialCalendarSet, startOfDayInShanghai } from '@minsheng/domain';
import { levelAbove } from './escalation-level.js';
import { timerInstants, timerJobId } from './clock-timing.js';

const set = officialCalendarSet();

describe('timer instants', () => {
  it('reminds two working days before the due day and escalates two working days after it', () => {
    // Due Fri 31 Oct 2025: reminder at 00:00 Wed 29 Oct, escalation at the end of Tue 4 Nov.
    const instants = timerInstants(
      {
        startedAt: new Date('2025-09-15T02:00:00Z'),
        dueAt: endOfDayInShanghai('2025-10-31'),
        region: 'xinjiang',
        kind: 'deadline',
      },
      set,
    );
    expect(instants).toEqual({
      reminder: startOfDayInShanghai('2025-10-29'),
      due: endOfDayInShanghai('2025-10-31'),
      escalation: endOfDayInShanghai('2025-11-04'),
    });
  });

  it('counts back over a holiday block and a make-up day', () => {
    // Due Thu 9 Oct 2025, right after the National Day block (1–8 Oct off): the two working days before it are
    // Tue 30 and Mon 29 Sep, so the reminder is at 00:00 Mon 29 Sep.
    const instants = timerInstants(
      {
        startedAt: new Date('2025-09-01T02:00:00Z'),
        dueAt: endOfDayInShanghai('2025-10-09'),
        region: 'xinjiang',
        kind: 'deadline',
      },
      set,
    );
    expect(instants.reminder).toEqual(startOfDayInShanghai('2025-09-29'));
    // After Thu 9 Oct: Fri 10 and the make-up Saturday 11 Oct.
    expect(instants.escalation).toEqual(endOfDayInShanghai('2025-10-11'));
  });

  it('sets no reminder for a limit too short to warn, and only the due timer for a waiting period', () => {
    const short = timerInstants(
      {
        startedAt: new Date('2025-10-28T02:00:00Z'),
        dueAt: endOfDayInShanghai('2025-10-30'),
        region: 'xinjiang',
        kind: 'deadline',
      },
      set,
    );
    expect(short.reminder).toBeUndefined();
    const period = timerInstants(
      {
        startedAt: new Date('2025-10-20T02:00:00Z'),
        dueAt: endOfDayInShanghai('2025-10-27'),
        region: 'xinjiang',
        kind: 'period',
      },
      set,
    );
    expect(period).toEqual({ due: endOfDayInShanghai('2025-10-27') });
  });

  it('names jobs without colons, by clock, kind and generation', () => {
    expect(timerJobId('c1', 'due', 3)).toBe('clock-c1-due-g3');
  });
});

describe('levelAbove', () => {
  it.each([
    ['street', '650102002', 'district', '650102'],
    ['district', '650102', 'city', '650100'],
    ['city', '650100', 'city', '650100'],
    ['community', '650102002001', 'street', '650102002'],
  ])('%s %s escalates to %s %s', (level, division, upLevel, upDivision) => {
    expect(levelAbove(level, division)).toEqual({ level: upLevel, division: upDivision });
  });
});
