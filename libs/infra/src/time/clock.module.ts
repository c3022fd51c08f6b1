import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { type Clock, ShiftedClock } from '@minsheng/domain';
import { type AppConfig } from '../config/app-config.js';

/** The one place that reads the wall clock (docs/time.md): everything else is handed a `Clock`. */
// eslint-disable-next-line no-restricted-syntax -- this is that place
export const systemClock: Clock = { now: () => new Date() };

const shiftedClocks = new WeakMap<AppConfig, Clock>();

/**
 * The clock a process runs on: the system clock, or in development and tests one that started at `CLOCK_START`
 * when the configuration was first asked for it. Every app built from one configuration object shares that clock,
 * so a test's gateway, worker and assertions agree to the millisecond.
 */
export function clockFor(config: AppConfig): Clock {
  if (config.clockStart === undefined) return systemClock;
  let clock = shiftedClocks.get(config);
  if (clock === undefined) {
    clock = new ShiftedClock(config.clockStart, systemClock);
    shiftedClocks.set(config, clock);
  }
  return clock;
}

export const CLOCK = Symbol('CLOCK');

/** Injects the process's `Clock`: `@InjectClock() private readonly clock: Clock`. */
export const InjectClock = (): ParameterDecorator => Inject(CLOCK);

/** Provides one `Clock` to every module of a process (main.ts, or a test passing its own). */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
