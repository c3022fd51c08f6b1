import { DomainError, type Level } from '@minsheng/domain';
import { and, setup } from 'xstate';
import { isBreach, withBreach, type CaseContextBase } from '../case-context.js';
import { stepTag, type CaseTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { caseGuards, decided, isSafeAmount, recordApproval, rejectedWithReason } from '../guards.js';
import {
  closeTask,
  intentActions,
  notifyApplicant,
  startClock,
  stopClock,
  type GrantEntitlementParams,
  type OpenTaskParams,
} from '../intents.js';
import { hasMeansFindings } from '../means-findings.js';
import { reasonCodes } from '../reject-reason.js';
import { awaitingApplicantState, returnForMaterial } from '../shared/awaiting-applicant.states.js';
import { publicNoticeState } from '../shared/public-notice.states.js';
import { refusalDecisionState, streetRejection } from '../shared/refusal-proposal.states.js';
import { rejectionTo } from '../shared/rejection.states.js';
import { acceptanceState, approveOrRejectStep, closedStates, taskStep } from '../shared/step.states.js';
import {
  APPROVAL_REASONS,
  EMERGENCY_RELIEF_REASONS,
  MAX_INSTALMENTS,
  MEANS_CHECK_REASONS,
  PAPERWORK_REASONS,
  REPEAT_REVIEW_REASONS,
  TEMPORARY_ASSISTANCE_LIMITS as LIMITS,
  splitInstalments,
} from './temporary-assistance.rules.js';

/**
 * 临时救助 (temporary assistance), docs/domain.md §3.3. Two routes:
 * - 急难型 (emergency): help first (先行救助), then the paperwork;
 * - 支出型 (expenditure): the general procedure with a means check and a public notice (L1 art. 48).
 * Both end in one approval, capped by the type's cap; above it only the county coordination body may decide, case
 * by case (一事一议), up to the major-case cap. A repeat for the same cause in the same year needs the county
 * bureau's review first. The approved amount may be paid in instalments (一次审批、分次救助).
 */
export const TEMPORARY_ASSISTANCE_MACHINE_ID = 'temporary-assistance';
/**
 * v3 (new cases): the monthly payment run is the one payer of the cash still owed after the relief
 * (docs/money.md "临时救助: one payer, in instalments"): the approval grants an instalment schedule the run pays,
 * and the payment step waits for the bank's answer on each instalment's line (PAYMENT_CONFIRMED / PAYMENT_FAILED
 * from the result import, in any order), with no task for a person to type `paid` into.
 * v2: a street office's rejection of a request it may not approve itself (above its delegated limit) is a proposal
 * the district decides (L1 art. 48, `refusal-proposal.states.ts`); the district confirmed each instalment by hand
 * on a payment task. v1: as v2, but the street office refused alone.
 */
export const TEMPORARY_ASSISTANCE_VERSION = 3;
export type TemporaryAssistanceVersion = 1 | 2 | typeof TEMPORARY_ASSISTANCE_VERSION;

export const ASSISTANCE_TYPES = ['emergency', 'expenditure'] as const;
export type AssistanceType = (typeof ASSISTANCE_TYPES)[number];

export interface TemporaryAssistanceInput {
  readonly assistanceType: AssistanceType;
  readonly requestedAmountFen: number;
  /** The type's cap: 5× (emergency) or 8× (expenditure) the regional urban 低保 monthly standard [S P6]. */
  readonly capFen: number;
  /** The cap of a major case decided case by case (一事一议): 30,000 yuan [S P6]. */
  readonly majorCaseCapFen: number;
  /** The same person was already helped this calendar year for the same cause [S P7]. */
  readonly priorAssistanceThisYearForCause: boolean;
  /** Requests up to this amount are approved by the 乡镇/街道 where the county delegated small amounts (L1 art. 48); 0 = none. */
  readonly streetApprovalLimitFen: number;
}

export interface TemporaryAssistanceContext extends CaseContextBase {
  readonly assistanceType: AssistanceType;
  readonly requestedAmountFen: number;
  readonly capFen: number;
  readonly majorCaseCapFen: number;
  readonly repeatThisYear: boolean;
  readonly approvalLevel: Level;
  /** Cash handed out by 先行救助 (0 for help in kind), part of the approved total. */
  readonly reliefGivenFen: number;
  readonly approvedAmountFen: number | null;
  /** What is still to pay after the relief, instalment by instalment. */
  readonly instalmentsFen: readonly number[];
  readonly paidInstalments: number;
  /** Transfers that failed (each instalment is paid again); absent in cases stored before payments could fail. */
  readonly failedPayments?: number;
  /** v3: the instalments the bank confirmed paid, in the order it did (a returned one may be paid after a later one). */
  readonly settledInstalments?: readonly number[];
  /**
   * v3: the entitlement was ended while instalments were owed (PAYMENTS_STOPPED): the case closed with the
   * instalments settled by then; the rest is not paid. Absent in cases that were paid in full.
   */
  readonly endedEarly?: { readonly reason: string | null; readonly effectiveMonth: string | null };
  readonly noticePeriodEnded: boolean;
}

export const TEMPORARY_ASSISTANCE_ERRORS = { badInput: 'TEMPORARY_ASSISTANCE.BAD_INPUT' } as const;

const STEP = {
  emergencyRelief: 'emergency-relief',
  paperwork: 'paperwork',
  acceptance: 'acceptance',
  meansCheck: 'means-check',
  objectionReview: 'objection-review',
  repeatReview: 'repeat-review',
  approval: 'approval',
  majorCase: 'major-case',
  payment: 'payment',
} as const;

const TASK = {
  emergencyRelief: {
    step: STEP.emergencyRelief,
    level: 'street',
    kind: 'payment',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(EMERGENCY_RELIEF_REASONS),
  },
  paperwork: {
    step: STEP.paperwork,
    level: 'street',
    kind: 'review',
    outcomes: ['approve', 'reject', 'return'],
    rejectReasons: reasonCodes(PAPERWORK_REASONS),
  },
  acceptance: {
    step: STEP.acceptance,
    level: 'street',
    kind: 'acceptance',
    outcomes: ['approve', 'return'],
    rejectReasons: [],
  },
  meansCheck: {
    step: STEP.meansCheck,
    level: 'street',
    kind: 'investigation',
    outcomes: ['approve', 'reject', 'return'],
    rejectReasons: reasonCodes(MEANS_CHECK_REASONS),
  },
  objectionReview: {
    step: STEP.objectionReview,
    level: 'street',
    kind: 'objection',
    outcomes: ['upheld', 'not-upheld'],
    rejectReasons: [],
  },
  repeatReview: {
    step: STEP.repeatReview,
    level: 'district',
    kind: 'decision',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(REPEAT_REVIEW_REASONS),
  },
  // The county social-assistance coordination body (社会救助工作协调机制) sits with civil affairs [G].
  majorCase: {
    step: STEP.majorCase,
    level: 'district',
    kind: 'decision',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(APPROVAL_REASONS),
  },
} as const satisfies Record<string, OpenTaskParams>;

function approvalTask(level: Level): OpenTaskParams {
  return {
    step: STEP.approval,
    level,
    kind: 'decision',
    outcomes: ['approve', 'reject'],
    rejectReasons: reasonCodes(APPROVAL_REASONS),
  };
}

function paymentTask(context: TemporaryAssistanceContext): OpenTaskParams {
  const instalment = context.paidInstalments + 1;
  return {
    step: STEP.payment,
    level: 'district',
    kind: 'payment',
    // The office that pays confirms each instalment with the bank's answer: paid, or failed (then paid again).
    outcomes: ['paid', 'payment-failed'],
    rejectReasons: [],
    payment: { instalment, of: context.instalmentsFen.length, amountFen: context.instalmentsFen[instalment - 1] ?? 0 },
  };
}

function requireAmount(field: keyof TemporaryAssistanceInput, value: unknown): number {
  if (!isSafeAmount(value)) {
    throw new DomainError(TEMPORARY_ASSISTANCE_ERRORS.badInput, `${field} must be a positive whole number of fen`, {
      field,
    });
  }
  return value;
}

function initialContext(input: TemporaryAssistanceInput): TemporaryAssistanceContext {
  if (!(ASSISTANCE_TYPES as readonly unknown[]).includes(input.assistanceType)) {
    throw new DomainError(TEMPORARY_ASSISTANCE_ERRORS.badInput, 'assistanceType must be emergency or expenditure', {
      field: 'assistanceType',
    });
  }
  const requested = requireAmount('requestedAmountFen', input.requestedAmountFen);
  const cap = requireAmount('capFen', input.capFen);
  const majorCap = requireAmount('majorCaseCapFen', input.majorCaseCapFen);
  if (majorCap < cap) {
    throw new DomainError(TEMPORARY_ASSISTANCE_ERRORS.badInput, 'the major-case cap is below the type cap', {
      field: 'majorCaseCapFen',
    });
  }
  const streetLimit = input.streetApprovalLimitFen;
  if (!Number.isSafeInteger(streetLimit) || streetLimit < 0) {
    throw new DomainError(
      TEMPORARY_ASSISTANCE_ERRORS.badInput,
      'streetApprovalLimitFen must be a whole number of fen',
      { field: 'streetApprovalLimitFen' },
    );
  }
  return {
    breachedClocks: [],
    assistanceType: input.assistanceType,
    requestedAmountFen: requested,
    capFen: cap,
    majorCaseCapFen: majorCap,
    repeatThisYear: input.priorAssistanceThisYearForCause === true,
    approvalLevel: requested <= streetLimit ? 'street' : 'district',
    reliefGivenFen: 0,
    approvedAmountFen: null,
    instalmentsFen: [],
    paidInstalments: 0,
    noticePeriodEnded: false,
  };
}

/** The amount and instalments an approval asks for, or null when they are not acceptable at all. */
function plannedAmount(
  context: TemporaryAssistanceContext,
  event: CaseEvent,
): { amountFen: number; instalments: number } | null {
  if (event.type !== 'DECIDED') return null;
  const amountFen = event.amountFen ?? context.requestedAmountFen;
  const instalments = event.instalments ?? 1;
  if (!isSafeAmount(amountFen) || amountFen < context.reliefGivenFen) return null;
  if (!Number.isSafeInteger(instalments) || instalments < 1 || instalments > MAX_INSTALMENTS) return null;
  const remaining = amountFen - context.reliefGivenFen;
  if (remaining > 0 && instalments > remaining) return null;
  return { amountFen, instalments };
}

type Args = { context: TemporaryAssistanceContext; event: CaseEvent };

const temporaryAssistanceSetup = setup({
  types: {
    context: {} as TemporaryAssistanceContext,
    events: {} as CaseEvent,
    input: {} as TemporaryAssistanceInput,
    tags: {} as CaseTag,
  },
  actions: intentActions,
  guards: {
    ...caseGuards,
    hasMeansFindings,
    isBreach,
    isEmergency: ({ context }: Args) => context.assistanceType === 'emergency',
    isRepeat: ({ context }: Args) => context.repeatThisYear,
    noticePeriodEnded: ({ context }: Args) => context.noticePeriodEnded,
    /** The county delegated approval of this request's amount to the 乡镇/街道 (L1 art. 48). */
    approvalDelegated: ({ context }: Args) => context.approvalLevel === 'street',
    /** 先行救助 in cash stays within the type's cap; help in kind gives no amount. */
    reliefWithinCap: ({ context, event }: Args) =>
      event.type === 'DECIDED' &&
      (event.amountFen === undefined ||
        (Number.isSafeInteger(event.amountFen) && event.amountFen >= 0 && event.amountFen <= context.capFen)),
    withinCap: ({ context, event }: Args) => {
      const plan = plannedAmount(context, event);
      return plan !== null && plan.amountFen <= context.capFen;
    },
    aboveCapWithinMajorCaseCap: ({ context, event }: Args) => {
      const plan = plannedAmount(context, event);
      return plan !== null && plan.amountFen > context.capFen && plan.amountFen <= context.majorCaseCapFen;
    },
    withinMajorCaseCap: ({ context, event }: Args) => {
      const plan = plannedAmount(context, event);
      return plan !== null && plan.amountFen <= context.majorCaseCapFen;
    },
    /** The relief already covered the whole approved amount. */
    nothingLeftToPay: ({ context, event }: Args) => plannedAmount(context, event)?.amountFen === context.reliefGivenFen,
    isNextInstalment: ({ context, event }: Args) =>
      (event.type === 'PAYMENT_CONFIRMED' || event.type === 'PAYMENT_FAILED') &&
      event.instalment === context.paidInstalments + 1,
    isLastInstalment: ({ context }: Args) => context.paidInstalments + 1 === context.instalmentsFen.length,
    /** v3: an instalment of the schedule the bank has not confirmed yet (the run pays them in any order). */
    isUnpaidInstalment: ({ context, event }: Args) =>
      (event.type === 'PAYMENT_CONFIRMED' || event.type === 'PAYMENT_FAILED') &&
      Number.isSafeInteger(event.instalment) &&
      event.instalment >= 1 &&
      event.instalment <= context.instalmentsFen.length &&
      !(context.settledInstalments ?? []).includes(event.instalment),
    isLastUnpaidInstalment: ({ context }: Args) =>
      (context.settledInstalments ?? []).length + 1 === context.instalmentsFen.length,
  },
});

const { assign } = temporaryAssistanceSetup;

const rememberPlan = assign(({ context, event }) => {
  const plan = plannedAmount(context, event);
  if (plan === null) return {};
  return {
    approvedAmountFen: plan.amountFen,
    instalmentsFen:
      plan.amountFen === context.reliefGivenFen
        ? []
        : splitInstalments(plan.amountFen - context.reliefGivenFen, plan.instalments),
  };
});

/**
 * The grant. v3 names the instalments still owed after the relief (`instalmentsFen`): the engine writes them as the
 * entitlement's schedule, which the payment run pays (the one payer). v1 and v2 grant without it: their payment tasks
 * pay, and the engine writes no entitlement the run would pay a second time (docs/money.md).
 */
function grantAssistance(version: TemporaryAssistanceVersion) {
  return {
    type: 'grantEntitlement',
    params: ({ context }: { context: TemporaryAssistanceContext }): GrantEntitlementParams => ({
      kind: 'temporary-assistance',
      amountFen: context.approvedAmountFen ?? 0,
      instalments: context.instalmentsFen.length,
      details: { assistanceType: context.assistanceType, reliefGivenFen: context.reliefGivenFen },
      ...(version >= 3 ? { instalmentsFen: context.instalmentsFen } : {}),
    }),
  } as const;
}

/** Approving within the cap that applies at `step`: paid in instalments, or closed when the relief covered it. */
function approveWithin(
  version: TemporaryAssistanceVersion,
  step: string,
  capGuard: 'withinCap' | 'withinMajorCaseCap',
) {
  const actions = [
    rememberPlan,
    recordApproval(step),
    notifyApplicant({ template: 'approved', step }),
    grantAssistance(version),
  ] as const;
  return [
    {
      guard: and([decided(step, 'approve'), capGuard, 'nothingLeftToPay']),
      target: '#temporary-assistance.approved',
      actions,
    },
    { guard: and([decided(step, 'approve'), capGuard]), target: '#temporary-assistance.payment', actions },
  ] as const;
}

const rejectTo = rejectionTo('#temporary-assistance.rejected');

/** v2: the street decides a refusal only within its delegated limit; otherwise it proposes, the district decides. */
const streetRejectTo = streetRejection({
  delegatedRejection: (step, reasons) => and([rejectedWithReason(step, reasons), 'approvalDelegated']),
  noticeTarget: '#temporary-assistance.rejected',
  proposalTarget: '#temporary-assistance.process.refusalDecision',
});

/** The rejection transitions of a street step in `version`. */
function streetRejectionsOf(version: TemporaryAssistanceVersion) {
  return (step: string, reasons: readonly string[]) =>
    version === 1 ? ([rejectTo(step, reasons)] as const) : streetRejectTo(step, reasons);
}

/**
 * v2's district decision on a street's proposal to refuse; the overall clock runs through it. Sent back, the case
 * goes to the street's means check (and from there to 公示 and approval).
 */
function refusalDecisionStates(
  version: TemporaryAssistanceVersion,
): Partial<Record<'refusalDecision', ReturnType<typeof refusalDecisionState>>> {
  return version === 1
    ? {}
    : {
        refusalDecision: refusalDecisionState({
          reasons: [
            ...new Set([
              ...reasonCodes(EMERGENCY_RELIEF_REASONS),
              ...reasonCodes(PAPERWORK_REASONS),
              ...reasonCodes(MEANS_CHECK_REASONS),
            ]),
          ],
          rejectTarget: '#temporary-assistance.rejected',
          sendBackTarget: '#temporary-assistance.process.meansCheck',
        }),
      };
}

/** The machine of one version; every version stays registered while cases may run on it. */
export function temporaryAssistanceMachineOf(version: TemporaryAssistanceVersion) {
  const streetRejections = streetRejectionsOf(version);
  return temporaryAssistanceSetup.createMachine({
    id: TEMPORARY_ASSISTANCE_MACHINE_ID,
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
          SUBMITTED: [{ guard: 'isEmergency', target: 'emergencyRelief' }, { target: 'acceptance' }],
          WITHDRAWN: 'withdrawn',
        },
      },

      // 急难型: help first (先行救助), from the reserve fund where needed; the amount stays within the cap.
      emergencyRelief: {
        ...taskStep(TASK.emergencyRelief),
        on: {
          WITHDRAWN: 'withdrawn',
          DECIDED: [
            {
              guard: and([decided(STEP.emergencyRelief, 'approve'), 'reliefWithinCap']),
              target: 'process.paperwork',
              actions: [
                assign({ reliefGivenFen: ({ event }) => (event.type === 'DECIDED' ? (event.amountFen ?? 0) : 0) }),
                notifyApplicant({ template: 'emergency-relief-given', step: STEP.emergencyRelief }),
              ],
            },
            ...streetRejections(STEP.emergencyRelief, TASK.emergencyRelief.rejectReasons),
          ],
        },
      },

      // 支出型: accepted through the single window (一门受理); the office may not refuse without good reason [S P7].
      acceptance: acceptanceState(TASK.acceptance, '#temporary-assistance.process.meansCheck'),

      // Investigation, review and approval: 15 working days [S P7].
      process: {
        entry: startClock('overall', LIMITS.overall),
        exit: stopClock('overall'),
        on: { WITHDRAWN: 'withdrawn' },
        // Entered only by explicit targets (paperwork or means check); the initial state is never used as such.
        initial: 'meansCheck',
        states: {
          // The file is completed after the help; 5 working days in the Yunnan example [S P8], Xinjiang unknown.
          paperwork: {
            entry: startClock(STEP.paperwork, LIMITS.paperwork),
            exit: stopClock(STEP.paperwork),
            initial: 'open',
            states: {
              open: {
                ...taskStep(TASK.paperwork),
                on: {
                  DECIDED: [
                    {
                      guard: and([decided(STEP.paperwork, 'approve'), 'isRepeat']),
                      target: '#temporary-assistance.process.repeatReview',
                    },
                    { guard: decided(STEP.paperwork, 'approve'), target: '#temporary-assistance.process.approval' },
                    ...streetRejections(STEP.paperwork, TASK.paperwork.rejectReasons),
                    returnForMaterial(STEP.paperwork),
                  ],
                },
              },
              awaitingApplicant: awaitingApplicantState([STEP.paperwork, 'overall'], 'open'),
            },
          },

          meansCheck: {
            ...taskStep(TASK.meansCheck),
            on: {
              DECIDED: [
                { guard: and([decided(STEP.meansCheck, 'approve'), 'hasMeansFindings']), target: 'publicNotice' },
                ...streetRejections(STEP.meansCheck, TASK.meansCheck.rejectReasons),
                returnForMaterial(STEP.meansCheck, 'meansCheckAwaitingApplicant'),
              ],
            },
          },
          meansCheckAwaitingApplicant: awaitingApplicantState(['overall'], 'meansCheck'),

          // 审核、公示 (L1 art. 48): an upheld objection sends the case back to the means check.
          publicNotice: publicNoticeState({
            level: 'community',
            limit: LIMITS.publicNotice,
            objectionTask: TASK.objectionReview,
            resetPeriodEnded: assign({ noticePeriodEnded: false }),
            markPeriodEnded: assign({ noticePeriodEnded: true }),
            objectionUpheldTarget: '#temporary-assistance.process.meansCheck',
            passed: [
              { when: ['isRepeat'], target: '#temporary-assistance.process.repeatReview' },
              { target: '#temporary-assistance.process.approval' },
            ],
          }),

          // Once a year per person and cause; a repeat only after the county bureau's review [S P7].
          repeatReview: approveOrRejectStep(
            TASK.repeatReview,
            'approval',
            rejectTo(STEP.repeatReview, TASK.repeatReview.rejectReasons),
          ),

          // The county civil affairs bureau approves; small amounts may be delegated to the 乡镇/街道 (L1 art. 48).
          approval: {
            tags: ['in-review', stepTag(STEP.approval)],
            entry: { type: 'openTask', params: ({ context }) => approvalTask(context.approvalLevel) },
            exit: closeTask(STEP.approval),
            on: {
              DECIDED: [
                ...approveWithin(version, STEP.approval, 'withinCap'),
                { guard: and([decided(STEP.approval, 'approve'), 'aboveCapWithinMajorCaseCap']), target: 'majorCase' },
                rejectTo(STEP.approval, reasonCodes(APPROVAL_REASONS)),
              ],
            },
          },

          // 一事一议: above the type's cap, up to the major-case cap [S P6].
          majorCase: {
            ...taskStep(TASK.majorCase),
            on: {
              DECIDED: [
                ...approveWithin(version, STEP.majorCase, 'withinMajorCaseCap'),
                rejectTo(STEP.majorCase, TASK.majorCase.rejectReasons),
              ],
            },
          },
          ...refusalDecisionStates(version),
        },
      },

      payment: version >= 3 ? paymentByRunState() : paymentTaskState(),

      ...closedStates(),
    },
  });
}

