export type { IsoDate, Weekday } from './calendar-date.js';
export { addDays, assertIsoDate, daysBetween, isIsoDate, isWeekend, weekdayOf, yearOf } from './calendar-date.js';
export {
  calendarKey,
  REGIONS,
  type Calendar,
  type CalendarDay,
  type CalendarEvidence,
  type CalendarKey,
  type CalendarSource,
  type EvidenceTag,
  type Region,
  type UnconfirmedCalendar,
} from './calendar.js';
export {
  CalendarUnconfirmedError,
  CalendarYearNotPublishedError,
  InvalidCalendarError,
  InvalidPeriodError,
} from './calendar-errors.js';
export { CalendarSet, type RegionCalendar } from './calendar-set.js';
export { validateCalendar } from './validate-calendar.js';
export { OFFICIAL_CALENDARS, officialCalendarSet } from './official-calendars.js';
export {
  draftCalendarYear,
  FIRST_DRAFTABLE_YEAR,
  LAST_DRAFTABLE_YEAR,
  type DraftCalendarYear,
} from './draft-calendar.js';
export {
  NEXT_YEAR_WARNING_FROM,
  nextYearCalendarGaps,
  type NextYearCalendarGap,
  type NextYearCalendarStatus,
} from './next-year-calendars.js';
export {
  addCalendarDays,
  addWorkingDays,
  dayStatus,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
  type CalendarDayOptions,
  type DayKind,
  type DayStatus,
} from './working-days.js';
export {
  dueDate,
  dueDateForLimit,
  type DueDate,
  type DueDateExplanation,
  type DueDateRequest,
  type PeriodUnit,
  type SkippedDay,
  type StatutoryLimit,
} from './due-dates.js';
export { endOfDayInShanghai, startOfDayInShanghai, toShanghaiDate } from './shanghai-time.js';
export * from './clock-schedule.js';
