import { and, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { caseGuards, decided, recordApproval } from '../guards.js';
import {
  intentActions,
  notifyApplicant,
  startClock,
  stopClock,
  type GrantEntitlementParams,
  type OpenTaskParams,
} from '../intents.js';
import { hasMeansFindings, needsCommunityAssessment } from '../means-findings.js';
import { reasonCodes } from '../reject-reason.js';
import { awaitingApplicantState, returnForMaterial } from '../shared/awaiting-applicant.states.js';
import { publicNoticeState } from '../shared/public-notice.states.js';
import { proposedRefusal, refusalDecisionState } from '../shared/refusal-proposal.states.js';
import { rejectionNoticeState, rejectionTo } from '../shared/rejection.states.js';
import { acceptanceState, approveOrRejectStep, closedStates, taskStep, timedTaskStep } from '../shared/step.states.js';
import {
  EXTREME_POVERTY_LIMITS as LIMITS,
  EXTREME_POVERTY_REASONS,
  EXTREME_POVERTY_REINVESTIGATION_REASONS,
  SELF_CARE_LEVELS,
  SUPPORT_FORMS,
  type SelfCareLevel,
  type SupportForm,
} from './extreme-poverty.rules.js';

/**
 * 特困人员救助供养 (support for destitute persons), docs/domain.md §3.2: the 低保 procedure (L1 art. 16) with the
 * self-care level and the form of support captured at the investigation and confirmed by the county civil affairs
 * bureau (确认, 43号 art. 3 [S P43]). No overall limit is known nationally, so none is started.
 */
export const EXTREME_POVERTY_MACHINE_ID = 'extreme-poverty';
/**
 * v2 (new cases): a street office's rejection is a proposal the district decides (`refusal-proposal.states.ts`): the
 * county bureau confirms 特困 (民发〔2021〕43号 art. 3; L1 arts. 16–18 apply art. 11). v1 (cases started before): the
 * street office refused alone.
 */
export const EXTREME_POVERTY_VERSION = 2;
export type ExtremePovertyVersion = 1 | typeof EXTREME_POVERTY_VERSION;

/** Nothing to configure yet: the procedure is the same in every Urumqi district. */
export type ExtremePovertyInput = Readonly<Record<string, never>>;

export interface ExtremePovertyContext extends CaseContextBase {
  readonly selfCareLevel: SelfCareLevel | null;
  readonly supportForm: SupportForm | null;
  readonly noticePeriodEnded: boolean;
}

const STEP = {
  acceptance: 'acceptance',
  investigation: 'investigation',
  communityAssessment: 'community-assessment',
  streetReview: 'street-review',
  objectionReview: 'objection-review',
  reinvestigation: 'reinvestigation',
  confirmation: 'confirmation',
  rejectionNotice: 'rejection-notice',
} as const;

const REASONS = reasonCodes(EXTREME_POVERTY_REASONS);
const REINVESTIGATION_REASONS = reasonCodes(EXTREME_POVERTY_REINVESTIGATION_REASONS);
const STREET_CLOCK = 'investigation-and-opinion';

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
    rejectReasons: REASONS,
  },
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
    rejectReasons: REASONS,
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
  confirmation: {
    step: STEP.confirmation,
    level: 'district',
    kind: 'decision',
    outcomes: ['approve', 'reject'],
    rejectReasons: REASONS,
  },
  rejectionNotice: {
    step: STEP.rejectionNotice,
    level: 'street',
    kind: 'notice',
    outcomes: ['approve'],
    rejectReasons: [],
  },
} as const satisfies Record<string, OpenTaskParams>;

type CareFindings = { selfCareLevel: SelfCareLevel; supportForm: SupportForm };

function careFindingsOf(event: CaseEvent): Partial<CareFindings> | null {
  if (event.type !== 'DECIDED') return null;
  const { selfCareLevel, supportForm } = event.findings ?? {};
  if (selfCareLevel !== undefined && !(SELF_CARE_LEVELS as readonly unknown[]).includes(selfCareLevel)) return null;
  if (supportForm !== undefined && !(SUPPORT_FORMS as readonly unknown[]).includes(supportForm)) return null;
  return {
    ...(selfCareLevel === undefined ? {} : { selfCareLevel: selfCareLevel as SelfCareLevel }),
    ...(supportForm === undefined ? {} : { supportForm: supportForm as SupportForm }),
  };
}

const extremePovertySetup = setup({
  types: {
    context: {} as ExtremePovertyContext,
    events: {} as CaseEvent,
    input: {} as ExtremePovertyInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    hasMeansFindings,
    needsCommunityAssessment,
    isBreach,
    /** The investigation must state both the self-care level and the chosen form of support. */
    hasCareFindings: ({ event }: { event: CaseEvent }) => {
      const care = careFindingsOf(event);
      return care?.selfCareLevel !== undefined && care.supportForm !== undefined;
    },
    /** The confirmation may correct either finding, but only with a valid value. */
    careCorrectionsValid: ({ event }: { event: CaseEvent }) => careFindingsOf(event) !== null,
    noticePeriodEnded: ({ context }: { context: ExtremePovertyContext }) => context.noticePeriodEnded,
  },
});

const { assign } = extremePovertySetup;

const rememberCare = assign(({ context, event }) => {
  const care = careFindingsOf(event) ?? {};
  return {
    selfCareLevel: care.selfCareLevel ?? context.selfCareLevel,
    supportForm: care.supportForm ?? context.supportForm,
  };
});

const rejectAt = rejectionTo('#extreme-poverty.rejectionNotice');
const proposeAt = proposedRefusal('#extreme-poverty.review.refusalDecision');

