import { DomainError } from '@minsheng/domain';
import { and, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { caseGuards, decided } from '../guards.js';
import { intentActions, startClock, stopClock, type OpenTaskParams, type PartDecision } from '../intents.js';
import { reasonCodes } from '../reject-reason.js';
import { awaitingApplicantState, returnForMaterial } from '../shared/awaiting-applicant.states.js';
import { publicNoticeState } from '../shared/public-notice.states.js';
import { rejectionTo } from '../shared/rejection.states.js';
import { closedStates, taskStep, timedTaskStep } from '../shared/step.states.js';
import {
  DISABILITY_SUBSIDY_LIMITS as LIMITS,
  DISABILITY_SUBSIDY_REASONS,
  ENTITLEMENT_OF,
  NO_VALID_CERTIFICATE,
  NURSING_MAX_GRADE,
  SUBSIDIES,
  type DisabilitySubsidiesVersion,
  type DisabilitySubsidyReasons,
  type Subsidy,
} from './disability-subsidies.rules.js';

/**
 * 两项补贴 (living subsidy for disabled people in hardship, nursing subsidy for severe disability),
 * docs/domain.md §3.4: the street office checks (10 working days), the result is posted (7 days), the county disability
 * federation verifies the certificate and grade (10 working days), the county civil affairs bureau decides each
 * subsidy. Version 2 gives the Xinjiang-registration condition to the living subsidy only and the "take the higher of
 * similar allowances" reason to both subsidies (disability-subsidies.rules.ts); the steps are those of version 1.
 */
export const DISABILITY_SUBSIDIES_MACHINE_ID = 'disability-subsidies';
export const DISABILITY_SUBSIDIES_VERSION = 2;

export interface DisabilitySubsidiesInput {
  /** The subsidies applied for; a person may receive both (国发〔2015〕52号 [R]). */
  readonly subsidies: readonly Subsidy[];
}

export interface DisabilitySubsidiesContext extends CaseContextBase {
  readonly subsidies: readonly Subsidy[];
  /** Disability grade (1 most severe … 4) as verified by the disability federation. */
  readonly disabilityGrade: number | null;
  readonly noticePeriodEnded: boolean;
}

export const DISABILITY_SUBSIDIES_ERRORS = { badInput: 'DISABILITY_SUBSIDIES.BAD_INPUT' } as const;

const STEP = {
  streetCheck: 'street-check',
  objectionReview: 'objection-review',
  certificateVerification: 'certificate-verification',
  decision: 'decision',
} as const;

/**
 * The tasks of a version. From version 2 the street check rejects the whole application only for a reason that
 * refuses every subsidy (a subsidy's own reason is given per subsidy in the decision).
 */
function tasksOf(version: DisabilitySubsidiesVersion) {
  const reasons = DISABILITY_SUBSIDY_REASONS[version];
  const ALL_REASONS = reasonCodes(reasons.all);
  const STREET_REASONS = version === 1 ? ALL_REASONS : reasonCodes(reasons.common);
  return {
    streetCheck: {
      step: STEP.streetCheck,
      level: 'street',
      kind: 'review',
      outcomes: ['approve', 'reject', 'return'],
      rejectReasons: STREET_REASONS,
    },
    objectionReview: {
      step: STEP.objectionReview,
      level: 'street',
      kind: 'objection',
      outcomes: ['upheld', 'not-upheld'],
      rejectReasons: [],
    },
    // The county disability federation, not the lead civil affairs bureau, verifies the certificate.
    certificateVerification: {
      step: STEP.certificateVerification,
      level: 'district',
      department: 'disabled-persons-federation',
      kind: 'verification',
      outcomes: ['approve', 'reject'],
      rejectReasons: [NO_VALID_CERTIFICATE.code],
    },
    decision: {
      step: STEP.decision,
      level: 'district',
      kind: 'decision',
      outcomes: ['approve', 'reject'],
      rejectReasons: ALL_REASONS,
    },
  } as const satisfies Record<string, OpenTaskParams>;
}

function initialContext(input: DisabilitySubsidiesInput): DisabilitySubsidiesContext {
  const subsidies = input.subsidies;
  const valid =
    Array.isArray(subsidies) &&
    subsidies.length > 0 &&
    new Set(subsidies).size === subsidies.length &&
    subsidies.every((subsidy) => (SUBSIDIES as readonly string[]).includes(subsidy));
  if (!valid) {
    throw new DomainError(DISABILITY_SUBSIDIES_ERRORS.badInput, 'apply for living, nursing or both, each once', {
      field: 'subsidies',
    });
  }
  return { breachedClocks: [], subsidies: [...subsidies], disabilityGrade: null, noticePeriodEnded: false };
}

type Args = { context: DisabilitySubsidiesContext; event: CaseEvent };

/**
 * The per-subsidy outcomes of the decision, or null when they do not fit: every subsidy applied for gets an
 * outcome, a rejected one gives one of its reasons, the nursing subsidy needs grade 1 or 2, and the decision is
 * `approve` exactly when at least one subsidy is granted. A whole rejection may instead give one common reason.
 */
export function partsOf(
  { context, event }: Args,
  reasons: DisabilitySubsidyReasons = DISABILITY_SUBSIDY_REASONS[DISABILITY_SUBSIDIES_VERSION],
): Partial<Record<Subsidy, PartDecision>> | null {
  const ALL_REASONS = reasonCodes(reasons.all);
  if (event.type !== 'DECIDED' || event.step !== STEP.decision) return null;
  if (event.parts === undefined) {
    if (event.outcome !== 'reject' || !reasonCodes(reasons.common).includes(event.reasonCode ?? '')) return null;
    return Object.fromEntries(
      context.subsidies.map((subsidy) => [subsidy, { outcome: 'rejected', reasonCode: event.reasonCode }]),
    );
  }
  const keys = Object.keys(event.parts);
  if (keys.length !== context.subsidies.length || !context.subsidies.every((subsidy) => keys.includes(subsidy)))
    return null;
  const parts: Partial<Record<Subsidy, PartDecision>> = {};
  for (const subsidy of context.subsidies) {
    const part = event.parts[subsidy];
    if (part?.outcome === 'approve') {
      if (subsidy === 'nursing' && (context.disabilityGrade ?? Infinity) > NURSING_MAX_GRADE) return null;
      parts[subsidy] = { outcome: 'approved' };
    } else if (part?.outcome === 'reject' && reasonCodes(reasons.bySubsidy[subsidy]).includes(part.reasonCode ?? '')) {
      parts[subsidy] = { outcome: 'rejected', reasonCode: part.reasonCode };
    } else {
      return null;
    }
  }
  const anyGranted = Object.values(parts).some((part) => part.outcome === 'approved');
  if (anyGranted !== (event.outcome === 'approve')) return null;
  if (event.outcome === 'reject' && !ALL_REASONS.includes(event.reasonCode ?? '')) return null;
  return parts;
}

/** The machine of one version; every version stays registered while cases may run on it. */
export function disabilitySubsidiesMachineOf(version: DisabilitySubsidiesVersion) {
  const reasons = DISABILITY_SUBSIDY_REASONS[version];
  const TASK = tasksOf(version);
  const disabilitySetup = setup({
    types: {
      context: {} as DisabilitySubsidiesContext,
      events: {} as CaseEvent,
      input: {} as DisabilitySubsidiesInput,
      tags: {} as CaseTag,
    },
    actions: intentActions,
    guards: {
      ...caseGuards,
      isBreach,
      noticePeriodEnded: ({ context }: Args) => context.noticePeriodEnded,
      /** The federation states the verified grade, 1 to 4. */
      hasVerifiedGrade: ({ event }: Args) => {
        const grade = event.type === 'DECIDED' ? event.findings?.['disabilityGrade'] : undefined;
        return typeof grade === 'number' && Number.isInteger(grade) && grade >= 1 && grade <= 4;
      },
      partsFit: (args: Args) => partsOf(args, reasons) !== null,
    },
  });

  const { assign, enqueueActions } = disabilitySetup;

  const rejectAt = rejectionTo('#disability-subsidies.rejected');

  /** Record the decision with its parts, tell the applicant, and grant each subsidy granted (paid monthly). */
  const decide = enqueueActions(({ context, event, enqueue }) => {
    const parts = partsOf({ context, event }, reasons);
    if (parts === null || event.type !== 'DECIDED') return;
    const outcome = event.outcome === 'approve' ? 'approved' : 'rejected';
    enqueue({
      type: 'recordDecision',
      params: {
        step: STEP.decision,
        outcome,
        actor: event.actor,
        parts,
        ...(event.reasonCode === undefined ? {} : { reasonCode: event.reasonCode }),
      },
    });
    enqueue({ type: 'notifyApplicant', params: { template: outcome, step: STEP.decision, parts } });
    for (const subsidy of context.subsidies) {
      if (parts[subsidy]?.outcome === 'approved') {
        enqueue({
          type: 'grantEntitlement',
          params: { kind: ENTITLEMENT_OF[subsidy], details: { payment: 'monthly' } },
        });
      }
    }
  });

  return disabilitySetup.createMachine({
    id: DISABILITY_SUBSIDIES_MACHINE_ID,
    meta: { version },
    context: ({ input }) => initialContext(input),
    on: {
      CLOCK_BREACHED: { guard: 'isBreach', actions: assign({ breachedClocks: withBreach }) },
    },
    initial: 'submitted',
    states: {
      submitted: {
        tags: ['submitted'],
        on: { SUBMITTED: 'review', WITHDRAWN: 'withdrawn' },
      },

      review: {
        initial: 'streetCheck',
        on: { WITHDRAWN: 'withdrawn' },
        states: {
          // The 乡镇/街道 checks identity, disability grade and hardship proof [R 52号; S P16].
          streetCheck: {
            entry: startClock(STEP.streetCheck, LIMITS.streetCheck),
            exit: stopClock(STEP.streetCheck),
            initial: 'open',
            states: {
              open: {
                ...taskStep(TASK.streetCheck),
                on: {
                  DECIDED: [
                    {
                      guard: decided(STEP.streetCheck, 'approve'),
                      target: '#disability-subsidies.review.publicNotice',
                    },
                    rejectAt(STEP.streetCheck, TASK.streetCheck.rejectReasons),
                    returnForMaterial(STEP.streetCheck),
                  ],
                },
              },
              awaitingApplicant: awaitingApplicantState([STEP.streetCheck], 'open'),
            },
          },

          // 公示 in the village or community; an upheld objection sends the case back to the street check.
          publicNotice: publicNoticeState({
            level: 'community',
            limit: LIMITS.publicNotice,
            objectionTask: TASK.objectionReview,
            resetPeriodEnded: assign({ noticePeriodEnded: false }),
            markPeriodEnded: assign({ noticePeriodEnded: true }),
            objectionUpheldTarget: '#disability-subsidies.review.streetCheck',
            passed: [{ target: '#disability-subsidies.review.certificateVerification' }],
          }),

          // The county disability federation verifies the certificate and the grade.
          certificateVerification: {
            ...timedTaskStep(TASK.certificateVerification, LIMITS.certificateVerification),
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.certificateVerification, 'approve'), 'hasVerifiedGrade']),
                  target: 'decision',
                  actions: assign({
                    disabilityGrade: ({ event }) =>
                      event.type === 'DECIDED' ? Number(event.findings?.['disabilityGrade']) : null,
                  }),
                },
                rejectAt(STEP.certificateVerification, TASK.certificateVerification.rejectReasons),
              ],
            },
          },

          // The county civil affairs bureau decides each subsidy, cross-checking the 低保 system; the task names the
          // subsidies applied for, each to be given its outcome.
          decision: {
            ...taskStep(TASK.decision),
            entry: { type: 'openTask', params: ({ context }) => ({ ...TASK.decision, parts: [...context.subsidies] }) },
            on: {
              DECIDED: [
                {
                  guard: and([decided(STEP.decision, 'approve'), 'partsFit']),
                  target: '#disability-subsidies.approved',
                  actions: decide,
                },
                {
                  guard: and([decided(STEP.decision, 'reject'), 'partsFit']),
                  target: '#disability-subsidies.rejected',
                  actions: decide,
                },
              ],
            },
          },
        },
      },

      ...closedStates(),
    },
  });
}

/** The latest version, for new cases. */
export const disabilitySubsidiesMachine = disabilitySubsidiesMachineOf(DISABILITY_SUBSIDIES_VERSION);
