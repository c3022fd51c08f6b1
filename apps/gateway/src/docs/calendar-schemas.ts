import { z } from 'zod';
import { REGIONS } from '@minsheng/domain';
import { publishCalendarBody } from '../calendar/calendar.request.js';
import { isoDate, responseSchemas, timestamp } from './schema-primitives.js';

/**
 * The answers of the calendar API (docs/clocks.md "API", docs/calendars.md) and the day counts the clocks explain
 * themselves with (`DueDateExplanation` and `ClockExplanation` of libs/domain).
 */

const region = z.enum(REGIONS);
const calendarStatus = z.enum(['official', 'provisional']);
const calendarDay = z.object({ date: isoDate, name: z.string() });

export const dueDateExplanationSchema = z
  .object({
    start: isoDate,
    unit: z.string().describe('`working-days` or `calendar-days`'),
    amount: z.number(),
    region: z.string(),
    source: z.string().optional(),
    countedDays: z.array(isoDate).describe('working days: those counted; calendar days: every day of the period'),
    skipped: z.array(z.object({ date: isoDate, reason: z.enum(['weekend', 'holiday']), name: z.string().optional() })),
    makeUpDaysCounted: z.array(calendarDay).describe('weekend days a notice made working days (调休上班日)'),
    rolledForwardFrom: isoDate.optional(),
    calendarVersions: z
      .record(z.string(), z.int())
      .describe('the version of every published calendar consulted, e.g. `{ "national/2025": 1 }`'),
    unconfirmed: z
      .array(z.object({ calendar: z.string(), version: z.int(), note: z.string() }))
      .describe('provisional calendars consulted: the due date rests on estimated dates'),
    rules: z.array(z.string()).describe('the counting rules applied, with their legal sources'),
  })
  .register(responseSchemas, { id: 'DueDateExplanation' });

export const dueDateSchema = z
  .object({ due: isoDate, dueAt: timestamp, provisional: z.boolean(), explanation: dueDateExplanationSchema })
  .register(responseSchemas, { id: 'DueDate' });

const layerFields = {
  region: z.string(),
  year: z.int(),
  version: z.int(),
  status: calendarStatus,
};

export const calendarYearSchema = z
  .object({
    region,
    year: z.int(),
    provisional: z.boolean().describe('any layer in force is provisional'),
    holidays: z.array(calendarDay),
    makeUpWorkdays: z.array(calendarDay),
    restDayOverrides: z.array(calendarDay),
    layers: z.array(
      z.object({
        ...layerFields,
        provisional: z.boolean(),
        source: publishCalendarBody.shape.source,
        evidence: publishCalendarBody.shape.evidence,
        publishedBy: z.string().nullable(),
        publishedAt: timestamp.nullable(),
        origin: z.string().nullable().describe('`shipped`, `operator` or `development-start`'),
      }),
    ),
    versions: z.array(
      z.object({
        region: z.string(),
        version: z.int(),
        status: calendarStatus,
        publishedAt: timestamp,
        publishedBy: z.string(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'CalendarYear' });

/** A drafted layer exactly as `PUT /v1/calendar/{year}` takes it. */
const draftedLayer = z.object({ ...publishCalendarBody.shape, status: calendarStatus });

export const calendarDraftSchema = z
  .object({
    year: z.int(),
    national: draftedLayer,
    xinjiang: draftedLayer,
    cannotKnow: z.array(z.string()).describe('what the draft cannot know: check it against the notices'),
    howToPublish: z.string(),
  })
  .register(responseSchemas, { id: 'CalendarDraft' });

const recomputationStateSchema = z.enum(['queued', 'running', 'done']);

export const calendarPublishedSchema = z
  .object({
    ...layerFields,
    recomputation: z.object({ id: z.string(), state: recomputationStateSchema, location: z.string() }),
  })
  .register(responseSchemas, { id: 'CalendarPublished' });

export const calendarPreviewSchema = z
  .object({
    ...layerFields,
    clocks: z.object({
      candidates: z.int().describe('running clocks the recomputation would look at'),
      moved: z.int().describe('clocks whose due date, provisional mark or missing year would change'),
      dueDateGiven: z.int().describe('of those, clocks waiting for a calendar that would get a due date'),
      stillMissing: z.int().describe('candidates whose count would still reach an unpublished year'),
    }),
  })
  .register(responseSchemas, { id: 'CalendarPreview' });

export const calendarRecomputationSchema = z
  .object({
    id: z.string(),
    region: z.string(),
    year: z.int(),
    version: z.int(),
    state: recomputationStateSchema,
    total: z.int().nullable().describe('candidate clocks, counted when the worker starts; null while queued'),
    done: z.int(),
    changed: z.int(),
    failed: z.int(),
    batches: z.int(),
    afterClockId: z.string().nullable(),
    requestedBy: z.string(),
    requestId: z.string().nullable(),
    requestedAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .register(responseSchemas, { id: 'CalendarRecomputation' });

export const calendarRecomputationsSchema = z
  .object({ year: z.int(), items: z.array(calendarRecomputationSchema) })
  .register(responseSchemas, { id: 'CalendarRecomputations' });

/** A clock's pauses and extensions as stored, and the count behind its due date (libs/domain clock-schedule). */
export const clockPauseSchema = z
  .object({ from: timestamp, to: timestamp })
  .register(responseSchemas, { id: 'ClockPause' });

export const clockExtensionSchema = z
  .object({
    fromAmount: z.number().optional().describe('the limit in force before the extension'),
    toAmount: z.number().describe('the limit after the extension'),
    reason: z.string(),
    actor: z.string(),
    source: z.string().describe('the regulation that allows it'),
    at: timestamp,
  })
  .register(responseSchemas, { id: 'ClockExtension' });

const explanationFields = {
  startDate: isoDate,
  unit: z.string().describe('`working-days`, `calendar-days` or `months`'),
  amount: z.number().describe('the limit in force: the original amount or the latest extension'),
  originalAmount: z.number(),
  region: z.string(),
  source: z.string(),
  rollForward: z.boolean(),
};

export const clockExplanationSchema = z
  .union([
    z.object({
      ...explanationFields,
      usedBeforeLastResume: z.number().describe('days of the limit used before the last resume'),
      pauses: z.array(
        z.object({
          from: z.string(),
          to: z.string().nullable(),
          daysNotCounted: z.number().describe('days inside the pause, not counted (补正期间不计入办理时限)'),
        }),
      ),
      extensions: z.array(clockExtensionSchema),
      count: dueDateExplanationSchema.describe('the count from the last start or resume to the due day'),
      remainingWhenPaused: z.number().optional().describe('while paused: what remains when it resumes'),
    }),
    z.object({
      ...explanationFields,
      calendarMissing: z.string().describe('the calendar layer the count needs, e.g. `national/2027`'),
      rules: z.array(z.string()),
    }),
  ])
  .register(responseSchemas, { id: 'ClockExplanation' });