/**
 * The rejection of a street step in `version`. No district of Urumqi is known to have delegated the 确认 of 特困 to
 * its 乡镇/街道, and routing holds no such setting, so from v2 every street rejection is a proposal.
 */
function streetRejectionOf(version: ExtremePovertyVersion) {
  return (step: string, reasons: readonly string[]) =>
    version === 1 ? rejectAt(step, reasons) : proposeAt(step, reasons);
}

/** v2's district decision on a street's proposal to refuse, within the time the district has to confirm. */
function refusalDecisionStates(
  version: ExtremePovertyVersion,
): Partial<Record<'refusalDecision', ReturnType<typeof refusalDecisionState>>> {
  return version === 1
    ? {}
    : {
        refusalDecision: refusalDecisionState({
          reasons: REINVESTIGATION_REASONS,
          rejectTarget: '#extreme-poverty.rejectionNotice',
          sendBackTarget: '#extreme-poverty.review.streetStage',
          limit: LIMITS.confirmation,
        }),
      };
}

/** The machine of one version; every version stays registered while cases may run on it. */
export function extremePovertyMachineOf(version: ExtremePovertyVersion) {
  const streetRejection = streetRejectionOf(version);
  return extremePovertySetup.createMachine({
    id: EXTREME_POVERTY_MACHINE_ID,
    meta: { version },
    context: () => ({ breachedClocks: [], selfCareLevel: null, supportForm: null, noticePeriodEnded: false }),
    on: {
      CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
    },
    initial: 'submitted',
    states: {
      submitted: {
        tags: ['submitted'],
        on: { SUBMITTED: 'acceptance', WITHDRAWN: 'withdrawn' },
      },

      // 受理: missing materials are listed in one go [R].
      acceptance: acceptanceState(TASK.acceptance, '#extreme-poverty.review'),

      review: {
        initial: 'streetStage',
        on: { WITHDRAWN: 'withdrawn' },
        states: {
          // 调查核实 + 审核意见 by the 乡镇/街道: 15 working days from acceptance [R 43号].
          streetStage: {
            entry: startClock(STREET_CLOCK, LIMITS.investigationAndOpinion),
            exit: stopClock(STREET_CLOCK),
            initial: 'investigation',
            states: {
              investigation: {
                ...taskStep(TASK.investigation),
                on: {
                  DECIDED: [
                    {
                      guard: and([
                        decided(STEP.investigation, 'approve'),
                        'hasMeansFindings',
                        'hasCareFindings',
                        'needsCommunityAssessment',
                      ]),
                      target: 'communityAssessment',
                      actions: rememberCare,
                    },
                    {
                      guard: and([decided(STEP.investigation, 'approve'), 'hasMeansFindings', 'hasCareFindings']),
                      target: 'streetReview',
                      actions: rememberCare,
                    },
                    streetRejection(STEP.investigation, REASONS),
                    returnForMaterial(STEP.investigation),
                  ],
                },
              },
              awaitingApplicant: awaitingApplicantState([STREET_CLOCK], 'investigation'),
              // 民主评议: optional [R].
              communityAssessment: {
                ...taskStep(TASK.communityAssessment),
                on: { DECIDED: { guard: decided(STEP.communityAssessment, 'approve'), target: 'streetReview' } },
              },
              streetReview: approveOrRejectStep(
                TASK.streetReview,
                '#extreme-poverty.review.publicNotice',
                streetRejection(STEP.streetReview, REASONS),
              ),
            },
          },
          // 公示: 7 days in the village or community [S P13, P15; R 43号].
          publicNotice: publicNoticeState({
            level: 'community',
            limit: LIMITS.publicNotice,
            objectionTask: TASK.objectionReview,
            resetPeriodEnded: assign({ noticePeriodEnded: false }),
            markPeriodEnded: assign({ noticePeriodEnded: true }),
            objectionUpheldTarget: '#extreme-poverty.review.reinvestigation',
            passed: [{ target: '#extreme-poverty.review.confirmation' }],
          }),
          reinvestigation: {
            ...timedTaskStep(TASK.reinvestigation, LIMITS.reinvestigation),
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.reinvestigation, 'approve'), 'careCorrectionsValid']),
                  target: 'publicNotice',
                  actions: rememberCare,
                },
                streetRejection(STEP.reinvestigation, REINVESTIGATION_REASONS),
              ],
            },
          },
          // 确认 by the county (district) civil affairs bureau.
          confirmation: {
            ...timedTaskStep(TASK.confirmation, LIMITS.confirmation),
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.confirmation, 'approve'), 'careCorrectionsValid']),
                  target: '#extreme-poverty.approved',
                  actions: [
                    rememberCare,
                    recordApproval(STEP.confirmation),
                    notifyApplicant({ template: 'approved', step: STEP.confirmation }),
                    {
                      type: 'grantEntitlement',
                      params: ({ context }): GrantEntitlementParams => ({
                        kind: 'extreme-poverty-support',
                        details: {
                          selfCareLevel: context.selfCareLevel ?? 'unknown',
                          supportForm: context.supportForm ?? 'unknown',
                          // Support begins in the month of confirmation or the next; local rules differ [S P13, P14].
                          supportStarts: 'per-local-rule',
                        },
                      }),
                    },
                  ],
                },
                rejectAt(STEP.confirmation, REASONS),
              ],
            },
          },
          ...refusalDecisionStates(version),
        },
      },

      // Written reasons (L1 art. 18 by way of art. 11); no national limit for serving them is known.
      rejectionNotice: rejectionNoticeState(TASK.rejectionNotice),

      ...closedStates(),
    },
  });
}

/** The latest version, for new cases. */
export const extremePovertyMachine = extremePovertyMachineOf(EXTREME_POVERTY_VERSION);
