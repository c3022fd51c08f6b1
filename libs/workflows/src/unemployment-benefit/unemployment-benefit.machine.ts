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
  intentActions,
  notifyApplicant,
  openTask,
  startClock,
  stopClock,
  type GrantEntitlementParams,
  type OpenTaskParams,
} from '../intents.js';
import { reasonCodes } from '../reject-reason.js';
import { awaitingApplicantState, returnForMaterial } from '../shared/awaiting-applicant.states.js';
import type { Limit } from '../limits.js';
import {
  ART_51_STOP_REASONS,
  BENEFIT_STOP_REASONS,
  combinedBenefitMonths,
  MAX_COMBINED_BENEFIT_MONTHS,
  maxBenefitMonths,
  MIN_CONTRIBUTION_MONTHS,
  NOT_REGISTERED_UNEMPLOYED,
  REPORTING_DUTY,
  UNEMPLOYMENT_BENEFIT_LIMITS as LIMITS,
  UNEMPLOYMENT_BENEFIT_REASONS,
} from './unemployment-benefit.rules.js';

/**
 * 失业保险金 (unemployment benefit), docs/domain.md §3.9: a person registered as unemployed claims at the social
 * insurance handling office, which decides within 10 working days (社会保险经办条例 art. 24). Without unemployment
 * registration (社会保险法 art. 45) the claim is rejected at once.
 *
 * Version 2 adds what follows the approval: a remaining earlier entitlement combines with the new one up to 24
 * months (失业保险条例 art. 17), the case stays `in-payment` for the benefit period (a period clock in months), and a
 * stop on one of the grounds of 社会保险法 art. 51 ends it early, with the dates of the event and of its report (the
 * reporting duty of 社会保险经办条例 art. 25, stated in the grant).
 *
 * Version 3 adds the stop ground 失业保险条例 art. 15 gives and art. 51 lacks: a prison sentence served
 * (`STOP_IMPRISONED`). Cases on version 2 keep the five grounds of art. 51.
 */
export const UNEMPLOYMENT_BENEFIT_MACHINE_ID = 'unemployment-benefit';
export const UNEMPLOYMENT_BENEFIT_VERSION = 3;
export type UnemploymentBenefitVersion = 1 | 2 | 3;

export interface UnemploymentBenefitInput {
  /** Registered as unemployed at the public employment service (item BPS-022). */
  readonly unemploymentRegistered: boolean;
}

export interface UnemploymentBenefitContext extends CaseContextBase {
  readonly unemploymentRegistered: boolean;
  /** Version 2 and later: the benefit period granted, in months (set on approval). */
  readonly benefitMonths?: number;
}

const STEP = {
  review: 'review',
  registrationCheck: 'registration-check',
  benefitStop: 'benefit-stop',
  benefitPeriod: 'benefit-period',
} as const;

/** The stop grounds of a version: art. 51's five up to version 2, with art. 15's prison sentence from version 3. */
function stopReasonsOf(version: UnemploymentBenefitVersion): readonly string[] {
  return reasonCodes(version >= 3 ? BENEFIT_STOP_REASONS : ART_51_STOP_REASONS);
}

// The handling office records a stop of the benefit on one of the grounds of its version.
function stopTask(version: UnemploymentBenefitVersion) {
  return {
    step: STEP.benefitStop,
    level: 'district',
    kind: 'review',
    outcomes: ['reject'],
    rejectReasons: stopReasonsOf(version),
  } as const satisfies OpenTaskParams;
}
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

/** Months not drawn from an earlier entitlement (0 when the finding is absent), or null when it is not 0–24. */
function remainingMonthsOf(event: CaseEvent): number | null {
  const months = event.type === 'DECIDED' ? event.findings?.['remainingMonths'] : undefined;
  if (months === undefined) return 0;
  return typeof months === 'number' &&
    Number.isSafeInteger(months) &&
    months >= 0 &&
    months <= MAX_COMBINED_BENEFIT_MONTHS
    ? months
    : null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A stop names the day of the stop event and the day it was reported, the later not before the earlier. */
function hasStopDates(event: CaseEvent): boolean {
  const on = event.type === 'DECIDED' ? event.findings?.['stopEventOn'] : undefined;
  const reported = event.type === 'DECIDED' ? event.findings?.['reportedOn'] : undefined;
  return (
    typeof on === 'string' &&
    typeof reported === 'string' &&
    ISO_DATE.test(on) &&
    ISO_DATE.test(reported) &&
    on <= reported
  );
}

function benefitPeriod(months: number): Limit {
  return {
    amount: months,
    unit: 'months',
    source: { citation: 'L4 art. 46 (社会保险法); L3 art. 17 (失业保险条例)', evidence: 'V' },
  };
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
    /** Version 2: a remaining earlier entitlement, when stated, is a whole number of months up to 24. */
    validRemaining: ({ event }: Args) => remainingMonthsOf(event) !== null,
    stopDated: ({ event }: Args) => hasStopDates(event),
  },
});

