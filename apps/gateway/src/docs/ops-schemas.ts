import { z } from 'zod';
import { EVIDENCE_TAGS } from '@minsheng/domain';
import { isoDate, responseSchemas, timestamp } from './schema-primitives.js';

/**
 * The answers of the operator API (docs/operations.md): queues and jobs, stuck cases and re-drive, a case's trace
 * and replay, the backlog forecast, the assumptions in force, the SLA board; and the health checks.
 */

const bullState = z.string().describe('the BullMQ state: waiting, active, delayed, failed, completed …, or `unknown`');

export const queueSchema = z
  .object({
    name: z.string(),
    paused: z.boolean(),
    waiting: z.int(),
    prioritized: z.int(),
    active: z.int(),
    delayed: z.int(),
    failed: z.int(),
    completed: z.int(),
    completedLastMinute: z.int().describe('among the completed jobs still kept (docs/operations.md)'),
    completedLastHour: z.int(),
    oldestWaitingSeconds: z.number().nullable().describe('null when no job waits'),
  })
  .register(responseSchemas, { id: 'Queue' });

export const queueListSchema = z
  .object({
    backend: z.enum(['redis', 'postgres']).describe('where the queues run (docs/operations.md "Queue backends")'),
    items: z.array(queueSchema),
  })
  .register(responseSchemas, { id: 'QueueList' });

export const jobSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: bullState,
    caseId: z.string().nullable(),
    commandId: z.string().nullable(),
    eventType: z.string().nullable(),
    attemptsMade: z.int(),
    attempts: z.int(),
    failedReason: z.string().nullable(),
    createdAt: timestamp,
    processedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    delayMs: z.number(),
  })
  .register(responseSchemas, { id: 'Job' });

export const jobPageSchema = z
  .object({ items: z.array(jobSchema), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'JobPage' });

export const jobRetriedSchema = z.object({ job: jobSchema }).register(responseSchemas, { id: 'JobRetried' });
export const jobDiscardedSchema = z
  .object({ job: jobSchema, discarded: z.literal(true) })
  .register(responseSchemas, { id: 'JobDiscarded' });
export const queueRetriedSchema = z
  .object({ queue: z.string(), retried: z.int().describe('the failed jobs moved back to waiting') })
  .register(responseSchemas, { id: 'QueueRetried' });
export const queuePausedSchema = z
  .object({ queue: z.string(), paused: z.boolean() })
  .register(responseSchemas, { id: 'QueuePaused' });

const stuckCaseRef = {
  caseId: z.string(),
  trackingNumber: z.string(),
  itemCode: z.string(),
  status: z.string(),
  departmentCode: z.string(),
  division: z.string(),
  jobId: z.string(),
};

export const stuckCaseSchema = z
  .union([
    z.object({
      ...stuckCaseRef,
      reason: z.enum(['missing', 'failed']).describe('`missing`: no job holds the command; `failed`: attempts used up'),
      commandId: z.string(),
      eventType: z.string(),
      commandWrittenAt: timestamp,
      relayed: z.boolean(),
      failedReason: z.string().nullable(),
      attemptsMade: z.int().nullable(),
    }),
    z.object({
      ...stuckCaseRef,
      reason: z.literal('no-timer').describe('a running clock with no live job for its next timer'),
      clock: z.object({
        clockId: z.string(),
        name: z.string(),
        generation: z.int(),
        dueAt: timestamp,
        timer: z.enum(['reminder', 'due', 'escalation']),
      }),
    }),
  ])
  .register(responseSchemas, { id: 'StuckCase' });

export const stuckCasesSchema = z
  .object({ items: z.array(stuckCaseSchema) })
  .register(responseSchemas, { id: 'StuckCases' });

export const redriveSchema = z
  .object({ redriven: stuckCaseSchema, jobId: z.string() })
  .register(responseSchemas, { id: 'Redrive' });

