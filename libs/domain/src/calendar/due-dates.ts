import { DomainError } from '../errors/domain-error.js';
import { addDays, assertIsoDate, type IsoDate } from './calendar-date.js';
import { CalendarUnconfirmedError, InvalidPeriodError } from './calendar-errors.js';
import type { CalendarSet } from './calendar-set.js';
import {
  calendarKey,
  REGIONS,
  type CalendarDay,
  type CalendarKey,
  type Region,
  type UnconfirmedCalendar,
} from './calendar.js';
import { dayStatus, walkWorkingDays, type DayStatus } from './working-days.js';

/**
 * How a limit is counted:
 * - `working-days`: "N个工作日" (行政许可法 art. 82 [V L7]; the civil-affairs rules for 低保, 特困, 两项补贴 [R 57号]);
 * - `calendar-days`: "N天"/"N日" read as calendar days (public-notice periods [G]; 民事诉讼法 art. 85 [V L11]).
 */
export type PeriodUnit = 'working-days' | 'calendar-days';

/**
 * A time limit as a regulation states it; the workflow machines use the same shape.
 * `rollForward` applies to calendar days only: a period whose last day is a rest day ends on the next working day
 * (民事诉讼法 art. 85 [V L11]). A working-day count always ends on a working day.
 */
export interface StatutoryLimit {
  amount: number;
  unit: PeriodUnit;
  /** The regulation and article, e.g. `民发〔2021〕57号 (30个工作日) [R]`. */
  source: string;
  rollForward?: boolean;
}

export interface DueDateRequest {
  /** The day the period starts from (e.g. the acceptance day, 受理日), not itself counted. */
  start: IsoDate;
  amount: number;
  unit: PeriodUnit;
  region: Region;
  /** Calendar days only; default false (roll forward only where the rule says so). */
  rollForward?: boolean;
  /** Refuse (`CALENDAR.UNCONFIRMED`) instead of using a provisional calendar. Default false. */
  requireConfirmed?: boolean;
  /** The legal source of the limit, copied into the explanation. */
  source?: string;
}

export interface SkippedDay {
  readonly date: IsoDate;
  readonly reason: 'weekend' | 'holiday';
  /** The holiday, or the overridden make-up day, as the notice names it. */
  readonly name?: string;
}

/** Everything a reviewer needs to check a due date by hand. */
export interface DueDateExplanation {
  readonly start: IsoDate;
  readonly unit: PeriodUnit;
  readonly amount: number;
  readonly region: Region;
  readonly source?: string;
  /** Working days: the working days counted, in order. Calendar days: every day of the period. */
  readonly countedDays: readonly IsoDate[];
  /** Working days: the rest days passed over. Calendar days: the rest days the end was rolled over. */
  readonly skipped: readonly SkippedDay[];
  /** Weekend days counted because a notice made them working days (调休上班日). */
  readonly makeUpDaysCounted: readonly CalendarDay[];
  /** Calendar days only: the last day of the period before rolling forward, when it was a rest day. */
  readonly rolledForwardFrom?: IsoDate;
  /** The version of every published calendar consulted, e.g. `{ 'national/2025': 1, 'xinjiang/2025': 1 }`. */
  readonly calendarVersions: Readonly<Partial<Record<CalendarKey, number>>>;
  /** Provisional calendars consulted: the due date rests on estimated dates. Empty when all are official. */
  readonly unconfirmed: readonly UnconfirmedCalendar[];
  /** The counting rules applied, with their legal sources. */
  readonly rules: readonly string[];
}

export interface DueDate {
  readonly due: IsoDate;
  readonly explanation: DueDateExplanation;
}

const START_NOT_COUNTED = '民事诉讼法 art. 85: the start day is not counted';
const WORKING_DAYS =
  'working days (工作日, as in 行政许可法 art. 82): weekends and holidays skipped, 调休上班日 counted (docs/domain.md §4.2)';
const ROLL_FORWARD = '民事诉讼法 art. 85: a period ending on a rest day ends on the next working day';

function skippedDay(status: DayStatus): SkippedDay {
  const reason = status.kind === 'holiday' ? 'holiday' : 'weekend';
  return status.name === undefined ? { date: status.date, reason } : { date: status.date, reason, name: status.name };
}

function makeUpDay(status: DayStatus): CalendarDay[] {
  return status.kind === 'make-up-workday' && status.name !== undefined
    ? [{ date: status.date, name: status.name }]
    : [];
}

function provenance(consulted: readonly DayStatus[]) {
  const calendarVersions: Partial<Record<CalendarKey, number>> = {};
  const unconfirmed = new Map<CalendarKey, UnconfirmedCalendar>();
  for (const status of consulted) {
    for (const layer of status.calendar.layers) {
      const key = calendarKey(layer.region, layer.year);
      calendarVersions[key] = layer.version;
      if (layer.provisional) {
        const note = layer.evidence.note ?? 'provisional: official notice not available';
        unconfirmed.set(key, { calendar: key, version: layer.version, note });
      }
    }
  }
  return { calendarVersions, unconfirmed: [...unconfirmed.values()] };
}

