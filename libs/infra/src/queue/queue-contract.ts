/**
 * The one contract of what crosses processes (docs/architecture.md invariant 14): queue names, job names and
 * payloads, job ids, outbox kinds and the route each kind takes. Plain TypeScript, no framework: the gateway, the
 * worker, ops and tools import it from here and nowhere else. Payloads carry ids, never documents or personal data
 * (Redis is not a place for resident ID numbers). Each job name has exactly one handler, checked at worker start-up
 * against `JOB_NAMES` (and by test/integration/foundation/job-handlers.int-spec.ts over the real processors).
 */
import { z } from 'zod';
import { DomainError } from '@minsheng/domain';
import { type CaseEvent, caseEventSchema } from '@minsheng/workflows';

export const QUEUES = {
  heartbeat: 'heartbeat',
  /** Commands for the engine: one job applies one event to one case. */
  caseCommands: 'case-commands',
  /**
   * Statutory clocks: arming each clock's reminder, due and escalation timers, firing them, reconciling, and the
   * daily check that next year's calendars are published.
   */
  clockTimers: 'clock-timers',
  /**
   * Recomputing the running clocks after a calendar version is published: one job per version, in batches. A queue
   * of its own, so a long recomputation never holds up the clock timers.
   */
  calendarRecomputations: 'calendar-recomputations',
  /** Outgoing webhooks: one job sends one delivery once (docs/webhooks.md). */
  webhooks: 'webhooks',
  /**
   * Monthly payment runs (docs/money.md): the job scheduler's daily `schedule` job opens the month's run on its
   * published day, and one `build` job per run writes its lines in batches from the run row's cursor.
   */
  paymentRuns: 'payment-runs',
  /**
   * Periodic review (动态管理, docs/money.md "Periodic review"): the daily `sweep` gives review dates, opens the
   * reviews due, suspends the households that did not answer in time and ends finished gradual exits.
   */
  entitlementReviews: 'entitlement-reviews',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  heartbeat: {
    /** Written by the job scheduler; the processor proves the queue → worker → database path. */
    beat: { requestedAt: string };
  };
  'case-commands': {
    /** Apply `event` to the case. `commandId` is unique: an already applied command is recognised and skipped. */
    apply: CaseCommand;
  };
  'clock-timers': {
    /**
     * (Re-)arm the timers of one clock from its row. The relay arms `clock.changed` rows itself; this job is for
     * operators and tools (and arm jobs queued before the relay did so).
     */
    arm: ClockChanged;
    /** One timer of one clock generation; acts only if the generation still matches and the clock runs. */
    reminder: ClockTimer;
    due: ClockTimer;
    escalation: ClockTimer;
    /** Re-arm every running clock from PostgreSQL (job scheduler, and at worker start). */
    reconcile: { requestedAt: string };
    /**
     * From 1 November, alert operators to next year's calendar layers still missing or only provisional
     * (`calendar.year-not-published`; job scheduler, daily, and at worker start).
     */
    'calendar-check': { requestedAt: string };
  };
  'calendar-recomputations': {
    /** Recompute the running clocks a calendar version can move, batch by batch, from the row's cursor. */
    recompute: CalendarRecompute;
  };
  webhooks: {
    /** One attempt of one delivery; the `webhook_deliveries` row says what to send and whether it is still due. */
    deliver: WebhookDeliver;
  };
  'payment-runs': {
    /** Build the lines of one run, batch by batch, from the row's cursor; a finished run is skipped. */
    build: PaymentRunBuild;
    /**
     * Open the run of the business month (the injected clock's, Asia/Shanghai) if its published day has come and it
     * is not open yet, and queue its build (job scheduler, daily; the day is `payment-runs.day-of-month`).
     */
    schedule: { requestedAt: string };
  };
  'entitlement-reviews': {
    /** One pass of the review sweep at the business day of the injected clock (job scheduler, daily). */
    sweep: { requestedAt: string };
  };
}

/**
 * Ids only: the delivery row holds the body. `dispatch` is the row's dispatch number when this job was queued; a
 * job whose number is no longer the row's is stale and does nothing. `delayMs` (retries) is how long the relay
 * holds the job back.
 */