export const timerSchema = z
  .object({
    id: z.string(),
    timer: z.enum(['reminder', 'due', 'escalation']),
    clock: z.string(),
    generation: z.int(),
    current: z.boolean().describe('false for a timer of an older generation: it does nothing'),
    state: bullState,
    armedAt: timestamp,
    fireAt: timestamp,
    processedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    attemptsMade: z.int(),
    failedReason: z.string().nullable(),
    result: z
      .object({ outcome: z.string().optional(), action: z.string().optional(), reason: z.string().optional() })
      .nullable(),
  })
  .register(responseSchemas, { id: 'Timer' });

/** The fields a timeline entry may carry besides `at` and `kind`: which ones depends on the kind. */
export const traceEntrySchema = z
  .object({
    at: timestamp,
    kind: z
      .string()
      .describe(
        '`event`, `outbox`, `outbox.relayed`, `task.opened`, `task.closed`, `clock.started`, `clock.paused`, ' +
          '`clock.reminded`, `clock.breached`, `clock.stopped`, `job.queued`, `job.started`, `job.finished`, ' +
          '`job.failed`, `timer.armed`, `timer.pending`, `timer.fired`, `timer.finished`, `timer.failed`',
      ),
    requestId: z.string().nullable().optional(),
    seq: z.int().optional(),
    eventId: z.string().optional(),
    type: z.string().optional(),
    actor: z.string().optional(),
    outboxId: z.string().optional(),
    outboxKind: z.string().optional(),
    commandId: z.string().nullable().optional(),
    eventType: z.string().nullable().optional(),
    availableAt: timestamp.nullable().optional(),
    attempts: z.int().optional(),
    taskId: z.string().optional(),
    step: z.string().optional(),
    level: z.string().optional(),
    department: z.string().optional(),
    division: z.string().optional(),
    status: z.string().optional(),
    outcome: z.string().nullable().optional(),
    dueAt: timestamp.nullable().optional(),
    clock: z.string().optional(),
    clockKind: z.string().optional(),
    generation: z.int().optional(),
    jobId: z.string().optional(),
    queue: z.string().optional(),
    attemptsMade: z.int().optional(),
    state: z.string().optional(),
    failedReason: z.string().nullable().optional(),
    timer: z.string().optional(),
    fireAt: timestamp.optional(),
    current: z.boolean().optional(),
    result: timerSchema.shape.result.optional(),
  })
  .register(responseSchemas, { id: 'TraceEntry' });

export const caseTraceSchema = z
  .object({
    case: z.object({
      id: z.uuid(),
      trackingNumber: z.string(),
      itemCode: z.string(),
      status: z.string(),
      submittedAt: timestamp,
      closedAt: timestamp.nullable(),
    }),
    requests: z.array(
      z.object({
        requestId: z.string(),
        firstAt: timestamp,
        events: z.int(),
        commands: z.int().describe('outbox rows'),
      }),
    ),
    jobs: z.array(jobSchema).describe('the jobs of its commands (`apply`)'),
    timers: z.array(timerSchema),
    timeline: z.array(traceEntrySchema),
  })
  .register(responseSchemas, { id: 'CaseTrace' });

export const chainCheckSchema = z
  .object({
    ok: z.boolean(),
    events: z.int(),
    brokenAtSeq: z.int().optional(),
    reason: z.string().optional(),
  })
  .register(responseSchemas, { id: 'ChainCheck' });

export const caseReplaySchema = z
  .object({
    caseId: z.uuid(),
    trackingNumber: z.string(),
    status: z.string(),
    events: z.int(),
    chain: chainCheckSchema.describe('the event chain: `ok`, or the first seq whose stored event no longer matches'),
    verdict: z.enum(['consistent', 'diverged', 'unreplayable', 'not-started']),
    divergences: z.array(
      z.object({
        field: z.enum(['machine', 'snapshot', 'status', 'closed', 'currentSteps', 'openTasks']),
        stored: z.unknown().describe('the stored value of `field`, as stored (any JSON)'),
        replayed: z.unknown().describe('the value the replay arrives at (any JSON)'),
      }),
    ),
    problem: z.object({ atSeq: z.int().nullable(), reason: z.string() }).optional(),
  })
  .register(responseSchemas, { id: 'CaseReplay' });