/**
 * v3's payment step: the payment run pays each instalment in its month; the bank's answer on the instalment's line
 * comes back as PAYMENT_CONFIRMED or PAYMENT_FAILED (the result import, docs/money.md), in any order, since a
 * returned instalment is paid after its correction, perhaps after a later one. No task: nobody types `paid`.
 */
function paymentByRunState() {
  const settle = assign(({ context, event }) =>
    event.type === 'PAYMENT_CONFIRMED'
      ? {
          paidInstalments: context.paidInstalments + 1,
          settledInstalments: [...(context.settledInstalments ?? []), event.instalment],
        }
      : {},
  );
  return {
    // No step tag: no task of the office is open while the run pays (the case's current steps are its open tasks).
    tags: ['in-payment'],
    on: {
      PAYMENT_CONFIRMED: [
        {
          guard: and(['isUnpaidInstalment', 'isLastUnpaidInstalment']),
          target: '#temporary-assistance.approved',
          actions: settle,
        },
        { guard: 'isUnpaidInstalment', actions: settle },
      ],
      // A returned transfer pays nothing and the approval stands: the applicant is told to check the account given;
      // the street office's correction carries the same line into the next run.
      PAYMENT_FAILED: {
        guard: 'isUnpaidInstalment',
        actions: [
          assign({ failedPayments: ({ context }) => (context.failedPayments ?? 0) + 1 }),
          notifyApplicant({ template: 'payment-failed', step: STEP.payment }),
        ],
      },
      // The entitlement was ended (a death, a move, an ending decided): the run pays no later instalment, so the case
      // closes approved with the instalments paid so far (`paidInstalments`, `settledInstalments`). Added on v3, as
      // an event this state refused before (docs/procedures.md "Adding or changing a procedure"): cases already
      // waiting in payment on v3 are closed by it too. A bank's later answer on a line still out is refused by the
      // closed case (COMMAND_REFUSED); the payment line stays the record of the money.
      PAYMENTS_STOPPED: {
        target: '#temporary-assistance.approved',
        actions: assign({
          endedEarly: ({ event }) =>
            event.type === 'PAYMENTS_STOPPED'
              ? { reason: event.reason ?? null, effectiveMonth: event.effectiveMonth ?? null }
              : { reason: null, effectiveMonth: null },
        }),
      },
    },
  } as const;
}