function validate(request: DueDateRequest): void {
  assertIsoDate(request.start, 'start');
  if (!Number.isInteger(request.amount) || request.amount < 1) {
    throw new InvalidPeriodError('amount', request.amount, 1);
  }
  if (request.unit !== 'working-days' && request.unit !== 'calendar-days') {
    throw new DomainError('CALENDAR.INVALID_UNIT', 'unit must be working-days or calendar-days', {
      field: 'unit',
      value: request.unit,
    });
  }
  if (!REGIONS.includes(request.region)) {
    throw new DomainError('CALENDAR.INVALID_REGION', `region must be one of ${REGIONS.join(', ')}`, {
      field: 'region',
      value: request.region,
    });
  }
}

interface Count {
  readonly due: IsoDate;
  readonly countedDays: readonly IsoDate[];
  readonly skipped: readonly SkippedDay[];
  readonly makeUpDaysCounted: readonly CalendarDay[];
  readonly rolledForwardFrom?: IsoDate;
  readonly consulted: readonly DayStatus[];
  readonly rules: readonly string[];
}

function countCalendarDays(request: DueDateRequest, set: CalendarSet): Count {
  const countedDays = Array.from({ length: request.amount }, (_, index) => addDays(request.start, index + 1));
  const last = countedDays[countedDays.length - 1];
  if (!request.rollForward) {
    return { due: last, countedDays, skipped: [], makeUpDaysCounted: [], consulted: [], rules: [START_NOT_COUNTED] };
  }
  const consulted: DayStatus[] = [];
  let status = dayStatus(set, request.region, last);
  consulted.push(status);
  while (!status.working) {
    status = dayStatus(set, request.region, addDays(status.date, 1));
    consulted.push(status);
  }
  const rolled = status.date !== last;
  return {
    due: status.date,
    countedDays,
    skipped: consulted.filter((day) => !day.working).map(skippedDay),
    makeUpDaysCounted: rolled ? [] : makeUpDay(status),
    consulted,
    rules: [START_NOT_COUNTED, ROLL_FORWARD],
    ...(rolled ? { rolledForwardFrom: last } : {}),
  };
}

function countWorkingDays(request: DueDateRequest, set: CalendarSet): Count {
  const walk = walkWorkingDays(set, request.region, request.start, request.amount);
  return {
    due: walk.due,
    countedDays: walk.counted.map((day) => day.date),
    skipped: walk.skipped.map(skippedDay),
    makeUpDaysCounted: walk.counted.flatMap(makeUpDay),
    consulted: [...walk.counted, ...walk.skipped],
    rules: [START_NOT_COUNTED, WORKING_DAYS],
  };
}

/**
 * The due date of a period and why. Throws `CALENDAR.YEAR_NOT_PUBLISHED` when the count reaches a year with no
 * published calendar, and `CALENDAR.UNCONFIRMED` when `requireConfirmed` is set and a provisional one was used.
 */
export function dueDate(request: DueDateRequest, set: CalendarSet): DueDate {
  validate(request);
  const counted = request.unit === 'working-days' ? countWorkingDays(request, set) : countCalendarDays(request, set);
  const { calendarVersions, unconfirmed } = provenance(counted.consulted);
  if (request.requireConfirmed && unconfirmed.length > 0) throw new CalendarUnconfirmedError(unconfirmed);
  return {
    due: counted.due,
    explanation: {
      start: request.start,
      unit: request.unit,
      amount: request.amount,
      region: request.region,
      ...(request.source === undefined ? {} : { source: request.source }),
      countedDays: counted.countedDays,
      skipped: counted.skipped,
      makeUpDaysCounted: counted.makeUpDaysCounted,
      ...(counted.rolledForwardFrom === undefined ? {} : { rolledForwardFrom: counted.rolledForwardFrom }),
      calendarVersions,
      unconfirmed,
      rules: counted.rules,
    },
  };
}

/** The due date of a {@link StatutoryLimit} started on `start` in `region`. */
export function dueDateForLimit(
  limit: StatutoryLimit,
  start: IsoDate,
  region: Region,
  set: CalendarSet,
  options: { requireConfirmed?: boolean } = {},
): DueDate {
  return dueDate(
    {
      start,
      amount: limit.amount,
      unit: limit.unit,
      region,
      source: limit.source,
      ...(limit.rollForward === undefined ? {} : { rollForward: limit.rollForward }),
      ...(options.requireConfirmed === undefined ? {} : { requireConfirmed: options.requireConfirmed }),
    },
    set,
  );
}