export const forecastSchema = z
  .object({
    asOf: isoDate,
    windowDays: z.int(),
    windowStart: isoDate,
    horizons: z.array(z.int()),
    method: z.literal('fifo-by-due-date'),
    items: z.array(
      z.object({
        department: z.string(),
        division: z.string(),
        decidedInWindow: z.int(),
        open: z.int(),
        overdue: z.int(),
        undated: z.int(),
        ratePerDay: z.number(),
        clearanceDays: z.number().nullable().describe('null when the office decides nothing'),
        breaches: z
          .record(z.string(), z.int())
          .describe('per horizon h (working days): tasks due within h that the office will not reach in time'),
      }),
    ),
  })
  .register(responseSchemas, { id: 'Forecast' });

const evidence = z.enum(EVIDENCE_TAGS);

export const assumptionsSchema = z
  .object({
    asOf: timestamp,
    parameters: z.array(
      z.object({
        key: z.string(),
        value: z.number(),
        unit: z.string(),
        validFrom: isoDate.nullable(),
        validTo: isoDate.nullable(),
        source: z.string(),
        evidence,
        note: z.string().nullable(),
        knownUntil: isoDate.nullable(),
        why: z.enum(['assumption', 'past-known-validity']),
        items: z.array(z.string()),
        openCases: z.int(),
      }),
    ),
    limits: z.array(
      z.object({
        amount: z.number(),
        unit: z.string(),
        source: z.string(),
        evidence,
        uses: z.array(z.object({ item: z.string(), name: z.string() })),
        why: z.literal('assumption'),
        openCases: z.int(),
      }),
    ),
    calendars: z.array(z.object({ calendar: z.string(), why: z.literal('provisional'), openCases: z.int() })),
  })
  .register(responseSchemas, { id: 'Assumptions' });

export const slaBoardSchema = z
  .object({
    asOf: timestamp,
    totals: z.object({ late: z.int(), atRisk: z.int() }),
    offices: z.array(
      z.object({
        department: z.string(),
        office: z.object({ divisionCode: z.string(), divisionName: z.string().nullable() }),
        late: z.object({
          count: z.int(),
          oldestDueAt: timestamp.nullable(),
          longestOverdueSeconds: z.number().nullable(),
        }),
        atRisk: z.object({
          count: z.int(),
          nextDueAt: timestamp.nullable(),
          shortestTimeToBreachSeconds: z.number().nullable(),
        }),
        calendarMissing: z.int().describe('running clocks whose count reaches a calendar year not yet published'),
      }),
    ),
    steps: z.array(
      z.object({
        caseId: z.string(),
        trackingNumber: z.string(),
        itemCode: z.string(),
        clock: z.string(),
        state: z.enum(['late', 'at-risk']),
        department: z.string(),
        office: z.string(),
        dueAt: timestamp,
        provisional: z.boolean(),
        basis: z.enum(['statutory', 'target']),
        breachedAt: timestamp.nullable(),
        timeToBreachSeconds: z.number(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'SlaBoard' });

export const slaHistorySchema = z
  .object({
    asOf: timestamp,
    days: z.int(),
    offices: z.array(
      z.object({
        department: z.string(),
        office: z.object({ divisionCode: z.string(), divisionName: z.string().nullable() }),
      }),
    ),
    points: z.array(
      z.object({
        at: timestamp,
        totals: z.object({ late: z.int(), atRisk: z.int() }),
        late: z.array(z.int()).describe('per office, in the order of `offices`'),
        atRisk: z.array(z.int()).describe('per office, in the order of `offices`'),
      }),
    ),
  })
  .register(responseSchemas, { id: 'SlaHistory' });

const indicators = () =>
  z
    .record(
      z.string(),
      z.object({ status: z.string(), message: z.string().optional(), responseTime: z.number().optional() }),
    )
    .describe('per dependency (`database`, `redis`): `up`, or `down` with a message; `responseTime` in milliseconds');

export const healthSchema = z
  .object({
    status: z.string().describe('`ok`, `error` or `shutting_down`'),
    info: indicators().optional(),
    error: indicators().optional(),
    details: indicators().optional(),
  })
  .register(responseSchemas, { id: 'Health' });
