import {
  addDays,
  addWorkingDays,
  type CalendarSet,
  DomainError,
  endOfDayInShanghai,
  isWorkingDay,
  type IsoDate,
  type Region,
  startOfDayInShanghai,
  toShanghaiDate,
} from '@minsheng/domain';

/**
 * Reminder policy: at 00:00 China Standard Time of the second working day before the due day, so the office has
 * that day, the next and the due day itself (three working days) to finish. Counting back in working days, not
 * as a share of the limit, keeps the warning the same size before a holiday block as in an ordinary week.
 * No reminder when that instant is not after the clock started (limits of two working days or fewer).
 */
export const REMINDER_WORKING_DAYS_BEFORE = 2;

/**
 * Escalation policy: a step still open at the end of the second working day after its due day goes one more
 * level up (the breach itself already opened a task for the supervisor one level above the step).
 */
export const ESCALATION_WORKING_DAYS_AFTER = 2;

export { timerJobId, type TimerKind } from '@minsheng/infra';

export interface TimerInstants {
  readonly reminder?: Date;
  readonly due: Date;
  readonly escalation?: Date;
}

function workingDayBefore(set: CalendarSet, region: Region, date: IsoDate, n: number): IsoDate {
  let day = date;
  for (let found = 0; found < n;) {
    day = addDays(day, -1);
    if (isWorkingDay(set, region, day)) found += 1;
  }
  return day;
}

/** When each timer of a deadline clock fires. `dueAt` is the exclusive end of the due day (the breach instant). */
export function timerInstants(
  clock: { startedAt: Date; dueAt: Date; region: Region; kind: 'deadline' | 'period' },
  set: CalendarSet,
): TimerInstants {
  if (clock.kind === 'period') return { due: clock.dueAt };
  const dueDay = toShanghaiDate(new Date(clock.dueAt.getTime() - 1));
  let reminder: Date | undefined;
  let escalation: Date;
  try {
    const remindOn = startOfDayInShanghai(workingDayBefore(set, clock.region, dueDay, REMINDER_WORKING_DAYS_BEFORE));
    if (remindOn.getTime() > clock.startedAt.getTime()) reminder = remindOn;
  } catch (error) {
    // The previous year is not published (a clock due in early January): no reminder rather than a guessed one.
    if (!(error instanceof DomainError)) throw error;
  }
  try {
    escalation = endOfDayInShanghai(addWorkingDays(set, clock.region, dueDay, ESCALATION_WORKING_DAYS_AFTER));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // The next year is not published yet: escalate after two calendar days rather than never.
    escalation = endOfDayInShanghai(addDays(dueDay, ESCALATION_WORKING_DAYS_AFTER));
  }
  return { ...(reminder ? { reminder } : {}), due: clock.dueAt, escalation };
}
