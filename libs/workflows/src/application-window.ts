import { addCalendarDays, type CalendarSet, DomainError, type IsoDate } from '@minsheng/domain';
import { APPLICATION_WINDOWS, type ApplicationWindow } from './general-review/configurations.js';
import type { ApplicationDetails, ProcedureInputProblem } from './procedure-input.js';

/** The window an item's applications must come within, if it has one (docs/domain.md §3.17). */
export function applicationWindowOf(itemCode: string): ApplicationWindow | undefined {
  return APPLICATION_WINDOWS[itemCode];
}

/**
 * Checks an application against its item's window at intake: the day it opens (`details.leftServiceOn` for 抚恤) may
 * not be after the application, and the application may not come after the window's last day, counted in calendar
 * days under 民事诉讼法 art. 85 [V L11] (start day not counted; a last day that is a rest day rolls to the next
 * working day of the Xinjiang calendar). Where the roll-forward needs a year nobody has published, intake cannot
 * tell and does not refuse: the street review still may, with the window's reason. Pure.
 *
 * @returns the problem, naming the detail, or null when the application is within the window or states no day.
 */
export function applicationWindowProblem(
  itemCode: string,
  details: ApplicationDetails,
  today: IsoDate,
  calendars: CalendarSet,
): ProcedureInputProblem | null {
  const window = applicationWindowOf(itemCode);
  const opensOn = window === undefined ? undefined : details[window.detail];
  if (window === undefined || opensOn === undefined) return null;
  const field = `details.${window.detail}`;
  if (opensOn > today) {
    return { field, code: 'APPLICATION.WINDOW_NOT_OPEN', message: `${opensOn} is after the day of application` };
  }
  let lastDay: IsoDate;
  try {
    lastDay = addCalendarDays(calendars, 'xinjiang', opensOn, window.limit.amount, {
      rollForwardFromRestDay: window.limit.rollForward === true,
    });
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
  if (today <= lastDay) return null;
  return {
    field,
    code: 'APPLICATION.WINDOW_PASSED',
    message:
      `the application had to come within ${window.limit.amount} days of ${opensOn}, by ${lastDay} ` +
      `(${window.limit.source.citation}): ${window.reason.labelZh}`,
  };
}
