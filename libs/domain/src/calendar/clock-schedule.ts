import { DomainError } from '../errors/domain-error.js';
import { daysBetween, type IsoDate } from './calendar-date.js';
import { REGIONS, type Region } from './calendar.js';
import { CalendarYearNotPublishedError } from './calendar-errors.js';
import { type CalendarSet } from './calendar-set.js';
import { dueDate, type DueDateExplanation, type PeriodUnit } from './due-dates.js';
import { endOfDayInShanghai, toShanghaiDate } from './shanghai-time.js';
import { workingDaysBetween } from './working-days.js';

/** A finished pause (补正: the application was returned for material and came back). Instants as ISO strings. */
export interface ClockPause {
  readonly from: string;
  readonly to: string;
}

/** An extension with who, why and the legal basis (e.g. 低保 30 → 45 working days, 民发〔2021〕57号). */
export interface ClockExtension {
  readonly toAmount: number;
  readonly reason: string;
  readonly actor: string;
  readonly source: string;
  readonly at: string;
}

export type ClockUnit = PeriodUnit | 'months';

/** What a due date is computed from: the columns of a `case_clocks` row. */
export interface ClockFacts {
  readonly startedAt: Date;
  readonly limitAmount: number;
  readonly unit: string;
  readonly region: string;
  readonly source: string;
  readonly rollForward?: boolean;
  readonly pausedAt: Date | null;
  readonly pauses: readonly unknown[];
  readonly extensions: readonly unknown[];
}

export interface PauseExplanation {
  readonly from: string;
  readonly to: string | null;
  /** Days of the limit's unit that fell inside the pause and were not counted (补正期间不计入办理时限). */
  readonly daysNotCounted: number;
}

/** Why a clock is due when it is: the calendar count of its last running stretch, and what came before. */
export interface ClockExplanation {
  readonly startDate: IsoDate;
  readonly unit: ClockUnit;
  /** The limit in force: the original amount or the latest extension. */
  readonly amount: number;
  readonly originalAmount: number;
  readonly region: Region;
  readonly source: string;
  /** Calendar-day periods ending on a rest day run to the next working day (民事诉讼法 art. 85), where the rule says so. */
  readonly rollForward: boolean;
  /** Days of the limit used before the last resume (0 without pauses). */
  readonly usedBeforeLastResume: number;
  readonly pauses: readonly PauseExplanation[];
  readonly extensions: readonly ClockExtension[];
  /** The count from the last start or resume to the due day: counted, skipped and make-up days. */
  readonly count: DueDateExplanation;
  /** Set while the clock is paused: what remains when it resumes. */
  readonly remainingWhenPaused?: number;
}

export interface ClockSchedule {
  readonly due: IsoDate;
  /** The exclusive end of the due day, China Standard Time: a step is late from this instant on. */
  readonly dueAt: Date;
  readonly explanation: ClockExplanation;
}

const PAUSE_RULE = '补正材料期间不计入办理时限: the limit stops while the applicant supplies material';

function parsePauses(raw: readonly unknown[]): ClockPause[] {
  return raw.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const p = entry as Record<string, unknown>;
    const from = p['from'] ?? p['pausedAt'];
    const to = p['to'] ?? p['resumedAt'];
    return typeof from === 'string' && typeof to === 'string' ? [{ from, to }] : [];
  });
}

function parseExtensions(raw: readonly unknown[]): ClockExtension[] {
  return raw.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    if (typeof e['toAmount'] !== 'number') return [];
    return [
      {
        toAmount: e['toAmount'],
        reason: String(e['reason'] ?? ''),
        actor: String(e['actor'] ?? ''),
        source: typeof e['source'] === 'string' ? e['source'] : JSON.stringify(e['source'] ?? ''),
        at: String(e['at'] ?? ''),
      },
    ];
  });
}