const { assign } = unemploymentSetup;

/** The grant of version 1: the contributions' period only. */
const grantV1 = {
  type: 'grantEntitlement',
  params: ({ event }: Args): GrantEntitlementParams => ({
    kind: 'unemployment-benefit',
    // Paid monthly from the date of unemployment registration (L4 art. 50), for at most the
    // period the contributions earn (art. 46).
    details: {
      maxMonths: maxBenefitMonths(contributionMonthsOf(event) ?? 0),
      startsOn: 'unemployment-registration',
      payment: 'monthly',
    },
  }),
} as const;

/** The grant of version 2: the combined period, and the duty to report a stop event. */
const grantV2 = {
  type: 'grantEntitlement',
  params: ({ event }: Args): GrantEntitlementParams => {
    const remaining = remainingMonthsOf(event) ?? 0;
    return {
      kind: 'unemployment-benefit',
      details: {
        maxMonths: combinedBenefitMonths(contributionMonthsOf(event) ?? 0, remaining),
        ...(remaining > 0 ? { combinedWithRemainingMonths: remaining } : {}),
        startsOn: 'unemployment-registration',
        payment: 'monthly',
        reportingDutyWorkingDays: REPORTING_DUTY.amount,
        reportingDutySource: REPORTING_DUTY.source.citation,
      },
    };
  },
} as const;

/** The machine of one version; every version stays registered while cases may run on it. */
export function unemploymentBenefitMachineOf(version: UnemploymentBenefitVersion) {
  const approval =
    version === 1
      ? {
          guard: and([decided(STEP.review, 'approve'), 'contributedOneYear']),
          target: '#unemployment-benefit.approved',
          actions: [recordApproval(STEP.review), notifyApplicant({ template: 'approved', step: STEP.review }), grantV1],
        }
      : {
          guard: and([decided(STEP.review, 'approve'), 'contributedOneYear', 'validRemaining']),
          target: '#unemployment-benefit.receiving',
          actions: [
            recordApproval(STEP.review),
            notifyApplicant({ template: 'approved', step: STEP.review }),
            grantV2,
            assign({
              benefitMonths: ({ event }) =>
                combinedBenefitMonths(contributionMonthsOf(event) ?? 0, remainingMonthsOf(event) ?? 0),
            }),
          ],
        };
  // The benefit is paid monthly for the period granted; a stop on a ground of its version ends it early (version 2+).
  const stopReasons = stopReasonsOf(version);
  const receivingState = {
    tags: ['in-payment', stepTag(STEP.benefitStop)],
    entry: [
      openTask(stopTask(version)),
      {
        type: 'startClock',
        params: ({ context }: { context: UnemploymentBenefitContext }) => ({
          clock: STEP.benefitPeriod,
          kind: 'period',
          limit: benefitPeriod(context.benefitMonths ?? 12),
        }),
      },
    ],
    exit: [closeTask(STEP.benefitStop), stopClock(STEP.benefitPeriod)],
    on: {
      NOTICE_PERIOD_ENDED: { guard: periodEnded(STEP.benefitPeriod), target: 'approved' },
      DECIDED: {
        guard: and([rejectedWithReason(STEP.benefitStop, stopReasons), 'stopDated']),
        target: 'approved',
        actions: [recordRejection(STEP.benefitStop), notifyRejection(STEP.benefitStop)],
      },
    },
  };
  const receiving: Record<string, typeof receivingState> = version === 1 ? {} : { receiving: receivingState };
  return unemploymentSetup.createMachine({
    id: UNEMPLOYMENT_BENEFIT_MACHINE_ID,
    meta: { version },
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
                approval,
                {
                  guard: rejectedWithReason(STEP.review, REASONS),
                  target: '#unemployment-benefit.rejected',
                  actions: [recordRejection(STEP.review), notifyRejection(STEP.review)],
                },
                returnForMaterial(STEP.review),
              ],
            },
          },
          awaitingApplicant: awaitingApplicantState([STEP.review], 'open'),
        },
      },

      ...receiving,

      approved: { type: 'final', tags: ['approved'], entry: closeCase('approved') },
      rejected: { type: 'final', tags: ['rejected'], entry: closeCase('rejected') },
      withdrawn: {
        type: 'final',
        tags: ['withdrawn'],
        entry: [notifyApplicant({ template: 'withdrawal-confirmed' }), closeCase('withdrawn')],
      },
    },
  });
}

/** The latest version, for new cases. */
export const unemploymentBenefitMachine = unemploymentBenefitMachineOf(UNEMPLOYMENT_BENEFIT_VERSION);
