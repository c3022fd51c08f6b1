import { DomainError } from '@minsheng/domain';
import { and, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { stepTag, type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import {
  caseGuards,
  decided,
  notifyRejection,
  periodEnded,
  recordApproval,
  recordRejection,
  rejectedWithReason,
} from '../guards.js';
import {
  closeCase,
  closeTask,
  grantEntitlement,
  intentActions,
  notifyApplicant,
  openTask,
  pauseClock,
  resumeClock,
  stopClock,
  SUPPLEMENT_WINDOW_CLOCK,
  type OpenTaskParams,
  type StartClockParams,
} from '../intents.js';
import { reasonCodes } from '../reject-reason.js';
import { returnForMaterial } from '../shared/awaiting-applicant.states.js';
import { DAY_COUNTINGS, LEGAL_AID_REASONS, legalAidLimits, type DayCounting } from './legal-aid.rules.js';

/**
 * 法律援助 (legal aid), docs/domain.md §3.7: the legal aid agency decides within 7日 of receipt and assigns a legal
 * aid worker within 3日 of granting (法律援助法 art. 43); a refusal may be objected to before the justice bureau,
 * which decides within 5日 (art. 49). Urgent matters get aid first (先行提供, art. 44). An incomplete file is
 * returned with everything missing; if the material never comes, the application is deemed withdrawn (art. 43).
 */
export const LEGAL_AID_MACHINE_ID = 'legal-aid';
/**
 * v2 (new cases): an incomplete file opens the supplement window, whose end deems the application withdrawn.
 * v1 (cases started before): the same states, without that window; a v1 case keeps waiting for the material.
 */
export const LEGAL_AID_VERSION = 2;
export const LEGAL_AID_VERSIONS = [1, LEGAL_AID_VERSION] as const;
export type LegalAidVersion = (typeof LEGAL_AID_VERSIONS)[number];

export interface LegalAidInput {
  /** A limitation period or deadline ends within 7 days, or property or evidence needs urgent measures (art. 44). */
  readonly urgent: boolean;
  /** How the Law's "日" are counted for this case (see legal-aid.rules.ts). */
  readonly dayCounting: DayCounting;
}

export interface LegalAidContext extends CaseContextBase {
  readonly dayCounting: DayCounting;
  readonly urgent: boolean;
  /** A worker was already assigned by 先行提供, so a grant needs no further assignment. */
  readonly provisionallyAssigned: boolean;
}

export const LEGAL_AID_ERRORS = { badInput: 'LEGAL_AID.BAD_INPUT' } as const;

const STEP = {
  provisionalAssignment: 'provisional-assignment',
  review: 'review',
  assignment: 'assignment',
  objectionReview: 'objection-review',
} as const;

const REASONS = reasonCodes(LEGAL_AID_REASONS);

const TASK = {
  provisionalAssignment: {
    step: STEP.provisionalAssignment,
    level: 'district',
    kind: 'assignment',
    outcomes: ['approve'],
    rejectReasons: [],
  },
  review: {
    step: STEP.review,
    level: 'district',
    kind: 'decision',
    outcomes: ['approve', 'reject', 'return'],
    rejectReasons: REASONS,
  },
  assignment: {
    step: STEP.assignment,
    level: 'district',
    kind: 'assignment',
    outcomes: ['approve'],
    rejectReasons: [],
  },
  // Decided by the justice bureau that set up the agency (art. 49), the item's lead department.
  objectionReview: {
    step: STEP.objectionReview,
    level: 'district',
    kind: 'objection',
    outcomes: ['upheld', 'not-upheld'],
    rejectReasons: [],
  },
} as const satisfies Record<string, OpenTaskParams>;

type ClockName = 'review' | 'assignment' | 'objectionReview' | 'objectionWindow' | 'supplementWindow';
const CLOCK: Record<ClockName, string> = {
  supplementWindow: SUPPLEMENT_WINDOW_CLOCK,
  review: 'review',
  assignment: 'assignment',
  objectionReview: 'objection-review',
  objectionWindow: 'objection-window',
};

/** Starts a clock whose limit depends on the case's day counting. */
function startLegalAidClock(name: ClockName, kind: StartClockParams['kind'] = 'deadline') {
  return {
    type: 'startClock',
    params: ({ context }: { context: LegalAidContext }): StartClockParams => ({
      clock: CLOCK[name],
      kind,
      limit: legalAidLimits(context.dayCounting)[name],
    }),
  } as const;
}

function initialContext(input: LegalAidInput): LegalAidContext {
  if (!(DAY_COUNTINGS as readonly unknown[]).includes(input.dayCounting)) {
    throw new DomainError(LEGAL_AID_ERRORS.badInput, 'dayCounting must be calendar-days or working-days', {
      field: 'dayCounting',
    });
  }
  return {
    breachedClocks: [],
    dayCounting: input.dayCounting,
    urgent: input.urgent === true,
    provisionallyAssigned: false,
  };
}

type Args = { context: LegalAidContext; event: CaseEvent };

const legalAidSetup = setup({
  types: {
    context: {} as LegalAidContext,
    events: {} as CaseEvent,
    input: {} as LegalAidInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    isBreach,
    isUrgent: ({ context }: Args) => context.urgent,
    provisionallyAssigned: ({ context }: Args) => context.provisionallyAssigned,
  },
});

const { assign } = legalAidSetup;

const grantLegalAid = grantEntitlement({ kind: 'legal-aid' });

/**
 * The waiting state's clocks: the review clock pauses; from v2 the applicant's supplement window runs while it waits.
 */
function awaitingApplicantClocks(version: LegalAidVersion) {
  return version === 1
    ? { entry: [pauseClock(CLOCK.review)], exit: [resumeClock(CLOCK.review)] }
    : {
        entry: [pauseClock(CLOCK.review), startLegalAidClock('supplementWindow', 'period')],
        exit: [stopClock(CLOCK.supplementWindow), resumeClock(CLOCK.review)],
      };
}

/** The machine of one version; every version stays registered while cases may run on it. */
export function legalAidMachineOf(version: LegalAidVersion) {
  return legalAidSetup.createMachine({
    id: LEGAL_AID_MACHINE_ID,
    meta: { version },
    context: ({ input }) => initialContext(input),
    on: {
      CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
    },
    initial: 'submitted',
    states: {
      submitted: {
        tags: ['submitted'],
        on: {
          SUBMITTED: [
            { guard: 'isUrgent', target: 'examination.provisionalAssignment' },
            { target: 'examination.reviewing' },
          ],
          WITHDRAWN: 'withdrawn',
        },
      },

      // 审查: 7日 from receipt; the time the applicant takes to supply material does not count [S P44].
      examination: {
        entry: startLegalAidClock('review'),
        exit: stopClock(CLOCK.review),
        initial: 'reviewing',
        on: { WITHDRAWN: 'withdrawn' },
        states: {
          // 先行提供: aid before the review ends; the applicant completes the paperwork later (art. 44).
          provisionalAssignment: {
            tags: ['in-review', stepTag(STEP.provisionalAssignment)],
            entry: openTask(TASK.provisionalAssignment),
            exit: closeTask(STEP.provisionalAssignment),
            on: {
              DECIDED: {
                guard: decided(STEP.provisionalAssignment, 'approve'),
                target: 'reviewing',
                actions: [
                  assign({ provisionallyAssigned: true }),
                  notifyApplicant({ template: 'provisional-aid-assigned', step: STEP.provisionalAssignment }),
                ],
              },
            },
          },
          reviewing: {
            tags: ['in-review', stepTag(STEP.review)],
            entry: openTask(TASK.review),
            exit: closeTask(STEP.review),
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.review, 'approve'), 'provisionallyAssigned']),
                  target: '#legal-aid.approved',
                  actions: [
                    recordApproval(STEP.review),
                    notifyApplicant({ template: 'approved', step: STEP.review }),
                    grantLegalAid,
                  ],
                },
                {
                  guard: decided(STEP.review, 'approve'),
                  target: '#legal-aid.assignment',
                  actions: [recordApproval(STEP.review), notifyApplicant({ template: 'approved', step: STEP.review })],
                },
                {
                  guard: rejectedWithReason(STEP.review, REASONS),
                  target: '#legal-aid.refused',
                  actions: [recordRejection(STEP.review), notifyRejection(STEP.review)],
                },
                returnForMaterial(STEP.review),
              ],
            },
          },
          // The review clock pauses while the applicant has the supplement window to send what is missing.
          awaitingApplicant: {
            tags: ['awaiting-applicant'],
            ...awaitingApplicantClocks(version),
            on: {
              SUPPLEMENT_RECEIVED: 'reviewing',
              // 视为撤回: the missing material was not supplied (art. 43 para. 2).
              SUPPLEMENT_LAPSED: '#legal-aid.deemedWithdrawn',
            },
          },
        },
      },

      // 指派: a legal aid worker within 3日 of the decision to grant.
      assignment: {
        tags: ['approved', stepTag(STEP.assignment)],
        entry: [openTask(TASK.assignment), startLegalAidClock('assignment')],
        exit: [closeTask(STEP.assignment), stopClock(CLOCK.assignment)],
        on: {
          DECIDED: { guard: decided(STEP.assignment, 'approve'), target: 'approved', actions: grantLegalAid },
        },
      },

      // The refusal is written, with reasons; the applicant may object before the justice bureau (art. 49).
      refused: {
        tags: ['rejected'],
        entry: startLegalAidClock('objectionWindow', 'period'),
        exit: stopClock(CLOCK.objectionWindow),
        on: {
          OBJECTION_FILED: 'objectionReview',
          NOTICE_PERIOD_ENDED: { guard: periodEnded(CLOCK.objectionWindow), target: 'rejected' },
        },
      },
      objectionReview: {
        tags: ['in-review', stepTag(STEP.objectionReview)],
        entry: [openTask(TASK.objectionReview), startLegalAidClock('objectionReview')],
        exit: [closeTask(STEP.objectionReview), stopClock(CLOCK.objectionReview)],
        on: {
          OBJECTION_DECIDED: [
            {
              guard: 'objectionUpheld',
              target: 'assignment',
              actions: [
                {
                  type: 'recordDecision',
                  params: ({ event }) => ({
                    step: STEP.objectionReview,
                    outcome: 'approved',
                    actor: event.type === 'OBJECTION_DECIDED' ? event.actor : '',
                  }),
                },
                notifyApplicant({ template: 'approved', step: STEP.objectionReview }),
              ],
            },
            {
              guard: 'objectionNotUpheld',
              target: 'rejected',
              actions: notifyApplicant({ template: 'objection-rejected', step: STEP.objectionReview }),
            },
          ],
        },
      },

      approved: { type: 'final', tags: ['approved'], entry: closeCase('approved') },
      rejected: { type: 'final', tags: ['rejected'], entry: closeCase('rejected') },
      withdrawn: {
        type: 'final',
        tags: ['withdrawn'],
        entry: [notifyApplicant({ template: 'withdrawal-confirmed' }), closeCase('withdrawn')],
      },
      deemedWithdrawn: {
        type: 'final',
        tags: ['withdrawn'],
        entry: [notifyApplicant({ template: 'deemed-withdrawn' }), closeCase('deemed-withdrawn')],
      },
    },
  });
}

/** The latest version, for new cases. */
export const legalAidMachine = legalAidMachineOf(LEGAL_AID_VERSION);
