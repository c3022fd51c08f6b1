import { CalendarRecord } from './calendar.record.js';
import { CalendarRecomputationRecord } from './calendar-recomputation.record.js';
import { CaseClockRecord } from './case-clock.record.js';
import { OperatorAlertRecord } from './operator-alert.record.js';

/** The records of the statutory clocks: clocks, published calendars, their recomputations and operator alerts. */
export const CLOCK_RECORDS = [
  CaseClockRecord,
  CalendarRecord,
  CalendarRecomputationRecord,
  OperatorAlertRecord,
] as const;
