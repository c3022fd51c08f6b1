import { CalendarRecord } from './calendar.record.js';
import { CaseClockRecord } from './case-clock.record.js';
import { OperatorAlertRecord } from './operator-alert.record.js';

/** The records of the statutory clocks: clocks, published calendars and operator alerts. */
export const CLOCK_RECORDS = [CaseClockRecord, CalendarRecord, OperatorAlertRecord] as const;
