import { setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { caseGuards, periodEnded } from '../guards.js';
import {
  intentActions,
  notifyApplicant,
  publishNotice,
  startClock,
  stopClock,
  type GrantEntitlementParams,
  type OpenTaskParams,
} from '../intents.js';
import { reasonCodes } from '../reject-reason.js';
import { publicNoticeState } from '../shared/public-notice.states.js';
import { rejectionTo } from '../shared/rejection.states.js';
import { acceptanceState, approveOrRejectStep, closedStates, timedTaskStep } from '../shared/step.states.js';
import {
  HOUSING_REVIEW_REASONS,
  LEASE_AT_MOST_MONTHS,
  MEANS_CHECK_REASONS,
  PUBLIC_RENTAL_HOUSING_LIMITS as LIMITS,
} from './public-rental-housing.rules.js';

/**
 * 公租房保障 (public rental housing), docs/domain.md §3.8: apply → the civil affairs data check of income and assets
 * → the housing authority's qualification review → public notice → registration on the waiting list (轮候) →
 * allocation. A refused applicant may ask for a re-review (复核), answered within 15 working days. Version 2 runs
 * the wait on the list as a clock (normally at most 5 years) and states the 5-year lease limit in the allocation.
 * Version 3 runs the lease as a period from the allocation: the case stays `in-lease` until it ends (docs/domain.md
 * §3.8); re-checks during the lease and exit belong to the periodic reviews.
 */
export const PUBLIC_RENTAL_HOUSING_MACHINE_ID = 'public-rental-housing';
export const PUBLIC_RENTAL_HOUSING_VERSION = 3;
export type PublicRentalHousingVersion = 1 | 2 | 3;

export interface PublicRentalHousingInput {
  /** A 低保 household or a 特困 person supported at home with housing difficulty has priority (L1 arts. 37–40 [V]). */
  readonly priorityHousehold: boolean;
}

export interface PublicRentalHousingContext extends CaseContextBase {
  readonly priorityHousehold: boolean;
  readonly noticePeriodEnded: boolean;
  /** Version 3: the term of the lease signed at the allocation, in months (at most `LEASE_AT_MOST_MONTHS`). */
  readonly leaseMonths?: number;
}

/** The lease term an allocation states, or the longest lease when it states none. */
function leaseMonthsOf(event: CaseEvent): number {
  return event.type === 'ALLOCATED' && event.leaseMonths !== undefined ? event.leaseMonths : LEASE_AT_MOST_MONTHS;
}

const STEP = {
  acceptance: 'acceptance',
  meansCheck: 'means-check',
  housingReview: 'housing-review',
  objectionReview: 'objection-review',
  reReview: 're-review',
} as const;

const TASK = {
  acceptance: {
    step: STEP.acceptance,
    level: 'street',
    kind: 'acceptance',
    outcomes: ['approve', 'return'],
    rejectReasons: [],
  },
  // The county civil affairs bureau's data-check platform checks income and assets for the housing authority.
  meansCheck: {
    step: STEP.meansCheck,
    level: 'district',
    department: 'civil-affairs',
    kind: 'verification',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(MEANS_CHECK_REASONS),
  },
  housingReview: {
    step: STEP.housingReview,
    level: 'district',
    kind: 'review',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(HOUSING_REVIEW_REASONS),
  },
  objectionReview: {
    step: STEP.objectionReview,
    level: 'district',
    kind: 'objection',
    outcomes: ['upheld', 'not-upheld'],
    rejectReasons: [],
  },
  reReview: {
    step: STEP.reReview,
    level: 'district',
    kind: 'objection',
    outcomes: ['upheld', 'not-upheld'],
    rejectReasons: [],
  },
} as const satisfies Record<string, OpenTaskParams>;

type Args = { context: PublicRentalHousingContext; event: CaseEvent };

const housingSetup = setup({
  types: {
    context: {} as PublicRentalHousingContext,
    events: {} as CaseEvent,
    input: {} as PublicRentalHousingInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    isBreach,
    noticePeriodEnded: ({ context }: Args) => context.noticePeriodEnded,
    allocatedBySomeone: ({ event }: Args) =>
      event.type === 'ALLOCATED' &&
      typeof event.actor === 'string' &&
      event.actor.trim() !== '' &&
      (event.leaseMonths === undefined ||
        (Number.isInteger(event.leaseMonths) && event.leaseMonths >= 1 && event.leaseMonths <= LEASE_AT_MOST_MONTHS)),
  },
});

const { assign } = housingSetup;

const refuseAt = rejectionTo('#public-rental-housing.refused');

/** Qualified once the notice passes without an upheld objection: registered on the waiting list. */
const register = [
  { type: 'recordDecision', params: { step: 'registration', outcome: 'approved', actor: 'system' } },
  notifyApplicant({ template: 'qualified-waiting-list', step: 'registration' }),
  {
    type: 'grantEntitlement',
    params: ({ context }: { context: PublicRentalHousingContext }): GrantEntitlementParams => ({
      kind: 'public-rental-housing-waiting-list',
      details: { priority: context.priorityHousehold },
    }),
  },
] as const;

/** The machine of one version; every version stays registered while cases may run on it. */
export function publicRentalHousingMachineOf(version: PublicRentalHousingVersion) {
  const waitingClock =
    version === 1 ? {} : { entry: startClock('waiting', LIMITS.waiting), exit: stopClock('waiting') };
  const leaseLimit = version === 1 ? {} : { leaseAtMostMonths: LEASE_AT_MOST_MONTHS };
  // Version 3: the lease (at most 5 years [R]) runs as a period; the case ends approved when it ends.
  const leasedState = {
    tags: ['in-lease' as const],
    entry: {
      type: 'startClock' as const,
      params: ({ context }: { context: PublicRentalHousingContext }) => ({
        clock: 'lease',
        kind: 'period' as const,
        limit: { ...LIMITS.lease, amount: context.leaseMonths ?? LEASE_AT_MOST_MONTHS },
      }),
    },
    exit: stopClock('lease'),
    on: { NOTICE_PERIOD_ENDED: { guard: periodEnded('lease'), target: 'approved' } },
  };
  const leased: Record<string, typeof leasedState> = version < 3 ? {} : { leased: leasedState };
  return housingSetup.createMachine({
    id: PUBLIC_RENTAL_HOUSING_MACHINE_ID,
    meta: { version },
    context: ({ input }) => ({
      breachedClocks: [],
      priorityHousehold: input.priorityHousehold === true,
      noticePeriodEnded: false,
    }),
    on: {
      CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
    },
    initial: 'submitted',
    states: {
      submitted: {
        tags: ['submitted'],
        on: { SUBMITTED: 'acceptance', WITHDRAWN: 'withdrawn' },
      },

      // Applications reach the housing authority through the 街道 or community [R].
      acceptance: acceptanceState(TASK.acceptance, '#public-rental-housing.qualification'),

      qualification: {
        initial: 'meansCheck',
        on: { WITHDRAWN: 'withdrawn' },
        states: {
          meansCheck: approveOrRejectStep(
            TASK.meansCheck,
            'housingReview',
            refuseAt(STEP.meansCheck, TASK.meansCheck.rejectReasons),
          ),
          housingReview: approveOrRejectStep(
            TASK.housingReview,
            'publicNotice',
            refuseAt(STEP.housingReview, TASK.housingReview.rejectReasons),
          ),
          // 公示 of the qualified applicants; an upheld objection sends the case back to the housing review.
          publicNotice: publicNoticeState({
            level: 'district',
            limit: LIMITS.publicNotice,
            objectionTask: TASK.objectionReview,
            resetPeriodEnded: assign({ noticePeriodEnded: false }),
            markPeriodEnded: assign({ noticePeriodEnded: true }),
            objectionUpheldTarget: '#public-rental-housing.qualification.housingReview',
            passed: [{ target: '#public-rental-housing.waitingList', actions: register }],
          }),
        },
      },

      // Written notice with reasons; the applicant may ask the housing authority for a re-review (复核).
      refused: {
        tags: ['rejected'],
        entry: startClock('re-review-window', LIMITS.reReviewWindow, 'period'),
        exit: stopClock('re-review-window'),
        on: {
          OBJECTION_FILED: 'reReview',
          NOTICE_PERIOD_ENDED: { guard: periodEnded('re-review-window'), target: 'rejected' },
        },
      },
      reReview: {
        ...timedTaskStep(TASK.reReview, LIMITS.reReview),
        on: {
          OBJECTION_DECIDED: [
            { guard: 'objectionUpheld', target: '#public-rental-housing.qualification.publicNotice' },
            {
              guard: 'objectionNotUpheld',
              target: 'rejected',
              actions: notifyApplicant({ template: 'objection-rejected', step: STEP.reReview }),
            },
          ],
        },
      },

      // 轮候: normally at most 5 years [R]; the household may leave the queue. The housing authority allocates a unit
      // and signs the lease (配租, POST /v1/staff/cases/{id}/allocation), which ends the case approved (versions 1
      // and 2) or starts the lease (version 3).
      waitingList: {
        tags: ['waiting-list'],
        ...waitingClock,
        on: {
          WITHDRAWN: 'withdrawn',
          ALLOCATED: {
            guard: 'allocatedBySomeone',
            target: version < 3 ? 'approved' : 'leased',
            actions: [
              {
                type: 'grantEntitlement',
                params: ({ event }) => ({
                  kind: 'public-rental-housing',
                  details:
                    event.type === 'ALLOCATED'
                      ? {
                          allocation: event.reference ?? '',
                          ...(event.lease === undefined ? {} : { lease: event.lease }),
                          ...leaseLimit,
                          ...(version < 3 ? {} : { leaseMonths: leaseMonthsOf(event) }),
                        }
                      : {},
                }),
              },
              // Version 3: the allocation result is posted (配租结果公开, 住房和城乡建设部令第11号 [R]).
              ...(version < 3
                ? []
                : [
                    publishNotice({ notice: 'publication', step: 'allocation', level: 'district' }),
                    assign({ leaseMonths: ({ event }) => leaseMonthsOf(event) }),
                  ]),
            ],
          },
        },
      },

      ...leased,

      ...closedStates(),
    },
  });
}

/** The latest version, for new cases. */
export const publicRentalHousingMachine = publicRentalHousingMachineOf(PUBLIC_RENTAL_HOUSING_VERSION);
