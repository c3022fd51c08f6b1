import { toShanghaiDate } from '../calendar/shanghai-time.js';
import { type IsoDate } from '../calendar/calendar-date.js';
import { DomainError } from '../errors/domain-error.js';

/**
 * Where business time comes from: when an application was received, when a step is due, whether it is late. It is
 * an input (docs/time.md): production reads the system clock, tests pass a fixed or advancing one, and no code
 * that decides anything about a case reads the wall clock itself.
 */
export interface Clock {
  now(): Date;
}

/** Today in China Standard Time, the calendar Urumqi offices count in. */
export function todayOn(clock: Clock): IsoDate {
  return toShanghaiDate(clock.now());
}

/**
 * A clock that moves only when told to: tests set an instant, then advance it (never back: deadlines already
 * counted and timers already fired must stay in the past).
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceTo(instant: Date): void {
    if (instant.getTime() < this.current) {
      throw new DomainError('CLOCK.BACKWARDS', `cannot move the clock back to ${instant.toISOString()}`, {
        field: 'instant',
      });
    }
    this.current = instant.getTime();
  }

  advanceBy(ms: number): void {
    this.advanceTo(new Date(this.current + ms));
  }
}

/**
 * A clock that runs at the pace of `base` from another starting instant: `start` at the moment it was made. A
 * development system started "on 2026-03-02", or a test process whose dates must not depend on the day it runs.
 */
export class ShiftedClock implements Clock {
  private readonly shiftMs: number;

  constructor(
    start: Date,
    private readonly base: Clock,
  ) {
    this.shiftMs = start.getTime() - base.now().getTime();
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.shiftMs);
  }
}
