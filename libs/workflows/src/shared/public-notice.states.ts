import type { Level } from '@minsheng/domain';
import { and, not, type EventObject, type GuardPredicate, type MachineContext } from 'xstate';
import { stepTag } from '../case-status.js';
import { periodEnded } from '../guards.js';
import { closeTask, openTask, publishNotice, startClock, stopClock, type OpenTaskParams } from '../intents.js';
import type { Limit } from '../limits.js';

/** The clock (and notice step) of a 公示. */
export const PUBLIC_NOTICE_CLOCK = 'public-notice';

/** Where the case goes once the notice has passed without an upheld objection. */
export interface NoticePassed<TGuard extends string, TActions> {
  /** Further guards (by name) this way out needs besides the notice having passed. */
  readonly when?: readonly TGuard[];
  readonly target: string;
  readonly actions?: TActions;
}

export interface PublicNoticeOptions<TGuard extends string, TReset, TMark, TActions> {
  /** Where the notice is posted. */
  readonly level: Level;
  readonly limit: Limit;
  /** The objection task, opened while an objection is examined. */
  readonly objectionTask: OpenTaskParams;
  /** Clears `noticePeriodEnded` when the notice starts (the machine's own `assign`). */
  readonly resetPeriodEnded: TReset;
  /** Sets `noticePeriodEnded` when the period runs out during an objection (the machine's own `assign`). */
  readonly markPeriodEnded: TMark;
  /** Where an upheld objection sends the case. */
  readonly objectionUpheldTarget: string;
  /** The ways out once the notice has passed, tried in order. */
  readonly passed: readonly NoticePassed<TGuard, TActions>[];
}

/** A guard referenced by name, as XState normalises it inside `and([...])`. */
type NamedGuard<TName extends string> = { readonly type: TName; readonly params: undefined };

/** A combined guard over `TGuard` (a union of guard references). */
type AllOf<TGuard extends { readonly type: string }> = GuardPredicate<MachineContext, EventObject, unknown, TGuard>;

type PeriodEndedGuard = ReturnType<typeof periodEnded>;

/** The notice period has ended, and so have the further guards `when`. */
function periodEndedAnd<TGuard extends string>(when: readonly TGuard[]) {
  // XState cannot see the names' literal types through a type parameter, so the result states them.
  const names: readonly string[] = when;
  return and([periodEnded(PUBLIC_NOTICE_CLOCK), ...names]) as AllOf<PeriodEndedGuard | NamedGuard<TGuard>>;
}

/** The objection was not upheld after the period ended, and the further guards `when` hold. */
function notUpheldAfterPeriodAnd<TGuard extends string>(when: readonly TGuard[]) {
  const names: readonly string[] = when;
  return and(['objectionNotUpheld', 'noticePeriodEnded', ...names]) as AllOf<
    NamedGuard<'objectionNotUpheld' | 'noticePeriodEnded' | TGuard>
  >;
}

function withActions<TActions>(actions: TActions | undefined): { readonly actions?: TActions } {
  return actions === undefined ? {} : { actions };
}

/**
 * 公示: the proposed decision is posted for a period; an objection filed meanwhile is examined (the period may run
 * out during it), an upheld one sends the case to `objectionUpheldTarget`, otherwise the case goes on once the
 * period has ended. The machine needs the guards `noticePeriodEnded`, `objectionUpheld` and `objectionNotUpheld`.
 */
export function publicNoticeState<TReset, TMark, const TGuard extends string = never, TActions = never>(
  options: PublicNoticeOptions<TGuard, TReset, TMark, TActions>,
) {
  const objectionStep = options.objectionTask.step;
  return {
    entry: [
      publishNotice({ notice: PUBLIC_NOTICE_CLOCK, step: PUBLIC_NOTICE_CLOCK, level: options.level }),
      startClock(PUBLIC_NOTICE_CLOCK, options.limit, 'period'),
      options.resetPeriodEnded,
    ],
    exit: stopClock(PUBLIC_NOTICE_CLOCK),
    initial: 'running',
    states: {
      running: {
        tags: ['public-notice'],
        on: {
          OBJECTION_FILED: 'objectionReview',
          NOTICE_PERIOD_ENDED: options.passed.map(({ when, target, actions }) => ({
            guard: when === undefined ? periodEnded(PUBLIC_NOTICE_CLOCK) : periodEndedAnd(when),
            target,
            ...withActions(actions),
          })),
        },
      },
      objectionReview: {
        tags: ['public-notice', stepTag(objectionStep)],
        entry: openTask(options.objectionTask),
        exit: closeTask(objectionStep),
        on: {
          NOTICE_PERIOD_ENDED: {
            guard: and([periodEnded(PUBLIC_NOTICE_CLOCK), not('noticePeriodEnded')]),
            actions: options.markPeriodEnded,
          },
          OBJECTION_DECIDED: [
            { guard: 'objectionUpheld', target: options.objectionUpheldTarget },
            ...options.passed.map(({ when, target, actions }) => ({
              guard: notUpheldAfterPeriodAnd(when ?? []),
              target,
              ...withActions(actions),
            })),
            { guard: 'objectionNotUpheld', target: 'running' },
          ],
        },
      },
    },
  } as const;
}
