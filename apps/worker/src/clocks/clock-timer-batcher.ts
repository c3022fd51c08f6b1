import { Injectable } from '@nestjs/common';
import { UUID } from '../engine/case-engine.js';
import { TogetherOrAlone } from '../queues/together-or-alone.js';
import { ClockTimerActions, type TimerFire, type TimerOutcome } from './clock-timer-actions.js';

/** At most this many timers in one transaction (each a subtransaction: PostgreSQL caches 64 per backend). */
export const TIMER_BATCH_MAX_SIZE = 32;
/** The longest a due timer waits for others while an earlier batch of this worker is still running. */
export const TIMER_BATCH_MAX_WAIT_MS = 2;

/**
 * Due timers together (docs/architecture.md "Due timers together"): the timers this worker's jobs hold at the same
 * moment fire in one transaction (`ClockTimerActions.fireTogether`), as the worker's group commit
 * (`queues/together-or-alone.ts`) batches them: one timer per clock in a batch, none for a clock of a batch still
 * running, a failing timer fired again alone (`ClockTimerActions.fire`). Exactly-once is the timer's own: its mark
 * (`breached_at` and the others), checked under the case and clock locks, makes a second delivery a no-op.
 */
@Injectable()
export class ClockTimerBatcher {
  private readonly group: TogetherOrAlone<TimerFire, TimerOutcome>;

  constructor(actions: ClockTimerActions) {
    this.group = new TogetherOrAlone({
      keyOf: ({ timer }) => timer.clockId,
      alone: ({ kind, timer }) => actions.fire(kind, timer),
      together: (fires) => actions.fireTogether(fires),
      // A clock id that is not a UUID cannot be locked by literal: it goes alone (and finds no clock there).
      batchable: ({ timer }) => UUID.test(timer.clockId),
      maxSize: TIMER_BATCH_MAX_SIZE,
      maxWaitMs: TIMER_BATCH_MAX_WAIT_MS,
    });
  }

  fire(kind: TimerFire['kind'], timer: TimerFire['timer']): Promise<TimerOutcome> {
    return this.group.submit({ kind, timer });
  }
}
