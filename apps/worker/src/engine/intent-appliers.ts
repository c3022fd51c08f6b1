import { randomUUID } from 'node:crypto';
import { type CalendarSet, type StandardParameter } from '@minsheng/domain';
import type { NewCaseEvent, OutboxMessage, Queryable } from '@minsheng/infra';
import type { Intent } from '@minsheng/workflows';
import * as clocks from './clock-intents.js';
import type { LockedCase } from './case-step.js';
import { entitlementFor, withGrant, type StoredEntitlement } from './entitlement.js';
import { entitlementRecord, firstReview, insertEntitlement } from './entitlement-record.js';
import { TaskBatch } from './task-batch.js';

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
 * (their functions read and write `case_clocks` themselves), while the task writes of the step are decided in a
 * {@link TaskBatch} and go in the step's own statement (`commitStep`). Events keep the intents' order: each is known
 * when its intent runs (task ids and due times are made here, from the clocks as the step holds them).
 */
export async function applyIntents(
  q: Queryable,
  row: LockedCase,
  /** The case's tasks and clocks as the step holds them, the decision's answer included; writes left in it. */
  tasks: TaskBatch,
  intents: readonly Intent[],
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  calendars: CalendarSet,
  requestId: string | null,
  /** The published standard parameters amounts are computed from (docs/domain.md §7). */
  parameters: readonly StandardParameter[] = [],
): Promise<IntentEffects> {
  const effects: IntentEffects = { events: [], outbox: [], entitlement: null };
  const engineEvent = (type: string, payload: Record<string, unknown>): NewCaseEvent => ({
    id: randomUUID(),
    type,
    actor: ENGINE_ACTOR,
    payload,
    occurredAt: now,
    requestId,
  });
  const event = (type: string, payload: Record<string, unknown>) => {
    effects.events.push(engineEvent(type, payload));
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
    const { caseId, dueAt, ...details } = change;
    tasks.clockChanged(change.clock, running, dueAt);
    if (change.escalationsClosed !== undefined) tasks.escalationsClosed(change.clock);
    event(type, { ...details, ...extra });
    if (!running) return;
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
        const opened = await tasks.openTask(q, intent.params);
        if (opened !== null) event('TASK_OPENED', opened);
        break;
      }
      case 'closeTask': {
        const step = intent.params.step;
        if (await tasks.closeTask(q, step)) event('TASK_CLOSED', { step });
        break;
      }
      case 'startClock': {
        const change = await clocks.startClock(q, row.id, intent.params, now, calendars);
        clockChanged(change, 'CLOCK_STARTED', { kind: intent.params.kind, limit: intent.params.limit });
        break;
      }
      case 'pauseClock':
        clockChanged(await clocks.pauseClock(q, row.id, intent.params, now, calendars), 'CLOCK_PAUSED', {}, false);
        break;
      case 'resumeClock':
        clockChanged(await clocks.resumeClock(q, row.id, intent.params, now, calendars), 'CLOCK_RESUMED');
        break;
      case 'stopClock':
        clockChanged(await clocks.stopClock(q, row.id, intent.params, now), 'CLOCK_STOPPED', {}, false);
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
        const granted = entitlementFor(intent.params, facts, now, parameters);
        effects.entitlement = withGrant(effects.entitlement, granted);
        // A grant paid in money becomes an entitlement record the monthly payment runs read (docs/money.md).
        const record = entitlementRecord(granted, now);
        // Its first periodic review date, from the published rule (docs/money.md "Periodic review").
        const review = record === null ? null : firstReview(record, facts, now, parameters);
        if (record !== null) await insertEntitlement(q, row, record, now, review);
        event('ENTITLEMENT_GRANTED', {
          kind: granted.kind,
          monthlyAmountFen: granted['monthlyAmountFen'] ?? null,
          amountFen: granted['amountFen'] ?? null,
          formula: granted['formula'],
          provisional: granted['provisional'] ?? false,
          ...(record === null
            ? {}
            : {
                entitlementId: record.id,
                startMonth: record.startMonth,
                endMonth: record.endMonth,
                parameterSources: record.basis['parameterSources'],
                nextReviewOn: review?.nextReviewOn ?? null,
                ...(review === null ? {} : { reviewRule: review }),
              }),
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
