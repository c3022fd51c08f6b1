import { randomUUID } from 'node:crypto';
import { URUMQI_CITY_CODE, type CalendarSet, type Level, type StandardParameter } from '@minsheng/domain';
import type { NewCaseEvent, OutboxMessage, Queryable } from '@minsheng/infra';
import type { Intent, OpenTaskParams } from '@minsheng/workflows';
import * as clocks from './clock-intents.js';
import type { LockedCase } from './case-step.js';
import { entitlementFor, withGrant, type StoredEntitlement } from './entitlement.js';

const ENGINE_ACTOR = 'system:engine';

/** What carrying out a step's intents produced, for the case UPDATE, the event chain and the outbox. */
export interface IntentEffects {
  readonly events: NewCaseEvent[];
  readonly outbox: OutboxMessage[];
  entitlement: StoredEntitlement | null;
}

/**
 * Turns each intent into rows, in the machine's order, inside the engine's transaction (docs/architecture.md invariant
 * 5): tasks, clocks, the entitlement, and one event per intent so the case's history says what happened.
 * Sending a notification is out of scope here: `notifyApplicant` is recorded as APPLICANT_NOTIFIED.
 *
 * Round trips are the step's main cost (docs/architecture.md "Where the time goes"): the clock intents run as they come
 * (their functions read and write `case_clocks` themselves), while the task writes of the step wait in a
 * {@link TaskBatch} and go as one statement. Events keep the intents' order: a task's event is filled in once
 * its batch has run.
 */
export async function applyIntents(
  q: Queryable,
  row: LockedCase,
  intents: readonly Intent[],
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  calendars: CalendarSet,
  requestId: string | null,
  /** The published standard parameters amounts are computed from (docs/domain.md §7). */
  parameters: readonly StandardParameter[] = [],
): Promise<IntentEffects> {
  const effects: IntentEffects = { events: [], outbox: [], entitlement: null };
  const slots: (() => NewCaseEvent | null)[] = [];
  const engineEvent = (type: string, payload: Record<string, unknown>): NewCaseEvent => ({
    id: randomUUID(),
    type,
    actor: ENGINE_ACTOR,
    payload,
    occurredAt: now,
    requestId,
  });
  const event = (type: string, payload: Record<string, unknown>) => {
    const ready = engineEvent(type, payload);
    slots.push(() => ready);
  };
  // A stopped or paused clock has nothing to arm (its older generations' timers fire and do nothing), so only a
  // clock that runs on (started, resumed, extended) writes `clock.changed`: each is an arm job and two reads.
  const clockChanged = (
    change: clocks.ClockChange | null,
    type: string,
    extra: Record<string, unknown> = {},
    running = true,
  ) => {
    if (change === null) return;
    const { caseId, ...details } = change;
    event(type, { ...details, ...extra });
    if (!running) return;
    effects.outbox.push({
      kind: 'clock.changed',
      caseId,
      payload: { caseId, clock: change.clock, generation: change.generation },
      requestId,
    });
  };
  const tasks = new TaskBatch(row, now);
  // A task opened earlier in this step reads its due time from the clocks as they are at that point: a later
  // intent on its own clock (or the overall one) must not change what it reads, so the batch goes first.
  const beforeClock = async (clock: string) => {
    if (tasks.opensReadingClock(clock)) await tasks.flush(q);
  };

  for (const intent of intents) {
    switch (intent.type) {
      case 'openTask': {
        const open = await tasks.open(q, intent.params);
        slots.push(() => (open.task === null ? null : engineEvent('TASK_OPENED', open.task)));
        break;
      }
      case 'closeTask': {
        const step = intent.params.step;
        const close = await tasks.close(q, step);
        slots.push(() => (close.closed ? engineEvent('TASK_CLOSED', { step }) : null));
        break;
      }
      case 'startClock': {
        await beforeClock(intent.params.clock);
        const change = await clocks.startClock(q, row.id, intent.params, now, calendars);
        clockChanged(change, 'CLOCK_STARTED', { kind: intent.params.kind, limit: intent.params.limit });
        break;
      }
      case 'pauseClock':
        await beforeClock(intent.params.clock);
        clockChanged(await clocks.pauseClock(q, row.id, intent.params, now, calendars), 'CLOCK_PAUSED', {}, false);
        break;
      case 'resumeClock':
        await beforeClock(intent.params.clock);
        clockChanged(await clocks.resumeClock(q, row.id, intent.params, now, calendars), 'CLOCK_RESUMED');
        break;
      case 'stopClock':
        await beforeClock(intent.params.clock);
        clockChanged(await clocks.stopClock(q, row.id, intent.params, now), 'CLOCK_STOPPED', {}, false);
        break;
      case 'extendClock':
        await beforeClock(intent.params.clock);
        clockChanged(await clocks.extendClock(q, row.id, intent.params, now, calendars), 'CLOCK_EXTENDED', {
          toAmount: intent.params.toAmount,
          reason: intent.params.reason,
          actor: intent.params.actor,
        });
        break;
      case 'notifyApplicant':
        event('APPLICANT_NOTIFIED', { ...intent.params });
        break;
      case 'publishNotice':
        event('NOTICE_PUBLISHED', { ...intent.params });
        break;
      case 'recordDecision':
        event('DECISION_RECORDED', { ...intent.params });
        break;
      case 'grantEntitlement': {
        const granted = entitlementFor(intent.params, facts, now, parameters);
        effects.entitlement = withGrant(effects.entitlement, granted);
        event('ENTITLEMENT_GRANTED', {
          kind: granted.kind,
          monthlyAmountFen: granted['monthlyAmountFen'] ?? null,
          amountFen: granted['amountFen'] ?? null,
          formula: granted['formula'],
          provisional: granted['provisional'] ?? false,
        });
        break;
      }
      case 'closeCase':
        event('CASE_CLOSED', { outcome: intent.params.outcome });
        break;
    }
  }
  await tasks.flush(q);
  for (const slot of slots) {
    const ready = slot();
    if (ready !== null) effects.events.push(ready);
  }
  return effects;
}

