import { Foundation1764403200000 } from './1764403200000-foundation.js';
import { CaseCore1764406800000 } from './1764406800000-case-core.js';
import { Catalog1764410000000 } from './1764410000000-catalog.js';
import { Engine1764430000000 } from './1764430000000-engine.js';
import { Calendars1764440000000 } from './1764440000000-calendars.js';
import { ClockCalendarMissing1764445000000 } from './1764445000000-clock-calendar-missing.js';
import { ReviewIndexes1764450000000 } from './1764450000000-review-indexes.js';
import { ClockDueProvisional1764460000000 } from './1764460000000-clock-due-provisional.js';
import { CalendarRecomputations1764471400000 } from './1764471400000-calendar-recomputations.js';
import { ClockBasis1764480000000 } from './1764480000000-clock-basis.js';
import { TaskDecisionRequest1764490000000 } from './1764490000000-task-decision-request.js';
import { CaseNotes1764490200000 } from './1764490200000-case-notes.js';
import { Satisfaction1764490300000 } from './1764490300000-satisfaction.js';
import { Webhooks1764490400000 } from './1764490400000-webhooks.js';
import { Money1764490500000 } from './1764490500000-money.js';
import { EntitlementReviews1796610000000 } from './1796610000000-entitlement-reviews.js';
import { MoneyEvents1796620000000 } from './1796620000000-money-events.js';
import { InstalmentSchedule1796690000000 } from './1796690000000-instalment-schedule.js';

/** Every migration in order, listed explicitly so the compiled and the TypeScript CLI run the same set. */
export const MIGRATIONS = [
  Foundation1764403200000,
  CaseCore1764406800000,
  Catalog1764410000000,
  Engine1764430000000,
  Calendars1764440000000,
  ClockCalendarMissing1764445000000,
  ReviewIndexes1764450000000,
  ClockDueProvisional1764460000000,
  CalendarRecomputations1764471400000,
  ClockBasis1764480000000,
  TaskDecisionRequest1764490000000,
  CaseNotes1764490200000,
  Satisfaction1764490300000,
  Webhooks1764490400000,
  Money1764490500000,
  EntitlementReviews1796610000000,
  MoneyEvents1796620000000,
  InstalmentSchedule1796690000000,
] as const;
