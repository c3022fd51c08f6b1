/**
 * The one contract of minsheng's queues: names, job names and payloads. Payloads carry ids, never documents or
 * personal data (Redis is not a place for resident ID numbers). Each job name has exactly one handler, checked
 * at worker start-up against `JOB_NAMES`.
 */
export const QUEUES = {
  heartbeat: 'heartbeat',
  /** Commands for the engine: one job applies one event to one case. */
  caseCommands: 'case-commands',
  /**
   * Statutory clocks: arming each clock's reminder, due and escalation timers, firing them, reconciling, and the
   * daily check that next year's calendars are published.
   */
  clockTimers: 'clock-timers',
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

/** A workflow event for one case (the vocabulary of libs/workflows `events.ts`), with who sent it. */
export interface CaseCommand {
  readonly caseId: string;
  readonly commandId: string;
  readonly event: { readonly type: string; readonly [key: string]: unknown };
  readonly actor: string;
  readonly requestId?: string | null;
}

/** Kinds of outbox rows and the queue + job each becomes (job id: `<kind-prefix>-<commandId or outbox id>`). */
export interface OutboxPayloads {
  'case.command': CaseCommand;
  /**
   * A statutory clock of a case started, resumed, extended or recomputed: the timers re-read the `case_clocks`
   * row and (re)schedule its delayed jobs. `generation` is the row's generation after the change. Stopping or
   * pausing a clock writes none: there is nothing to arm, and the older generations' timers do nothing.
   * Routed to the `clock-timers` queue once its processor exists; until then the relay leaves these rows unsent.
   */
  'clock.changed': ClockChanged;
}

/** Ids only: the clock row is the truth, this says which one moved. */
export interface ClockChanged {
  readonly caseId: string;
  readonly clock: string;
  readonly generation: number;
}
export type OutboxKind = keyof OutboxPayloads;

export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;

export const JOB_NAMES: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  heartbeat: ['beat'],
  'case-commands': ['apply'],
  'clock-timers': ['arm', 'reminder', 'due', 'escalation', 'reconcile', 'calendar-check'],
};

/** Finished jobs are kept long enough for an operator to look, then removed so Redis holds only work to do. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3_600 },
} as const;