/**
 * The office that acts at a level: the street office (and its communities) that accepted the application, the
 * district bureau that approves, or the city bureau.
 */
export function divisionFor(row: Pick<LockedCase, 'accepting_division' | 'approving_division'>, level: Level): string {
  switch (level) {
    case 'community':
    case 'street':
      return row.accepting_division;
    case 'district':
      return row.approving_division;
    case 'city':
      return URUMQI_CITY_CODE;
  }
}

interface PendingOpen {
  readonly params: OpenTaskParams;
  readonly department: string;
  readonly division: string;
  /** The TASK_OPENED payload once the batch ran; null when the step's task was already open. */
  task: Record<string, unknown> | null;
}

interface PendingClose {
  readonly step: string;
  closed: boolean;
}

/**
 * The task writes of one step, sent as one statement (UPDATE of the closed steps and multi-row INSERT of the
 * opened ones). The batch runs before it would change a result: before a second write to a step it already holds
 * (close then reopen must stay in that order), and before a clock intent a pending task reads its due time from.
 *
 * One open task per step (a partial unique index): a step entered again while its task is open keeps the task.
 * Its due time is the step's own clock when it has one, else the case's overall clock, as the clocks are when the
 * batch runs (clock rows are written in intent order, before the tasks that read them).
 */
export class TaskBatch {
  private opens: PendingOpen[] = [];
  private closes: PendingClose[] = [];

  constructor(
    private readonly row: LockedCase,
    private readonly now: Date,
  ) {}

  async open(q: Queryable, params: OpenTaskParams): Promise<PendingOpen> {
    if (this.holds(params.step)) await this.flush(q);
    const pending: PendingOpen = {
      params,
      department: params.department ?? this.row.department_code,
      division: divisionFor(this.row, params.level),
      task: null,
    };
    this.opens.push(pending);
    return pending;
  }