function parseRegion(region: string): Region {
  if (!REGIONS.includes(region as Region)) {
    throw new DomainError('CALENDAR.INVALID_REGION', `unknown calendar region ${region}`, { field: 'region' });
  }
  return region as Region;
}

/** Calendar months (民事诉讼法 art. 85: a month period ends on the same day of the last month, or its last day). */
function addMonths(start: IsoDate, months: number): IsoDate {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}` as IsoDate;
}

function nothingLeft(
  day: IsoDate,
  unit: ClockUnit,
  region: Region,
  source: string,
): { due: IsoDate; explanation: DueDateExplanation } {
  return {
    due: day,
    explanation: {
      start: day,
      unit: unit === 'working-days' ? 'working-days' : 'calendar-days',
      amount: 0,
      region,
      source,
      countedDays: [],
      skipped: [],
      makeUpDaysCounted: [],
      calendarVersions: {},
      unconfirmed: [],
      rules: ['the limit had run out before the pause: due on the day the clock resumed'],
    },
  };
}

/**
 * The due date of a clock from its row. Without pauses the explanation's `count` is exactly the calendar domain's
 * `dueDate` for (start date, amount, unit, region), so a clock and `GET /v1/calendar/due-date` always agree.
 * With pauses (补正), the days of the limit used before each pause are kept and the rest is counted from the day
 * the material came back, that day itself not counted (民事诉讼法 art. 85, as for the acceptance day). While
 * paused, the due date is the one the clock had before it paused; `remainingWhenPaused` says what is left.
 */
export function scheduleClock(facts: ClockFacts, set: CalendarSet): ClockSchedule {
  const region = parseRegion(facts.region);
  const unit = facts.unit as ClockUnit;
  const extensions = parseExtensions(facts.extensions);
  const pauses = parsePauses(facts.pauses);
  const amount = Math.max(facts.limitAmount, ...extensions.map((e) => e.toAmount));
  const startDate = toShanghaiDate(facts.startedAt);
  const used = (from: IsoDate, to: IsoDate): number =>
    unit === 'working-days' ? workingDaysBetween(set, region, from, to) : daysBetween(from, to);

  let segmentStart = startDate;
  let usedDays = 0;
  const explained: PauseExplanation[] = [];
  for (const pause of pauses) {
    const pausedOn = toShanghaiDate(new Date(pause.from));
    const resumedOn = toShanghaiDate(new Date(pause.to));
    // A clock paused after its limit ran out has nothing left: it is due on the day it resumes.
    usedDays += Math.min(Math.max(0, used(segmentStart, pausedOn)), amount - usedDays);
    explained.push({ from: pause.from, to: pause.to, daysNotCounted: used(pausedOn, resumedOn) });
    segmentStart = resumedOn;
  }

  const remaining = amount - usedDays;
  const counted =
    remaining > 0
      ? countFrom(segmentStart, remaining, unit, region, facts, set)
      : nothingLeft(segmentStart, unit, region, facts.source);
  const openPause = facts.pausedAt
    ? {
        from: facts.pausedAt.toISOString(),
        to: null,
        daysNotCounted: 0,
        remaining: Math.max(0, remaining - used(segmentStart, toShanghaiDate(facts.pausedAt))),
      }
    : undefined;
  return {
    due: counted.due,
    dueAt: endOfDayInShanghai(counted.due),
    explanation: {
      startDate,
      unit,
      amount,
      originalAmount: facts.limitAmount,
      region,
      source: facts.source,
      rollForward: !!facts.rollForward,
      usedBeforeLastResume: usedDays,
      pauses: openPause
        ? [...explained, { from: openPause.from, to: null, daysNotCounted: openPause.daysNotCounted }]
        : explained,
      extensions,
      count:
        explained.length > 0 || openPause
          ? { ...counted.explanation, rules: [...counted.explanation.rules, PAUSE_RULE] }
          : counted.explanation,
      ...(openPause ? { remainingWhenPaused: openPause.remaining } : {}),
    },
  };
}

function countFrom(
  start: IsoDate,
  amount: number,
  unit: ClockUnit,
  region: Region,
  facts: ClockFacts,
  set: CalendarSet,
): { due: IsoDate; explanation: DueDateExplanation } {
  if (unit === 'months') {
    // A month limit is counted as the calendar days to the same day N months on, so the explanation stays one shape.
    const days = daysBetween(start, addMonths(start, amount));
    const result = dueDate(
      { start, amount: days, unit: 'calendar-days', region, source: facts.source, rollForward: !!facts.rollForward },
      set,
    );
    return {
      due: result.due,
      explanation: { ...result.explanation, rules: [...result.explanation.rules, `${amount} calendar months`] },
    };
  }
  if (unit !== 'working-days' && unit !== 'calendar-days') {
    throw new DomainError('CALENDAR.INVALID_UNIT', `unknown clock unit ${String(unit)}`, { field: 'unit' });
  }
  const result = dueDate(
    {
      start,
      amount: Math.max(1, amount),
      unit,
      region,
      source: facts.source,
      ...(facts.rollForward === undefined ? {} : { rollForward: facts.rollForward }),
    },
    set,
  );
  return { due: result.due, explanation: result.explanation };
}

/** The calendar years a clock's count touched, e.g. `national/2025` — which published changes affect it. */
export function calendarsConsulted(explanation: ClockExplanation): string[] {
  return Object.keys(explanation.count.calendarVersions);
}

/**
 * A clock's due time, or the calendar it waits for. A count that reaches a year with no published calendar gives
 * no due time at all (fail closed, never a guess: docs/clocks.md): the clock keeps running, its timers wait, and
 * publishing that year computes the due date (`recomputeRunningClocks`).
 */
export type ClockPlan =
  | {
      readonly dueAt: Date;
      readonly due: IsoDate;
      readonly calendarMissing: null;
      /**
       * The due date rests on a provisional calendar (a drafted year, or a regional notice not yet confirmed): the
       * count used a layer its explanation lists under `unconfirmed`. Stored as `case_clocks.due_provisional`.
       */
      readonly provisional: boolean;
      readonly explanation: ClockExplanation;
    }
  | {
      readonly dueAt: null;
      readonly due: null;
      readonly calendarMissing: string;
      readonly provisional: false;
      readonly explanation: CalendarMissingExplanation;
    };

export interface CalendarMissingExplanation {
  readonly startDate: IsoDate;
  readonly unit: ClockUnit;
  readonly amount: number;
  readonly originalAmount: number;
  readonly region: string;
  readonly source: string;
  readonly rollForward: boolean;
  /** The calendar layer the count needs, e.g. `national/2027`. */
  readonly calendarMissing: string;
  readonly rules: readonly string[];
}

export function planClock(facts: ClockFacts, set: CalendarSet): ClockPlan {
  try {
    const schedule = scheduleClock(facts, set);
    return {
      dueAt: schedule.dueAt,
      due: schedule.due,
      calendarMissing: null,
      provisional: schedule.explanation.count.unconfirmed.length > 0,
      explanation: schedule.explanation,
    };
  } catch (error) {
    if (!(error instanceof CalendarYearNotPublishedError)) throw error;
    const extensions = parseExtensions(facts.extensions);
    return {
      dueAt: null,
      due: null,
      calendarMissing: error.missing,
      provisional: false,
      explanation: {
        startDate: toShanghaiDate(facts.startedAt),
        unit: facts.unit as ClockUnit,
        amount: Math.max(facts.limitAmount, ...extensions.map((e) => e.toAmount)),
        originalAmount: facts.limitAmount,
        region: facts.region,
        source: facts.source,
        rollForward: !!facts.rollForward,
        calendarMissing: error.missing,
        rules: [`no due date until the ${error.missing} calendar is published: the count reaches that year`],
      },
    };
  }
}
