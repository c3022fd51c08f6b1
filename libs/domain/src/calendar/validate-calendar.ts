import { isIsoDate, isWeekend, yearOf } from './calendar-date.js';
import { InvalidCalendarError } from './calendar-errors.js';
import { EVIDENCE_TAGS } from '../catalog/evidence.js';
import {
  REGIONS,
  type Calendar,
  type CalendarDay,
  type CalendarEvidence,
  type CalendarSource,
  type EvidenceTag,
  type Region,
} from './calendar.js';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, field: string): Fields {
  if (!isObject(value)) throw new InvalidCalendarError(field, `${field} must be an object`);
  return value;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidCalendarError(field, `${field} must be a non-empty string`);
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireText(value, field);
}

function requireInteger(value: unknown, field: string, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw new InvalidCalendarError(field, `${field} must be an integer from ${minimum} to ${maximum}`, { value });
  }
  return value;
}

function requireDays(value: unknown, field: string, year: number): CalendarDay[] {
  if (!Array.isArray(value)) throw new InvalidCalendarError(field, `${field} must be an array`);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    const day = requireObject(entry, at);
    if (!isIsoDate(day.date)) {
      throw new InvalidCalendarError(`${at}.date`, `${at}.date must be a calendar date YYYY-MM-DD`, {
        value: day.date,
      });
    }
    if (yearOf(day.date) !== year) {
      throw new InvalidCalendarError(`${at}.date`, `${day.date} is not in ${year}`, { value: day.date });
    }
    if (seen.has(day.date)) throw new InvalidCalendarError(`${at}.date`, `${day.date} is listed twice in ${field}`);
    seen.add(day.date);
    return { date: day.date, name: requireText(day.name, `${at}.name`) };
  });
}

function requireSource(value: unknown): CalendarSource {
  const source = requireObject(value, 'source');
  if (source.issuedOn !== undefined && !isIsoDate(source.issuedOn)) {
    throw new InvalidCalendarError('source.issuedOn', 'source.issuedOn must be a calendar date YYYY-MM-DD');
  }
  const number = optionalText(source.number, 'source.number');
  const url = optionalText(source.url, 'source.url');
  return {
    issuer: requireText(source.issuer, 'source.issuer'),
    title: requireText(source.title, 'source.title'),
    ...(number === undefined ? {} : { number }),
    ...(source.issuedOn === undefined ? {} : { issuedOn: source.issuedOn }),
    ...(url === undefined ? {} : { url }),
  };
}

function requireEvidence(value: unknown): CalendarEvidence {
  const evidence = requireObject(value, 'evidence');
  if (!EVIDENCE_TAGS.includes(evidence.tag as EvidenceTag)) {
    throw new InvalidCalendarError('evidence.tag', `evidence.tag must be one of ${EVIDENCE_TAGS.join(', ')}`);
  }
  if (!Array.isArray(evidence.refs) || evidence.refs.length === 0) {
    throw new InvalidCalendarError('evidence.refs', 'evidence.refs must list at least one source');
  }
  const refs = evidence.refs.map((ref: unknown, index) => requireText(ref, `evidence.refs[${index}]`));
  const note = optionalText(evidence.note, 'evidence.note');
  return { tag: evidence.tag as EvidenceTag, refs, ...(note === undefined ? {} : { note }) };
}

function freeze(calendar: Calendar): Calendar {
  for (const days of [calendar.holidays, calendar.makeUpWorkdays, calendar.restDayOverrides]) {
    days.forEach((day) => Object.freeze(day));
    Object.freeze(days);
  }
  Object.freeze(calendar.source);
  Object.freeze(calendar.evidence.refs);
  Object.freeze(calendar.evidence);
  return Object.freeze(calendar);
}

/**
 * Checks a calendar submitted for publication (an operator's entry of a new notice, or a correction) and returns
 * a frozen copy. Throws `CALENDAR.INVALID` naming the first offending field:
 * - every date is a real `YYYY-MM-DD` date within `year`, listed once per list;
 * - no day is both a holiday and a make-up working day, nor both overridden and either of them;
 * - make-up working days and overridden make-up days are Saturdays or Sundays: 调休 under 《全国年节及纪念日放假办法》
 *   art. 7 [V L6] turns a weekly rest day into a working day, and a weekday already is one;
 * - only a regional calendar may override a national make-up day (the national notice is the base layer);
 * - a source (issuer and title) and evidence (tag and at least one reference) are given.
 * Whether an override names an actual national make-up day is checked when the region calendar is assembled
 * (`CalendarSet.resolve`), because the national year may be corrected independently.
 */
export function validateCalendar(input: unknown): Calendar {
  const raw = requireObject(input, 'calendar');
  if (!REGIONS.includes(raw.region as Region)) {
    throw new InvalidCalendarError('region', `region must be one of ${REGIONS.join(', ')}`, { value: raw.region });
  }
  const region = raw.region as Region;
  const year = requireInteger(raw.year, 'year', 1949, 9999);
  const version = requireInteger(raw.version, 'version', 1, Number.MAX_SAFE_INTEGER);
  if (typeof raw.provisional !== 'boolean') {
    throw new InvalidCalendarError('provisional', 'provisional must be true or false');
  }
  const holidays = requireDays(raw.holidays, 'holidays', year);
  const makeUpWorkdays = requireDays(raw.makeUpWorkdays, 'makeUpWorkdays', year);
  const restDayOverrides = requireDays(raw.restDayOverrides, 'restDayOverrides', year);

  const holidayDates = new Set(holidays.map((day) => day.date));
  makeUpWorkdays.forEach((day, index) => {
    const field = `makeUpWorkdays[${index}].date`;
    if (holidayDates.has(day.date)) {
      throw new InvalidCalendarError(field, `${day.date} is both a holiday and a make-up working day`);
    }
    if (!isWeekend(day.date)) throw new InvalidCalendarError(field, `make-up working day ${day.date} is not a weekend`);
  });

  if (region === 'national' && restDayOverrides.length > 0) {
    throw new InvalidCalendarError('restDayOverrides', 'the national calendar cannot override its own make-up days');
  }
  const makeUpDates = new Set(makeUpWorkdays.map((day) => day.date));
  restDayOverrides.forEach((day, index) => {
    const field = `restDayOverrides[${index}].date`;
    if (holidayDates.has(day.date) || makeUpDates.has(day.date)) {
      throw new InvalidCalendarError(field, `${day.date} is overridden and also listed as a holiday or make-up day`);
    }
    if (!isWeekend(day.date)) {
      throw new InvalidCalendarError(field, `overridden make-up working day ${day.date} is not a weekend`);
    }
  });

  return freeze({
    region,
    year,
    version,
    provisional: raw.provisional,
    holidays,
    makeUpWorkdays,
    restDayOverrides,
    source: requireSource(raw.source),
    evidence: requireEvidence(raw.evidence),
  });
}
