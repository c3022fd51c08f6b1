import { DomainError } from '@minsheng/domain';
import { and, not, setup, type AnyMachineSnapshot } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { stepTag, type CaseTag } from '../case-status.js';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import { caseGuards, hasMissingMaterials } from '../guards.js';
import {
  closeCase,
  intentActions,
  notifyApplicant,
  type ClockParams,
  type CloseTaskParams,
  type GrantEntitlementParams,
  type NotifyApplicantParams,
  type OpenTaskParams,
  type PublishNoticeParams,
  type RecordDecisionParams,
  type StartClockParams,
} from '../intents.js';
import { findGeneralReviewConfiguration } from './configurations.js';
import {
  assertConfiguration,
  GENERAL_REVIEW_ERRORS,
  OBJECTION_STEP,
  type GeneralReviewConfiguration,
  type GeneralReviewStep,
} from './review-step.js';

/**
 * The one procedure for every application item without a machine of its own: its steps are data
 * (configurations.ts), copied into the case when it starts so that a running case keeps the steps it began with.
 * Review steps open a task each; a public notice waits for its period and hears objections (an upheld objection
 * goes back to the step before the notice); the last approval grants the item's entitlement.
 */
export const GENERAL_REVIEW_MACHINE_ID = 'general-review';
export const GENERAL_REVIEW_VERSION = 1;

export type GeneralReviewInput = GeneralReviewConfiguration;

export interface GeneralReviewContext extends CaseContextBase {
  readonly itemCode: string;
  readonly entitlement: string;
  readonly steps: readonly GeneralReviewStep[];
  /** The step being worked on. */
  readonly stepIndex: number;
  readonly noticePeriodEnded: boolean;
}

/** The input of a general-review case for an item. Throws `GENERAL_REVIEW.UNKNOWN_ITEM` for other items. */
export function generalReviewInput(itemCode: string): GeneralReviewInput {
  const configuration = findGeneralReviewConfiguration(itemCode);
  if (configuration === undefined) {
    throw new DomainError(GENERAL_REVIEW_ERRORS.unknownItem, `${itemCode} is not run by the general review`, {
      field: 'itemCode',
    });
  }
  return configuration;
}

function current(context: GeneralReviewContext): GeneralReviewStep {
  const step = context.steps[context.stepIndex];
  if (step === undefined) {
    throw new DomainError(
      GENERAL_REVIEW_ERRORS.badConfiguration,
      `${context.itemCode} has no step ${context.stepIndex}`,
      { field: 'stepIndex' },
    );
  }
  return step;
}

type Args = { context: GeneralReviewContext; event: CaseEvent };

function isCurrentDecision({ context, event }: Args, outcome: DecisionOutcome): boolean {
  const step = current(context);
  return (
    event.type === 'DECIDED' &&
    event.step === step.step &&
    event.outcome === outcome &&
    step.outcomes.includes(outcome) &&
    typeof event.actor === 'string' &&
    event.actor.trim() !== ''
  );
}

/** The steps with an open task: the current review step, or the objection task during a notice. */
export function generalReviewCurrentSteps(snapshot: AnyMachineSnapshot): readonly string[] {
  const objection = [...snapshot.tags].filter((tag) => tag.startsWith('step:')).map((tag) => tag.slice('step:'.length));
  if (!snapshot.matches({ process: { reviewing: 'open' } })) return objection;
  return [current(snapshot.context as GeneralReviewContext).step, ...objection];
}