export interface WebhookDeliver {
  readonly deliveryId: string;
  readonly dispatch: number;
  readonly delayMs?: number;
}

/** Ids only: the `payment_runs` row holds the month and the progress; the run id makes the job id. */
export interface PaymentRunBuild {
  readonly runId: string;
  readonly month: string;
}

/** Ids only: the `calendar_recomputations` row holds the progress; region, year and version make the job id. */
export interface CalendarRecompute {
  readonly recomputationId: string;
  readonly region: string;
  readonly year: number;
  readonly version: number;
}

/** Job id: `clock-<clockId>-<reminder|due|escalation>-g<generation>` (BullMQ refuses ':'). */
export interface ClockTimer {
  readonly clockId: string;
  readonly generation: number;
  /**
   * The business instant the timer is for (ISO 8601). The job's delay is this minus the business clock's now, so a
   * test that advances its clock fires exactly the timers due by then (test/support/time-travel.ts).
   */
  readonly at?: string;
}

/**
 * A workflow event for one case (the vocabulary of libs/workflows `events.ts`), with who sent it. Validated where
 * it is consumed (`parseCaseCommand`, the case-commands processor): a payload that does not fit fails its job
 * permanently.
 */
export interface CaseCommand {
  readonly caseId: string;
  readonly commandId: string;
  readonly event: CaseEvent;
  readonly actor: string;
  readonly requestId?: string | null;
}

/** Kinds of outbox rows; `OUTBOX_ROUTES` says which queue and job each becomes. */
export interface OutboxPayloads {
  'case.command': CaseCommand;
  /**
   * A statutory clock of a case started, resumed, extended or recomputed: the timers re-read the `case_clocks`
   * row and (re)schedule its delayed jobs. `generation` is the row's generation after the change. Stopping or
   * pausing a clock writes none: there is nothing to arm, and the older generations' timers do nothing.
   * Routed to the `clock-timers` queue once its processor exists; until then the relay leaves these rows unsent.
   */
  'clock.changed': ClockChanged;
  /** A calendar version was published: its recomputation row is queued (docs/calendars.md). */
  'calendar.recompute': CalendarRecompute;
  /** A webhook delivery is due: written with the delivery, with a retry, or when its predecessor finished. */
  'webhook.deliver': WebhookDeliver;
  /** A payment run was opened: its lines are built by the worker (docs/money.md). */
  'payment-run.build': PaymentRunBuild;
}

/** Ids only: the clock row is the truth, this says which one moved. */
export interface ClockChanged {
  readonly caseId: string;
  readonly clock: string;
  readonly generation: number;
}
export type OutboxKind = keyof OutboxPayloads;

const caseCommandSchema = z.looseObject({
  caseId: z.uuid(),
  commandId: z.uuid(),
  event: caseEventSchema,
  actor: z.string().min(1),
  requestId: z.string().nullish(),
});

