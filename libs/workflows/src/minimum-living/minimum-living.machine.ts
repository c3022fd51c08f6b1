import type { Level } from '@minsheng/domain';
import { and, not, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { stepTag, type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { caseGuards, decided, extensionEvent, recordApproval, rejectedWithReason, stepStarted } from '../guards.js';
import {
  closeTask,
  grantEntitlement,
  intentActions,
  notifyApplicant,
  publishNotice,
  startClock,
  stopClock,
  type ExtendClockParams,
  type OpenTaskParams,
} from '../intents.js';
import { hasMeansFindings, needsCommunityAssessment } from '../means-findings.js';
import { reasonCodes } from '../reject-reason.js';
import { awaitingApplicantState, returnForMaterial } from '../shared/awaiting-applicant.states.js';
import { publicNoticeState } from '../shared/public-notice.states.js';
import { rejectionTo, timedRejectionNoticeState } from '../shared/rejection.states.js';
import { refusalDecisionState, streetRejection } from '../shared/refusal-proposal.states.js';
import { acceptanceState, closedStates, taskStep, timedTaskStep } from '../shared/step.states.js';
import {
  MINIMUM_LIVING_LIMITS as LIMITS,
  MINIMUM_LIVING_REASONS,
  MINIMUM_LIVING_REINVESTIGATION_REASONS,
} from './minimum-living.rules.js';

/**
 * 最低生活保障 (minimum living allowance), docs/domain.md §3.1: apply → accept → means investigation → optional
 * community assessment → street review opinion → public notice (7 days, objections) → approval by the district
 * civil affairs bureau (or the street office where delegated) → publication and grant. 社会救助暂行办法 art. 11 [V L1];
 * 民发〔2021〕57号 [R].
 */
export const MINIMUM_LIVING_MACHINE_ID = 'minimum-living';
/**
 * v2 (new cases): without delegation a street office's rejection is a proposal the district decides (L1 art. 11(3),
 * `refusal-proposal.states.ts`). v1 (cases started before): the street office refused alone.
 */
export const MINIMUM_LIVING_VERSION = 2;
export type MinimumLivingVersion = 1 | typeof MINIMUM_LIVING_VERSION;

export interface MinimumLivingInput {
  /**
   * The district has delegated review and approval (审核确认) to the 乡镇/街道 ("where conditions allow",
   * [S P56]; examples [S P54, P55]). Configuration of the case's district, fixed when the case starts.
   */
  readonly approvalDelegatedToStreet: boolean;
}

export interface MinimumLivingContext extends CaseContextBase {
  readonly approvalLevel: Level;
  /** The notice period ran out while an objection was being examined. */
  readonly noticePeriodEnded: boolean;
  /** The overall limit was extended to 45 working days (once). */
  readonly extended: boolean;
}

const STEP = {
  acceptance: 'acceptance',
  investigation: 'investigation',
  communityAssessment: 'community-assessment',
  streetReview: 'street-review',
  objectionReview: 'objection-review',
  reinvestigation: 'reinvestigation',
  approval: 'approval',
  rejectionNotice: 'rejection-notice',
} as const;

const REVIEW_REASONS = reasonCodes(MINIMUM_LIVING_REASONS);
const REINVESTIGATION_REASONS = reasonCodes(MINIMUM_LIVING_REINVESTIGATION_REASONS);

const TASK = {
  acceptance: {
    step: STEP.acceptance,
    level: 'street',
    kind: 'acceptance',
    outcomes: ['approve', 'return'],
    rejectReasons: [],
  },
  investigation: {
    step: STEP.investigation,
    level: 'street',
    kind: 'investigation',
    outcomes: ['approve', 'reject', 'return'],
    rejectReasons: REVIEW_REASONS,
  },
  // 村/社区 assist only and decide nothing (L1 art. 4): the assessment is an opinion, completed with `approve`.
  communityAssessment: {
    step: STEP.communityAssessment,
    level: 'community',
    kind: 'assessment',
    outcomes: ['approve'],
    rejectReasons: [],
  },
  streetReview: {
    step: STEP.streetReview,
    level: 'street',
    kind: 'review',
    outcomes: ['approve', 'reject'],
    rejectReasons: REVIEW_REASONS,
  },
  objectionReview: {
    step: STEP.objectionReview,
    level: 'street',
    kind: 'objection',
    outcomes: ['upheld', 'not-upheld'],
    rejectReasons: [],
  },
  reinvestigation: {
    step: STEP.reinvestigation,
    level: 'street',
    kind: 'investigation',
    outcomes: ['approve', 'reject'],
    rejectReasons: REINVESTIGATION_REASONS,
  },
  rejectionNotice: {
    step: STEP.rejectionNotice,
    level: 'street',
    kind: 'notice',
    outcomes: ['approve'],
    rejectReasons: [],
  },
} as const satisfies Record<string, OpenTaskParams>;

function approvalTask(approvalLevel: Level): OpenTaskParams {
  return {
    step: STEP.approval,
    level: approvalLevel,
    kind: 'decision',
    outcomes: ['approve', 'reject'],
    rejectReasons: REVIEW_REASONS,
  };
}

const minimumLivingSetup = setup({
  types: {
    context: {} as MinimumLivingContext,
    events: {} as CaseEvent,
    input: {} as MinimumLivingInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    hasMeansFindings,
    needsCommunityAssessment,
    isBreach,
    noticePeriodEnded: ({ context }: { context: MinimumLivingContext }) => context.noticePeriodEnded,
    approvalDelegated: ({ context }: { context: MinimumLivingContext }) => context.approvalLevel === 'street',
    alreadyExtended: ({ context }: { context: MinimumLivingContext }) => context.extended,
  },
});

const { assign } = minimumLivingSetup;

const rejectAt = rejectionTo('#minimum-living.rejectionNotice');

/** v2: a street step's rejection is decided at the district unless approval is delegated to the street. */
const streetRejectAt = streetRejection({
  delegatedRejection: (step, reasons) => and([rejectedWithReason(step, reasons), 'approvalDelegated']),
  noticeTarget: '#minimum-living.rejectionNotice',
  proposalTarget: '#minimum-living.review.refusalDecision',
});

/** The rejection transitions of a street step in `version`. */
function streetRejectionsOf(version: MinimumLivingVersion) {
  return (step: string, reasons: readonly string[]) =>
    version === 1 ? ([rejectAt(step, reasons)] as const) : streetRejectAt(step, reasons);
}

/** v2's district decision on a street's proposal to refuse; the overall clock keeps running through it. */
function refusalDecisionStates(
  version: MinimumLivingVersion,
): Partial<Record<'refusalDecision', ReturnType<typeof refusalDecisionState>>> {
  return version === 1
    ? {}
    : {
        refusalDecision: refusalDecisionState({
          reasons: REINVESTIGATION_REASONS,
          rejectTarget: '#minimum-living.rejectionNotice',
          sendBackTarget: '#minimum-living.review.investigation.underway',
        }),
      };
}

/** The machine of one version; every version stays registered while cases may run on it. */
export function minimumLivingMachineOf(version: MinimumLivingVersion) {
  const streetRejections = streetRejectionsOf(version);
  return minimumLivingSetup.createMachine({
    id: MINIMUM_LIVING_MACHINE_ID,
    meta: { version },
    context: ({ input }) => ({
      breachedClocks: [],
      approvalLevel: input.approvalDelegatedToStreet ? 'street' : 'district',
      noticePeriodEnded: false,
      extended: false,
    }),
    on: {
      CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
    },
    initial: 'submitted',
    states: {
      submitted: {
        tags: ['submitted'],
        on: {
          SUBMITTED: 'acceptance',
          WITHDRAWN: 'withdrawn',
        },
      },

      // 受理: complete applications are accepted; otherwise everything missing is listed in one go (一次性告知).
      // No clock runs yet: the overall limit counts from acceptance.
      acceptance: acceptanceState(TASK.acceptance, '#minimum-living.review'),

      // From acceptance to decision: 30 working days, extendable once to 45 with a recorded reason.
      review: {
        entry: startClock('overall', LIMITS.overall),
        exit: stopClock('overall'),
        initial: 'investigation',
        on: {
          WITHDRAWN: 'withdrawn',
          EXTENSION_GRANTED: {
            guard: and(['extensionJustified', not('alreadyExtended')]),
            actions: [
              {
                type: 'extendClock',
                params: ({ event }): ExtendClockParams => {
                  const { reason, actor } = extensionEvent(event);
                  return {
                    clock: 'overall',
                    toAmount: LIMITS.overallExtended.amount,
                    reason,
                    actor,
                    source: LIMITS.overallExtended.source,
                  };
                },
              },
              assign({ extended: true }),
            ],
          },
        },
        states: {
          // 家庭经济状况调查: home visit and data cross-check; it must start within 3 working days.
          investigation: {
            ...taskStep(TASK.investigation),
            initial: 'notStarted',
            states: {
              notStarted: {
                entry: startClock('investigation-start', LIMITS.investigationStart),
                exit: stopClock('investigation-start'),
                on: {
                  STEP_STARTED: { guard: stepStarted(STEP.investigation), target: 'underway' },
                },
              },
              underway: {},
            },
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.investigation, 'approve'), 'hasMeansFindings', 'needsCommunityAssessment']),
                  target: 'communityAssessment',
                },
                {
                  guard: and([decided(STEP.investigation, 'approve'), 'hasMeansFindings']),
                  target: 'streetReview',
                },
                ...streetRejections(STEP.investigation, REVIEW_REASONS),
                returnForMaterial(STEP.investigation, 'investigationAwaitingApplicant'),
              ],
            },
          },
          // The applicant was asked for more material: the overall clock pauses until it arrives.
          investigationAwaitingApplicant: awaitingApplicantState(['overall'], 'investigation.underway'),
          // 民主评议: optional, used when facts are disputed [R; S P9].
          communityAssessment: {
            ...taskStep(TASK.communityAssessment),
            on: {
              DECIDED: { guard: decided(STEP.communityAssessment, 'approve'), target: 'streetReview' },
            },
          },
          // 审核意见: the 乡镇/街道 proposes a decision (L1 art. 11(2)).
          streetReview: {
            ...taskStep(TASK.streetReview),
            on: {
              DECIDED: [
                { guard: decided(STEP.streetReview, 'approve'), target: 'publicNotice' },
                ...streetRejections(STEP.streetReview, REVIEW_REASONS),
              ],
            },
          },
          // 公示: 7 days in the village or community; an objection is examined while the period runs.
          publicNotice: publicNoticeState({
            level: 'community',
            limit: LIMITS.publicNotice,
            objectionTask: TASK.objectionReview,
            resetPeriodEnded: assign({ noticePeriodEnded: false }),
            markPeriodEnded: assign({ noticePeriodEnded: true }),
            objectionUpheldTarget: '#minimum-living.review.reinvestigation',
            passed: [{ target: '#minimum-living.review.approval' }],
          }),
          // An upheld objection: investigate again and give a new opinion within 15 working days, then a new notice.
          reinvestigation: {
            ...timedTaskStep(TASK.reinvestigation, LIMITS.reinvestigation),
            on: {
              DECIDED: [
                { guard: decided(STEP.reinvestigation, 'approve'), target: 'publicNotice' },
                ...streetRejections(STEP.reinvestigation, REINVESTIGATION_REASONS),
              ],
            },
          },
          // 审批/确认: the district civil affairs bureau, or the 乡镇/街道 where delegated (L1 art. 11(3)).
          approval: {
            tags: ['in-review', stepTag(STEP.approval)],
            entry: { type: 'openTask', params: ({ context }) => approvalTask(context.approvalLevel) },
            exit: closeTask(STEP.approval),
            on: {
              DECIDED: [
                {
                  guard: decided(STEP.approval, 'approve'),
                  target: '#minimum-living.approved',
                  actions: [
                    recordApproval(STEP.approval),
                    notifyApplicant({ template: 'approved', step: STEP.approval }),
                    // 公布: name, family size and amount in the village or community (L1 art. 11(3)).
                    publishNotice({ notice: 'publication', step: 'publication', level: 'community' }),
                    // Paid monthly from the month after the decision (L1 art. 12; 57号 [R]).
                    grantEntitlement({
                      kind: 'minimum-living-allowance',
                      details: { paymentStarts: 'month-after-decision' },
                    }),
                  ],
                },
                rejectAt(STEP.approval, REVIEW_REASONS),
              ],
            },
          },
          ...refusalDecisionStates(version),
        },
      },

      // Written notice with reasons, through the 乡镇/街道, within 3 working days of the decision.
      rejectionNotice: timedRejectionNoticeState(TASK.rejectionNotice, LIMITS.rejectionNotice),

      ...closedStates(),
    },
  });
}

/** The latest version, for new cases. */
export const minimumLivingMachine = minimumLivingMachineOf(MINIMUM_LIVING_VERSION);