const generalReviewSetup = setup({
  types: {
    context: {} as GeneralReviewContext,
    events: {} as CaseEvent,
    input: {} as GeneralReviewInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    isBreach,
    approvedCurrent: (args: Args) => isCurrentDecision(args, 'approve'),
    rejectedCurrent: (args: Args) =>
      isCurrentDecision(args, 'reject') &&
      args.event.type === 'DECIDED' &&
      current(args.context).rejectReasons.includes(args.event.reasonCode ?? ''),
    returnedCurrent: (args: Args) =>
      isCurrentDecision(args, 'return') && args.event.type === 'DECIDED' && hasMissingMaterials(args.event),
    isLastStep: ({ context }: Args) => context.stepIndex === context.steps.length - 1,
    nextIsNotice: ({ context }: Args) => context.steps[context.stepIndex + 1]?.kind === 'public-notice',
    currentPeriodEnded: ({ context, event }: Args) =>
      event.type === 'NOTICE_PERIOD_ENDED' && (event.clock ?? 'public-notice') === current(context).step,
    noticePeriodEnded: ({ context }: Args) => context.noticePeriodEnded,
  },
});

const { assign } = generalReviewSetup;

type WithContext = { context: GeneralReviewContext };
type WithEvent = { context: GeneralReviewContext; event: CaseEvent };

const openCurrentTask = {
  type: 'openTask',
  params: ({ context }: WithContext): OpenTaskParams => {
    const { step, level, department, kind, outcomes, rejectReasons } = current(context);
    if (kind === 'public-notice') {
      throw new DomainError(GENERAL_REVIEW_ERRORS.badConfiguration, `${step} is a notice, not a task`, {
        field: 'steps',
      });
    }
    return { step, level, ...(department === undefined ? {} : { department }), kind, outcomes, rejectReasons };
  },
} as const;
const closeCurrentTask = {
  type: 'closeTask',
  params: ({ context }: WithContext): CloseTaskParams => ({ step: current(context).step }),
} as const;
const startCurrentClock = {
  type: 'startClock',
  params: ({ context }: WithContext): StartClockParams => {
    const step = current(context);
    return { clock: step.step, kind: step.kind === 'public-notice' ? 'period' : 'deadline', limit: step.limit };
  },
} as const;
const currentClock = ({ context }: WithContext): ClockParams => ({ clock: current(context).step });

function decisionOf({ context, event }: WithEvent, outcome: 'approved' | 'rejected'): RecordDecisionParams {
  const actor = event.type === 'DECIDED' ? event.actor : '';
  const reasonCode = event.type === 'DECIDED' ? event.reasonCode : undefined;
  return {
    step: current(context).step,
    outcome,
    actor,
    ...(outcome === 'rejected' && reasonCode !== undefined ? { reasonCode } : {}),
  };
}

function noticeOf(
  { context, event }: WithEvent,
  template: 'approved' | 'rejected' | 'missing-materials',
): NotifyApplicantParams {
  const step = current(context).step;
  if (event.type !== 'DECIDED') return { template, step };
  if (template === 'missing-materials')
    return { template, step, missingMaterials: [...(event.missingMaterials ?? [])] };
  return template === 'rejected' && event.reasonCode !== undefined
    ? { template, step, reasonCode: event.reasonCode }
    : { template, step };
}

const nextStep = assign({ stepIndex: ({ context }) => context.stepIndex + 1 });
const previousStep = assign({ stepIndex: ({ context }) => context.stepIndex - 1 });