/** Why a payload is not a `CaseCommand`: each problem with the field it is about (`event.outcome`). */
export class InvalidCaseCommandError extends DomainError {
  constructor(readonly issues: readonly { readonly field: string; readonly message: string }[]) {
    super(
      'COMMAND.INVALID',
      `invalid case command: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
      {
        issues,
      },
    );
  }
}

/**
 * A `case-commands` payload checked against the contract, as the consumer must before acting on it (it came
 * through the outbox and Redis as JSON). Throws `InvalidCaseCommandError` naming each wrong field.
 */
export function parseCaseCommand(data: unknown): CaseCommand {
  const result = caseCommandSchema.safeParse(data);
  if (!result.success) {
    throw new InvalidCaseCommandError(
      result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(payload)', message: issue.message })),
    );
  }
  return data as CaseCommand;
}

export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;

export const JOB_NAMES: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  heartbeat: ['beat'],
  'case-commands': ['apply'],
  'clock-timers': ['arm', 'reminder', 'due', 'escalation', 'reconcile', 'calendar-check'],
  'calendar-recomputations': ['recompute'],
  webhooks: ['deliver'],
  'payment-runs': ['build', 'schedule'],
  'entitlement-reviews': ['sweep'],
};

/** Finished jobs are kept long enough for an operator to look, then removed so Redis holds only work to do. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3_600 },
} as const;

/** The timers of a statutory clock (`clock-timers` queue job names). */
export type TimerKind = 'reminder' | 'due' | 'escalation';

/** BullMQ job id of a case command: deterministic, so a re-drive or a second relay never runs it twice. */
export function commandJobId(commandId: string): string {
  return `cmd-${commandId}`;
}

/** BullMQ job id of one timer of one clock generation (BullMQ refuses ':' in custom ids). */
export function timerJobId(clockId: string, kind: TimerKind, generation: number): string {
  return `clock-${clockId}-${kind}-g${generation}`;
}

/** BullMQ job id of the recomputation of one calendar version: publishing it twice queues one job. */
export function calendarRecomputeJobId(change: { region: string; year: number; version: number }): string {
  return `calendar-recompute-${change.region}-${change.year}-v${change.version}`;
}

/** BullMQ job id of one dispatch of one webhook delivery: a second relay of the same row adds nothing. */
export function webhookDeliverJobId(deliver: Pick<WebhookDeliver, 'deliveryId' | 'dispatch'>): string {
  return `webhook-${deliver.deliveryId}-d${deliver.dispatch}`;
}

/** BullMQ job id of the build of one payment run: opening or relaying it twice queues one job. */
export function paymentRunJobId(runId: string): string {
  return `payment-run-${runId}`;
}

/** Where the relay sends an outbox row: the queue, the job name and a deterministic job id. */
export interface OutboxRoute<K extends OutboxKind = OutboxKind> {
  readonly queue: QueueName;
  readonly jobName: string;
  /** BullMQ ignores a job whose id exists (a second relay of the same row adds nothing) and rejects ':' in ids. */
  readonly jobId: (payload: OutboxPayloads[K], outboxId: string) => string;
  /** How long BullMQ holds the job back (milliseconds), when the kind can be delayed. */
  readonly delayMs?: (payload: OutboxPayloads[K]) => number | undefined;
}

/**
 * Only kinds with a route here (and `ARMED_BY_RELAY`) are relayed; a kind without one stays unsent in the outbox
 * (nothing is lost), and adding its route relays the backlog.
 */
export const OUTBOX_ROUTES: { readonly [K in OutboxKind]?: OutboxRoute<K> } = {
  'case.command': {
    queue: QUEUES.caseCommands,
    jobName: 'apply' satisfies JobName<'case-commands'>,
    jobId: (payload) => commandJobId(payload.commandId),
  },
  'calendar.recompute': {
    queue: QUEUES.calendarRecomputations,
    jobName: 'recompute' satisfies JobName<'calendar-recomputations'>,
    jobId: (payload) => calendarRecomputeJobId(payload),
  },
  'webhook.deliver': {
    queue: QUEUES.webhooks,
    jobName: 'deliver' satisfies JobName<'webhooks'>,
    jobId: (payload) => webhookDeliverJobId(payload),
    delayMs: (payload) => payload.delayMs,
  },
  'payment-run.build': {
    queue: QUEUES.paymentRuns,
    jobName: 'build' satisfies JobName<'payment-runs'>,
    jobId: (payload) => paymentRunJobId(payload.runId),
  },
};

/**
 * Kinds the relay acts on itself instead of queueing: a `clock.changed` row is armed in the relay's round (one
 * SELECT of the round's clocks, one `addBulk` of their timers), not through an arm job per clock change, which
 * cost a job's Redis round trips and two statements of its own on every step that moved a clock
 * (bench/profiles/engine.md).
 */
export const ARMED_BY_RELAY = 'clock.changed' satisfies OutboxKind;

/** Every kind the relay takes from the outbox. */
export const ROUTED_KINDS = [...Object.keys(OUTBOX_ROUTES), ARMED_BY_RELAY] as OutboxKind[];
