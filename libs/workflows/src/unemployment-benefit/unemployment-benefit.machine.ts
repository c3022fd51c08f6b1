import { and, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { stepTag, type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import {
  caseGuards,
  decided,
  notifyMissingMaterials,
  notifyRejection,
  recordApproval,
  recordRejection,
  rejectedWithReason,
  returnedForMaterial,
} from '../guards.js';
import {
  closeCase,
  closeTask,
  intentActions,
  notifyApplicant,
  openTask,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  type GrantEntitlementParams,
  type OpenTaskParams,
} from '../intents.js';
import { reasonCodes } from '../reject-reason.js';
import {
  maxBenefitMonths,
  MIN_CONTRIBUTION_MONTHS,
  NOT_REGISTERED_UNEMPLOYED,
  UNEMPLOYMENT_BENEFIT_LIMITS as LIMITS,
  UNEMPLOYMENT_BENEFIT_REASONS,
} from './unemployment-benefit.rules.js';

/**
 * 失业保险金 (unemployment benefit), docs/domain.md §3.9: a person registered as unemployed claims at the social
 * insurance handling office, which decides within 10 working days (社会保险经办条例 art. 24). Without unemployment
 * registration (社会保险法 art. 45) the claim is rejected at once.
 */
export const UNEMPLOYMENT_BENEFIT_MACHINE_ID = 'unemployment-benefit';
export const UNEMPLOYMENT_BENEFIT_VERSION = 1;

export interface UnemploymentBenefitInput {
  /** Registered as unemployed at the public employment service (item BPS-022). */
  readonly unemploymentRegistered: boolean;
}

export interface UnemploymentBenefitContext extends CaseContextBase {
  readonly unemploymentRegistered: boolean;
}

const STEP = { review: 'review', registrationCheck: 'registration-check' } as const;
const REASONS = reasonCodes(UNEMPLOYMENT_BENEFIT_REASONS);

// The handling office (社会保险经办机构) of the human resources and social security bureau, the item's lead.
const REVIEW_TASK = {
  step: STEP.review,
  level: 'district',
  kind: 'decision',
  outcomes: ['approve', 'reject', 'return'],
  rejectReasons: REASONS,
} as const satisfies OpenTaskParams;

type Args = { context: UnemploymentBenefitContext; event: CaseEvent };

function contributionMonthsOf(event: CaseEvent): number | null {
  const months = event.type === 'DECIDED' ? event.findings?.['contributionMonths'] : undefined;
  return typeof months === 'number' && Number.isSafeInteger(months) ? months : null;
}

const unemploymentSetup = setup({
  types: {
    context: {} as UnemploymentBenefitContext,
    events: {} as CaseEvent,
    input: {} as UnemploymentBenefitInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    isBreach,
    notRegistered: ({ context }: Args) => !context.unemploymentRegistered,
    /** An approval states the cumulative contributions, at least one year (L4 art. 45). */
    contributedOneYear: ({ event }: Args) => (contributionMonthsOf(event) ?? 0) >= MIN_CONTRIBUTION_MONTHS,
  },
});

const { assign } = unemploymentSetup;

export const unemploymentBenefitMachine = unemploymentSetup.createMachine({
  id: UNEMPLOYMENT_BENEFIT_MACHINE_ID,
  meta: { version: UNEMPLOYMENT_BENEFIT_VERSION },
  context: ({ input }) => ({ breachedClocks: [], unemploymentRegistered: input.unemploymentRegistered === true }),
  on: {
    CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
  },
  initial: 'submitted',
  states: {
    submitted: {
      tags: ['submitted'],
      on: {
        SUBMITTED: [
          {
            guard: 'notRegistered',
            target: 'rejected',
            actions: [
              {
                type: 'recordDecision',
                params: {
                  step: STEP.registrationCheck,
                  outcome: 'rejected',
                  actor: 'system',
                  reasonCode: NOT_REGISTERED_UNEMPLOYED.code,
                },
              },
              notifyApplicant({
                template: 'rejected',
                step: STEP.registrationCheck,
                reasonCode: NOT_REGISTERED_UNEMPLOYED.code,
              }),
            ],
          },
          { target: 'review' },
        ],
        WITHDRAWN: 'withdrawn',
      },
    },

    review: {
      entry: startClock(STEP.review, LIMITS.review),
      exit: stopClock(STEP.review),
      initial: 'open',
      on: { WITHDRAWN: 'withdrawn' },
      states: {
        open: {
          tags: ['in-review', stepTag(STEP.review)],
          entry: openTask(REVIEW_TASK),
          exit: closeTask(STEP.review),
          on: {
            DECIDED: [
              {
                guard: and([decided(STEP.review, 'approve'), 'contributedOneYear']),
                target: '#unemployment-benefit.approved',
                actions: [
                  recordApproval(STEP.review),
                  notifyApplicant({ template: 'approved', step: STEP.review }),
                  {
                    type: 'grantEntitlement',
                    params: ({ event }): GrantEntitlementParams => ({
                      kind: 'unemployment-benefit',
                      // Paid monthly from the date of unemployment registration (L4 art. 50), for at most the
                      // period the contributions earn (art. 46).
                      details: {
                        maxMonths: maxBenefitMonths(contributionMonthsOf(event) ?? 0),
                        startsOn: 'unemployment-registration',
                        payment: 'monthly',
                      },
                    }),
                  },
                ],
              },
              {
                guard: rejectedWithReason(STEP.review, REASONS),
                target: '#unemployment-benefit.rejected',
                actions: [recordRejection(STEP.review), notifyRejection(STEP.review)],
              },
              {
                guard: returnedForMaterial(STEP.review),
                target: 'awaitingApplicant',
                actions: notifyMissingMaterials(STEP.review),
              },
            ],
          },
        },
        awaitingApplicant: {
          tags: ['awaiting-applicant'],
          entry: pauseClock(STEP.review),
          exit: resumeClock(STEP.review),
          on: { SUPPLEMENT_RECEIVED: 'open' },
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