export const generalReviewMachine = generalReviewSetup.createMachine({
  id: GENERAL_REVIEW_MACHINE_ID,
  meta: { version: GENERAL_REVIEW_VERSION },
  context: ({ input }) => {
    const configuration = assertConfiguration(input);
    return {
      breachedClocks: [],
      itemCode: configuration.itemCode,
      entitlement: configuration.entitlement,
      steps: configuration.steps,
      stepIndex: 0,
      noticePeriodEnded: false,
    };
  },
  on: {
    CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
  },
  initial: 'submitted',
  states: {
    submitted: {
      tags: ['submitted'],
      on: { SUBMITTED: 'process', WITHDRAWN: 'withdrawn' },
    },

    process: {
      initial: 'reviewing',
      on: { WITHDRAWN: 'withdrawn' },
      states: {
        reviewing: {
          entry: startCurrentClock,
          exit: { type: 'stopClock', params: currentClock },
          initial: 'open',
          states: {
            open: {
              tags: ['in-review'],
              entry: openCurrentTask,
              exit: closeCurrentTask,
              on: {
                DECIDED: [
                  {
                    guard: and(['approvedCurrent', 'isLastStep']),
                    target: '#general-review.approved',
                    actions: [
                      { type: 'recordDecision', params: (args) => decisionOf(args, 'approved') },
                      { type: 'notifyApplicant', params: (args) => noticeOf(args, 'approved') },
                      {
                        type: 'grantEntitlement',
                        params: ({ context }): GrantEntitlementParams => ({
                          kind: context.entitlement,
                          details: { itemCode: context.itemCode },
                        }),
                      },
                    ],
                  },
                  {
                    guard: and(['approvedCurrent', 'nextIsNotice']),
                    target: '#general-review.process.notice',
                    actions: nextStep,
                  },
                  {
                    guard: 'approvedCurrent',
                    target: '#general-review.process.reviewing',
                    reenter: true,
                    actions: nextStep,
                  },
                  {
                    guard: 'rejectedCurrent',
                    target: '#general-review.rejected',
                    actions: [
                      { type: 'recordDecision', params: (args) => decisionOf(args, 'rejected') },
                      { type: 'notifyApplicant', params: (args) => noticeOf(args, 'rejected') },
                    ],
                  },
                  {
                    guard: 'returnedCurrent',
                    target: 'awaitingApplicant',
                    actions: { type: 'notifyApplicant', params: (args) => noticeOf(args, 'missing-materials') },
                  },
                ],
              },
            },
            // Returned for missing material: the step's clock pauses until it arrives.
            awaitingApplicant: {
              tags: ['awaiting-applicant'],
              entry: { type: 'pauseClock', params: currentClock },
              exit: { type: 'resumeClock', params: currentClock },
              on: { SUPPLEMENT_RECEIVED: 'open' },
            },
          },
        },

        // 公示: the period is the step's limit; an objection is examined by the level that posted the notice.
        notice: {
          entry: [
            {
              type: 'publishNotice',
              params: ({ context }): PublishNoticeParams => ({
                notice: 'public-notice',
                step: current(context).step,
                level: current(context).level,
              }),
            },
            startCurrentClock,
            assign({ noticePeriodEnded: false }),
          ],
          exit: { type: 'stopClock', params: currentClock },
          initial: 'running',
          states: {
            running: {
              tags: ['public-notice'],
              on: {
                OBJECTION_FILED: 'objectionReview',
                NOTICE_PERIOD_ENDED: {
                  guard: 'currentPeriodEnded',
                  target: '#general-review.process.reviewing',
                  actions: nextStep,
                },
              },
            },
            objectionReview: {
              tags: ['public-notice', stepTag(OBJECTION_STEP)],
              entry: {
                type: 'openTask',
                params: ({ context }): OpenTaskParams => ({
                  step: OBJECTION_STEP,
                  level: current(context).level,
                  kind: 'objection',
                  outcomes: ['upheld', 'not-upheld'],
                  rejectReasons: [],
                }),
              },
              exit: { type: 'closeTask', params: { step: OBJECTION_STEP } },
              on: {
                NOTICE_PERIOD_ENDED: {
                  guard: and(['currentPeriodEnded', not('noticePeriodEnded')]),
                  actions: assign({ noticePeriodEnded: true }),
                },
                OBJECTION_DECIDED: [
                  { guard: 'objectionUpheld', target: '#general-review.process.reviewing', actions: previousStep },
                  {
                    guard: and(['objectionNotUpheld', 'noticePeriodEnded']),
                    target: '#general-review.process.reviewing',
                    actions: nextStep,
                  },
                  { guard: 'objectionNotUpheld', target: 'running' },
                ],
              },
            },
          },
        },
      },
    },

    approved: { type: 'final', tags: ['approved'], entry: closeCase('approved') },
    rejected: { type: 'final', tags: ['rejected'], entry: closeCase('rejected') },
    withdrawn: {
      type: 'final',
      tags: ['withdrawn'],
      entry: [notifyApplicant({ template: 'withdrawal-confirmed' }), closeCase('withdrawn')],
    },
  },
});
