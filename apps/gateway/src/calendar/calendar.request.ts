import { z } from 'zod';
import { REGIONS } from '@minsheng/domain';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar date YYYY-MM-DD');

export const yearParam = z.coerce.number().int().min(1949).max(9999);

export const calendarQuery = z.object({ region: z.enum(REGIONS).default('xinjiang') }).strict();

/** `unit=working|calendar` as portals write it; the domain's units are `working-days` and `calendar-days`. */
export const dueDateQuery = z
  .object({
    start: isoDate,
    days: z.coerce.number().int().min(1).max(3660),
    unit: z.enum(['working', 'calendar']).default('working'),
    region: z.enum(REGIONS).default('xinjiang'),
    rollForward: z.enum(['true', 'false']).optional(),
  })
  .strict();

const day = z.object({ date: isoDate, name: z.string().min(1) }).strict();

/** `official`: entered from the notice. `provisional`: estimated (a draft), counted in but marked in every answer. */
export const CALENDAR_STATUSES = ['provisional', 'official'] as const;

/**
 * A calendar year as an operator enters it from the notice, or reviews it from `POST /v1/calendar/{year}/draft`.
 * The version is assigned on publication (the next one for the region and year); `validateCalendar` then checks
 * the rules (dates in the year, make-up days on weekends, overrides only in a regional calendar).
 */
export const publishCalendarBody = z
  .object({
    region: z.enum(REGIONS),
    status: z.enum(CALENDAR_STATUSES).default('official'),
    holidays: z.array(day),
    makeUpWorkdays: z.array(day).default([]),
    restDayOverrides: z.array(day).default([]),
    source: z
      .object({
        issuer: z.string().min(1),
        title: z.string().min(1),
        number: z.string().min(1).optional(),
        issuedOn: isoDate.optional(),
        url: z.string().url().optional(),
      })
      .strict(),
    evidence: z
      .object({ tag: z.string().min(1), refs: z.array(z.string().min(1)).min(1), note: z.string().optional() })
      .strict(),
  })
  .strict();

export type PublishCalendarBody = z.output<typeof publishCalendarBody>;