  /** Closes the step's open task; a task a reviewer decided was closed by the decision already. */
  async close(q: Queryable, step: string): Promise<PendingClose> {
    if (this.holds(step)) await this.flush(q);
    const pending: PendingClose = { step, closed: false };
    this.closes.push(pending);
    return pending;
  }

  /** Whether a pending task would read the due time of `clock` (its own step's clock, or the overall one). */
  opensReadingClock(clock: string): boolean {
    return this.opens.some((o) => clock === 'overall' || o.params.step === clock);
  }

  async flush(q: Queryable): Promise<void> {
    const opens = this.opens;
    const closes = this.closes;
    if (opens.length === 0 && closes.length === 0) return;
    this.opens = [];
    this.closes = [];
    const rows = (await q.query(TASK_BATCH, [
      this.row.id,
      closes.map((c) => c.step),
      this.row.item_code,
      this.now,
      JSON.stringify(
        opens.map((o) => ({
          step: o.params.step,
          kind: o.params.kind,
          level: o.params.level,
          department: o.department,
          division: o.division,
          outcomes: o.params.outcomes,
          reject_reasons: o.params.rejectReasons,
          details: {
            ...(o.params.payment === undefined ? {} : { payment: o.params.payment }),
            ...(o.params.proposal === undefined ? {} : { proposal: o.params.proposal }),
            ...(o.params.parts === undefined ? {} : { parts: o.params.parts }),
          },
        })),
      ),
    ])) as { op: 'closed' | 'opened'; step: string; id: string | null; due_at: Date | null }[];
    for (const result of updatedRows<(typeof rows)[number]>(rows)) {
      if (result.op === 'closed') {
        for (const c of closes) if (c.step === result.step) c.closed = true;
        continue;
      }
      const open = opens.find((o) => o.params.step === result.step);
      if (open === undefined) continue;
      open.task = {
        taskId: result.id,
        step: open.params.step,
        kind: open.params.kind,
        level: open.params.level,
        department: open.department,
        division: open.division,
        dueAt: result.due_at === null ? null : new Date(result.due_at).toISOString(),
      };
    }
  }

  private holds(step: string): boolean {
    return this.opens.some((o) => o.params.step === step) || this.closes.some((c) => c.step === step);
  }
}

const TASK_BATCH = `
  WITH closed AS (
    UPDATE tasks SET closed_at = $4, status = 'closed', version = version + 1
    WHERE case_id = $1 AND step = ANY($2::text[]) AND closed_at IS NULL
    RETURNING step),
  opened AS (
    INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, outcomes, reject_reasons,
                       details, opened_at, due_at)
    SELECT $1, t.step, t.kind, t.level, t.department, t.division, $3, t.outcomes, t.reject_reasons, t.details, $4,
           (SELECT k.due_at FROM case_clocks k
             WHERE k.case_id = $1 AND k.clock IN (t.step, 'overall') AND k.stopped_at IS NULL AND k.paused_at IS NULL
             ORDER BY (k.clock = t.step) DESC LIMIT 1)
    FROM jsonb_to_recordset($5::jsonb) AS t(step text, kind text, level text, department text, division text,
                                            outcomes text[], reject_reasons text[], details jsonb)
    ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING
    RETURNING id, step, due_at)
  SELECT 'closed' AS op, step, NULL::uuid AS id, NULL::timestamptz AS due_at FROM closed
  UNION ALL
  SELECT 'opened', step, id, due_at FROM opened`;

/**
 * The rows of any statement's answer: TypeORM gives an UPDATE … RETURNING as `[rows, count]` and a SELECT as the
 * rows; a pg client gives `{ rows }`.
 */
export function updatedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  if (!Array.isArray(result) && typeof result === 'object' && result !== null && 'rows' in result) {
    return (result as { rows: T[] }).rows;
  }
  return result as T[];
}