/** v1 and v2: 一次审批、分次救助, one payment task per instalment, each confirmed by the district by hand. */
function paymentTaskState() {
  return {
    tags: ['in-payment', stepTag(STEP.payment)],
    entry: { type: 'openTask', params: ({ context }: { context: TemporaryAssistanceContext }) => paymentTask(context) },
    exit: closeTask(STEP.payment),
    on: {
      PAYMENT_CONFIRMED: [
        {
          guard: and(['isNextInstalment', 'isLastInstalment']),
          target: 'approved',
          actions: assign({ paidInstalments: ({ context }) => context.paidInstalments + 1 }),
        },
        {
          guard: 'isNextInstalment',
          target: 'payment',
          reenter: true,
          actions: assign({ paidInstalments: ({ context }) => context.paidInstalments + 1 }),
        },
      ],
      // A failed transfer pays nothing and the approval stands: the applicant is told to check the account given,
      // and the same instalment gets a new payment task.
      PAYMENT_FAILED: {
        guard: 'isNextInstalment',
        target: 'payment',
        reenter: true,
        actions: [
          assign({ failedPayments: ({ context }) => (context.failedPayments ?? 0) + 1 }),
          notifyApplicant({ template: 'payment-failed', step: STEP.payment }),
        ],
      },
    },
  } as const;
}

/** The latest version, for new cases. */
export const temporaryAssistanceMachine = temporaryAssistanceMachineOf(TEMPORARY_ASSISTANCE_VERSION);
