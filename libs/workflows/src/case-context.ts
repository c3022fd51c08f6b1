import type { CaseEvent } from './events.js';

/** What every procedure's context holds besides its own facts. */
export interface CaseContextBase {
  /**
   * Every breach of a deadline clock, in order (a clock that runs again, e.g. a second re-investigation, may
   * breach again). CLOCK_BREACHED is recorded here and moves no state by itself; the worker's SLA module escalates.
   */
  readonly breachedClocks: readonly string[];
}

/** A CLOCK_BREACHED naming its clock. Duplicated deliveries are the worker's to drop (by event id), not the machine's. */
export function isBreach({ event }: { event: CaseEvent }): boolean {
  return event.type === 'CLOCK_BREACHED' && typeof event.clock === 'string' && event.clock.trim() !== '';
}

export function withBreach({ context, event }: { context: CaseContextBase; event: CaseEvent }): readonly string[] {
  return event.type === 'CLOCK_BREACHED' ? [...context.breachedClocks, event.clock] : context.breachedClocks;
}
