import { randomUUID } from 'node:crypto';
import { URUMQI_CITY_CODE, type CalendarSet, type Level } from '@minsheng/domain';
import type { NewCaseEvent, OutboxMessage, Queryable } from '@minsheng/infra';
import type { Intent, OpenTaskParams } from '@minsheng/workflows';
import * as clocks from './clock-intents.js';
import type { LockedCase } from './case-step.js';
import { entitlementFor, type StoredEntitlement } from './entitlement.js';

const ENGINE_ACTOR = 'system:engine';

/** What carrying out a step's intents produced, for the case UPDATE, the event chain and the outbox. */
export interface IntentEffects {
  readonly events: NewCaseEvent[];
  readonly outbox: OutboxMessage[];
  entitlement: StoredEntitlement | null;
}

/**
 * Turns each intent into rows, in the machine's order, inside the engine's transaction (design.md invariant 5):
 * tasks, clocks, the entitlement, and one event per intent so the case's history says what happened.
 * Sending a notification is out of scope here: `notifyApplicant` is recorded as APPLICANT_NOTIFIED.
 */
export async function applyIntents(
  q: Queryable,
  row: LockedCase,
  intents: readonly Intent[],
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  calendars: CalendarSet,
  requestId: string | null,
): Promise<IntentEffects> {
  const effects: IntentEffects = { events: [], outbox: [], entitlement: null };
  const event = (type: string, payload: Record<string, unknown>) =>
    effects.events.push({ id: randomUUID(), type, actor: ENGINE_ACTOR, payload, occurredAt: now, requestId });
  const clockChanged = (change: clocks.ClockChange | null, type: string, extra: Record<string, unknown> = {}) => {
    if (change === null) return;
    const { caseId, ...details } = change;
    event(type, { ...details, ...extra });
    effects.outbox.push({
      kind: 'clock.changed',
      caseId,
      payload: { caseId, clock: change.clock, generation: change.generation },
      requestId,
    });
  };

  for (const intent of intents) {
    switch (intent.type) {
      case 'openTask': {
        const task = await openTask(q, row, intent.params);
        if (task !== null) event('TASK_OPENED', task);
        break;
      }
      case 'closeTask': {
        const closed = await closeTask(q, row.id, intent.params.step);
        if (closed > 0) event('TASK_CLOSED', { step: intent.params.step });
        break;
      }
      case 'startClock': {
        const change = await clocks.startClock(q, row.id, intent.params, now, calendars);
        clockChanged(change, 'CLOCK_STARTED', { kind: intent.params.kind, limit: intent.params.limit });
        break;
      }
      case 'pauseClock':
        clockChanged(await clocks.pauseClock(q, row.id, intent.params, now, calendars), 'CLOCK_PAUSED');
        break;
      case 'resumeClock':
        clockChanged(await clocks.resumeClock(q, row.id, intent.params, now, calendars), 'CLOCK_RESUMED');
        break;
      case 'stopClock':
        clockChanged(await clocks.stopClock(q, row.id, intent.params, now), 'CLOCK_STOPPED');
        break;
      case 'extendClock':
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
        effects.entitlement = entitlementFor(intent.params, facts, now);
        event('ENTITLEMENT_GRANTED', {
          kind: effects.entitlement.kind,
          monthlyAmountFen: effects.entitlement['monthlyAmountFen'] ?? null,
          amountFen: effects.entitlement['amountFen'] ?? null,
          formula: effects.entitlement['formula'],
        });
        break;
      }
      case 'closeCase':
        event('CASE_CLOSED', { outcome: intent.params.outcome });
        break;
    }
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

/**
 * One open task per step (a partial unique index): a step entered again while its task is open keeps the task.
 * Its due time is the step's own clock when it has one, else the case's overall clock (the clocks of the same
 * transition were started before: clock rows are written in intent order and tasks read them here).
 */
async function openTask(
  q: Queryable,
  row: LockedCase,
  params: OpenTaskParams,
): Promise<Record<string, unknown> | null> {
  const department = params.department ?? row.department_code;
  const division = divisionFor(row, params.level);
  const rows = (await q.query(
    `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, outcomes, reject_reasons,
                        details, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
             (SELECT due_at FROM case_clocks
               WHERE case_id = $1 AND clock IN ($2, 'overall') AND stopped_at IS NULL AND paused_at IS NULL
               ORDER BY (clock = $2) DESC LIMIT 1))
     ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING
     RETURNING id, due_at`,
    [
      row.id,
      params.step,
      params.kind,
      params.level,
      department,
      division,
      row.item_code,
      params.outcomes,
      params.rejectReasons,
      JSON.stringify(params.payment === undefined ? {} : { payment: params.payment }),
    ],
  )) as { id: string; due_at: Date | null }[];
  const task = rows[0];
  if (task === undefined) return null;
  return {
    taskId: task.id,
    step: params.step,
    kind: params.kind,
    level: params.level,
    department,
    division,
    dueAt: task.due_at?.toISOString() ?? null,
  };
}

/** Closes the step's open task; a task a reviewer decided was closed by the decision already. */
async function closeTask(q: Queryable, caseId: string, step: string): Promise<number> {
  const rows = (await q.query(
    `UPDATE tasks SET closed_at = now(), status = 'closed', version = version + 1
     WHERE case_id = $1 AND step = $2 AND closed_at IS NULL RETURNING id`,
    [caseId, step],
  )) as unknown[];
  return updatedRows(rows).length;
}

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
