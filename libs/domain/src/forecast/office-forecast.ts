import { addDays, type IsoDate } from '../calendar/calendar-date.js';
import { type Region } from '../calendar/calendar.js';
import { type CalendarSet } from '../calendar/calendar-set.js';
import { isWorkingDay, workingDaysBetween } from '../calendar/working-days.js';
import { type BacklogForecast, DEFAULT_FORECAST_HORIZONS, forecastBreaches } from './backlog-forecast.js';

/**
 * The first day of the measuring window: the `workingDays` working days strictly before `asOf` (the forecast
 * date itself is not counted, its work is not finished). Decisions closed in [window start, asOf) make the rate.
 */
export function decisionWindowStart(set: CalendarSet, region: Region, asOf: IsoDate, workingDays: number): IsoDate {
  let date = asOf;
  let counted = 0;
  while (counted < workingDays) {
    date = addDays(date, -1);
    if (isWorkingDay(set, region, date)) counted += 1;
  }
  return date;
}

export interface OfficeBacklogInput {
  readonly set: CalendarSet;
  readonly region: Region;
  /** The forecast is made as of the end of this day (China Standard Time). */
  readonly asOf: IsoDate;
  /** Due date (last day to decide in time) of each open task, oldest task first; null when it has none. */
  readonly dueDates: readonly (IsoDate | null)[];
  /** Tasks the office decided in the `windowDays` working days before `asOf`. */
  readonly decided: number;
  readonly windowDays: number;
  readonly horizons?: readonly number[];
}

/** `forecastBreaches` on calendar dates: due dates become working-day indexes after `asOf` (start day not counted). */
export function forecastOfficeBacklog(input: OfficeBacklogInput): BacklogForecast {
  const index = new Map<IsoDate, number>();
  const dueDays = input.dueDates.map((due) => {
    if (due === null) return null;
    let day = index.get(due);
    if (day === undefined) {
      day = workingDaysBetween(input.set, input.region, input.asOf, due);
      index.set(due, day);
    }
    return day;
  });
  return forecastBreaches(
    dueDays,
    { decided: input.decided, workingDays: input.windowDays },
    input.horizons ?? DEFAULT_FORECAST_HORIZONS,
  );
}
