import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@minsheng/domain';
import fc from 'fast-check';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import { startCase } from '../procedure-registry.js';
import {
  approve,
  NOT_UPHELD,
  NOTICE_ENDED,
  OBJECTION,
  paid,
  reject,
  returnFor,
  SUBMITTED,
  SUPPLEMENT,
  UPHELD,
  WITHDRAWN,
} from '../testing/case-events.js';
import {
  allStateIds,
  explore,
  paramsOf,
  refused,
  runScenario,
  standardPayloads,
  step,
  type ScenarioStep,
} from '../testing/case-walker.js';
import { temporaryAssistanceMachine, type TemporaryAssistanceInput } from './temporary-assistance.machine.js';
import { splitInstalments } from './temporary-assistance.rules.js';

// Caps are data from the domain: e.g. 5× and 8× a regional standard, and 30,000 yuan for a major case.
const CAP = 250_000;
const MAJOR_CAP = 3_000_000;
const EMERGENCY: TemporaryAssistanceInput = {
  assistanceType: 'emergency',
  requestedAmountFen: 200_000,
  capFen: CAP,
  majorCaseCapFen: MAJOR_CAP,
  priorAssistanceThisYearForCause: false,
  streetApprovalLimitFen: 0,
};
const EXPENDITURE: TemporaryAssistanceInput = { ...EMERGENCY, assistanceType: 'expenditure', capFen: 400_000 };
const MEANS = { homeVisitDate: '2025-06-02', dataCheck: 'consistent' };

/** A scenario on the latest version, or on `version` (v2: the district confirms each instalment on a task). */
function expectScenario(input: TemporaryAssistanceInput, steps: readonly ScenarioStep[], version?: number) {
  const run = runScenario('temporary-assistance', input, steps, version);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

const approvedIntents = (stepName: string, exits: readonly string[]) => [
  `closeTask:${stepName}`,
  ...exits,
  'stopClock:overall',
  `recordDecision:${stepName}:approved`,
  'notifyApplicant:approved',
  'grantEntitlement:temporary-assistance',
];
const rejectedIntents = (stepName: string, exits: readonly string[]) => [
  `closeTask:${stepName}`,
  ...exits,
  `recordDecision:${stepName}:rejected`,
  'notifyApplicant:rejected',
  'closeCase:rejected',
];

describe('temporary-assistance machine (临时救助, docs/domain.md §3.3)', () => {
  describe('emergency type (急难型): help first, paperwork after', () => {
    const toRelief = step(SUBMITTED, 'emergencyRelief', 'in-review', ['openTask:emergency-relief']);
    const relieved = (amountFen?: number) =>
      step(
        approve('emergency-relief', amountFen === undefined ? {} : { amountFen }),
        'process.paperwork.open',
        'in-review',
        [
          'closeTask:emergency-relief',
          'notifyApplicant:emergency-relief-given',
          'startClock:overall',
          'startClock:paperwork',
          'openTask:paperwork',
        ],
      );
    const paperworkDone = step(approve('paperwork'), 'process.approval', 'in-review', [
      'closeTask:paperwork',
      'stopClock:paperwork',
      'openTask:approval',
    ]);

    it('v2: pays what the relief did not cover, in instalments under one approval', () => {
      const run = expectScenario(
        EMERGENCY,
        [
          toRelief,
          relieved(50_000),
          paperworkDone,
          step(approve('approval', { amountFen: 200_000, instalments: 3 }), 'payment', 'in-payment', [
            ...approvedIntents('approval', []),
            'openTask:payment',
          ]),
          refused(paid(2)),
          step(paid(1), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
          step(paid(2), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
          refused(WITHDRAWN),
          step(paid(3), 'approved', 'approved', ['closeTask:payment', 'closeCase:approved']),
        ],
        2,
      );
      const payments = run.intents
        .flatMap((intents) => paramsOf(intents, 'openTask'))
        .filter((task) => task.kind === 'payment' && task.step === 'payment');
      expect(payments.map((task) => task.payment)).toEqual([
        { instalment: 1, of: 3, amountFen: 50_000 },
        { instalment: 2, of: 3, amountFen: 50_000 },
        { instalment: 3, of: 3, amountFen: 50_000 },
      ]);
      expect(paramsOf(run.intents[3] ?? [], 'grantEntitlement')).toEqual([
        {
          kind: 'temporary-assistance',
          amountFen: 200_000,
          instalments: 3,
          details: { assistanceType: 'emergency', reliefGivenFen: 50_000 },
        },
      ]);
    });

    it('v2: opens a new task for the same instalment when a payment fails, and tells the applicant', () => {
      const failed = (instalment: number): CaseEvent => ({
        type: 'PAYMENT_FAILED',
        instalment,
        actor: 'staff:payer',
        reason: 'account closed',
      });
      const run = expectScenario(
        EMERGENCY,
        [
          toRelief,
          relieved(),
          paperworkDone,
          step(approve('approval', { amountFen: 200_000, instalments: 2 }), 'payment', 'in-payment', [
            ...approvedIntents('approval', []),
            'openTask:payment',
          ]),
          refused(failed(2)),
          step(failed(1), 'payment', 'in-payment', [
            'closeTask:payment',
            'notifyApplicant:payment-failed',
            'openTask:payment',
          ]),
          step(paid(1), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
          step(paid(2), 'approved', 'approved', ['closeTask:payment', 'closeCase:approved']),
        ],
        2,
      );
      const payments = run.intents
        .flatMap((intents) => paramsOf(intents, 'openTask'))
        .filter((task) => task.kind === 'payment' && task.step === 'payment');
      expect(payments.map((task) => [task.payment?.instalment, task.outcomes])).toEqual([
        [1, ['paid', 'payment-failed']],
        [1, ['paid', 'payment-failed']],
        [2, ['paid', 'payment-failed']],
      ]);
    });

    it('closes at approval when the relief already covered the approved amount', () => {
      expectScenario(EMERGENCY, [
        toRelief,
        relieved(120_000),
        paperworkDone,
        step(approve('approval', { amountFen: 120_000 }), 'approved', 'approved', [
          ...approvedIntents('approval', []),
          'closeCase:approved',
        ]),
      ]);
    });

    describe('v3: the payment run is the one payer (docs/money.md "临时救助: one payer, in instalments")', () => {
      const failed = (instalment: number): CaseEvent => ({
        type: 'PAYMENT_FAILED',
        instalment,
        actor: 'system:payments',
        reason: 'payment-line:l1 returned: wrong-account',
      });

      it('grants the instalments after the relief and waits for the bank, with no task, in any order', () => {
        const run = expectScenario(EMERGENCY, [
          toRelief,
          relieved(50_000),
          paperworkDone,
          step(approve('approval', { amountFen: 200_000, instalments: 3 }), 'payment', 'in-payment', [
            ...approvedIntents('approval', []),
          ]),
          // Instalment 1 returned: the applicant is told; the approval stands.
          step(failed(1), 'payment', 'in-payment', ['notifyApplicant:payment-failed']),
          // Instalment 2 paid before the corrected first one.
          step(paid(2), 'payment', 'in-payment', []),
          refused(paid(2)),
          refused(failed(2)),
          refused(paid(4)),
          refused(WITHDRAWN),
          step(paid(1), 'payment', 'in-payment', []),
          step(paid(3), 'approved', 'approved', ['closeCase:approved']),
        ]);
        expect(paramsOf(run.intents[3] ?? [], 'grantEntitlement')).toEqual([
          {
            kind: 'temporary-assistance',
            amountFen: 200_000,
            instalments: 3,
            instalmentsFen: [50_000, 50_000, 50_000],
            details: { assistanceType: 'emergency', reliefGivenFen: 50_000 },
          },
        ]);
        expect(run.intents.flat().filter((i) => i.type === 'openTask' && i.params.step === 'payment')).toEqual([]);
        expect(run.final.snapshot.context).toMatchObject({ paidInstalments: 3, settledInstalments: [2, 1, 3] });
      });

      it('closes approved with the instalments paid so far when the entitlement is ended', () => {
        const ended: CaseEvent = {
          type: 'PAYMENTS_STOPPED',
          actor: 'operator-1',
          entitlementId: 'e-1',
          reason: 'deceased',
          effectiveMonth: '2026-08',
        };
        const run = expectScenario(EMERGENCY, [
          toRelief,
          relieved(50_000),
          paperworkDone,
          step(approve('approval', { amountFen: 200_000, instalments: 3 }), 'payment', 'in-payment', [
            ...approvedIntents('approval', []),
          ]),
          step(paid(1), 'payment', 'in-payment', []),
          step(failed(2), 'payment', 'in-payment', ['notifyApplicant:payment-failed']),
          step(ended, 'approved', 'approved', ['closeCase:approved']),
          refused(paid(2)),
          refused(ended),
        ]);
        expect(run.final.snapshot.context).toMatchObject({
          paidInstalments: 1,
          settledInstalments: [1],
          failedPayments: 1,
          endedEarly: { reason: 'deceased', effectiveMonth: '2026-08' },
        });
      });

      it('takes no ending before the approval, and v2 (payment tasks) takes none in payment', () => {
        const ended: CaseEvent = { type: 'PAYMENTS_STOPPED', actor: 'operator-1' };
        expectScenario(EMERGENCY, [toRelief, refused(ended)]);
        expectScenario(
          EMERGENCY,
          [
            toRelief,
            relieved(50_000),
            paperworkDone,
            step(approve('approval', { amountFen: 200_000, instalments: 3 }), 'payment', 'in-payment', [
              ...approvedIntents('approval', []),
              'openTask:payment',
            ]),
            refused(ended),
          ],
          2,
        );
      });

      it('grants nothing for the run to pay when the relief covered the approved amount', () => {
        const run = expectScenario(EMERGENCY, [
          toRelief,
          relieved(120_000),
          paperworkDone,
          step(approve('approval', { amountFen: 120_000 }), 'approved', 'approved', [
            ...approvedIntents('approval', []),
            'closeCase:approved',
          ]),
        ]);
        expect(paramsOf(run.intents[3] ?? [], 'grantEntitlement')[0]?.instalmentsFen).toEqual([]);
      });
    });

    it('v2: takes help in kind (no amount) and pays the requested amount at once by default', () => {
      const run = expectScenario(
        EMERGENCY,
        [
          toRelief,
          relieved(),
          paperworkDone,
          step(approve('approval'), 'payment', 'in-payment', [...approvedIntents('approval', []), 'openTask:payment']),
          step(paid(1), 'approved', 'approved', ['closeTask:payment', 'closeCase:approved']),
        ],
        2,
      );
      expect(paramsOf(run.intents[3] ?? [], 'openTask')[0]?.payment).toEqual({
        instalment: 1,
        of: 1,
        amountFen: 200_000,
      });
    });

    it.each([
      ['relief above the cap', approve('emergency-relief', { amountFen: CAP + 1 })],
      ['a negative relief', approve('emergency-relief', { amountFen: -1 })],
      ['a fractional amount', approve('emergency-relief', { amountFen: 100.5 })],
    ])('refuses %s', (_label, event) => {
      expectScenario(EMERGENCY, [toRelief, refused(event)]);
    });

    it('a street that may not approve the amount only proposes to refuse relief; the district refuses', () => {
      const run = expectScenario(EMERGENCY, [
        toRelief,
        step(reject('emergency-relief', 'NOT_QUALIFYING_SITUATION'), 'process.refusalDecision', 'in-review', [
          'closeTask:emergency-relief',
          'startClock:overall',
          'openTask:refusal-decision',
        ]),
        refused(approve('emergency-relief')),
        step(
          reject('refusal-decision', 'NOT_QUALIFYING_SITUATION'),
          'rejected',
          'rejected',
          rejectedIntents('refusal-decision', ['stopClock:overall']),
        ),
      ]);
      expect(paramsOf(run.intents[1] ?? [], 'openTask')[0]).toMatchObject({
        step: 'refusal-decision',
        level: 'district',
        proposal: { step: 'emergency-relief', reasonCode: 'NOT_QUALIFYING_SITUATION', proposedBy: 'reviewer-1' },
      });
    });

    it('rejects at the relief step where the amount is within the street office’s delegated limit', () => {
      expectScenario({ ...EMERGENCY, streetApprovalLimitFen: 200_000 }, [
        toRelief,
        step(
          reject('emergency-relief', 'NOT_QUALIFYING_SITUATION'),
          'rejected',
          'rejected',
          rejectedIntents('emergency-relief', []),
        ),
      ]);
    });

    it('pauses the paperwork and overall clocks while material is missing', () => {
      expectScenario(EMERGENCY, [
        toRelief,
        relieved(10_000),
        step(returnFor('paperwork'), 'process.paperwork.awaitingApplicant', 'awaiting-applicant', [
          'closeTask:paperwork',
          'notifyApplicant:missing-materials',
          'pauseClock:paperwork',
          'pauseClock:overall',
        ]),
        step(SUPPLEMENT, 'process.paperwork.open', 'in-review', [
          'resumeClock:paperwork',
          'resumeClock:overall',
          'openTask:paperwork',
        ]),
        paperworkDone,
      ]);
    });

    it('proposes to refuse at the paperwork (false declaration found afterwards); the district sends it back', () => {
      expectScenario(EMERGENCY, [
        toRelief,
        relieved(10_000),
        step(reject('paperwork', 'FALSE_DECLARATION'), 'process.refusalDecision', 'in-review', [
          'closeTask:paperwork',
          'stopClock:paperwork',
          'openTask:refusal-decision',
        ]),
        step(approve('refusal-decision'), 'process.meansCheck', 'in-review', [
          'closeTask:refusal-decision',
          'openTask:means-check',
        ]),
      ]);
    });

    it('starts the paperwork clock with 5 working days, tagged as a guess for Xinjiang', () => {
      const run = expectScenario(EMERGENCY, [toRelief, relieved(10_000)]);
      expect(
        paramsOf(run.intents[1] ?? [], 'startClock').map((clock) => [
          clock.clock,
          clock.limit.amount,
          clock.limit.unit,
          clock.limit.source.evidence,
        ]),
      ).toEqual([
        ['overall', 15, 'working-days', 'S'],
        ['paperwork', 5, 'working-days', 'G'],
      ]);
    });

    describe('caps and the major-case path (一事一议)', () => {
      const toApproval = [toRelief, relieved(50_000), paperworkDone];

      it('v2: routes an amount above the cap to the county coordination body, up to the major-case cap', () => {
        expectScenario(
          EMERGENCY,
          [
            ...toApproval,
            refused(approve('approval', { amountFen: MAJOR_CAP + 1 })),
            step(approve('approval', { amountFen: CAP + 1 }), 'process.majorCase', 'in-review', [
              'closeTask:approval',
              'openTask:major-case',
            ]),
            refused(approve('major-case', { amountFen: MAJOR_CAP + 1 })),
            step(approve('major-case', { amountFen: 2_000_000, instalments: 2 }), 'payment', 'in-payment', [
              ...approvedIntents('major-case', []),
              'openTask:payment',
            ]),
            step(paid(1), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
            step(paid(2), 'approved', 'approved', ['closeTask:payment', 'closeCase:approved']),
          ],
          2,
        );
      });

      it('lets the coordination body reject a major case', () => {
        expectScenario(EMERGENCY, [
          ...toApproval,
          step(approve('approval', { amountFen: CAP * 2 }), 'process.majorCase', 'in-review', [
            'closeTask:approval',
            'openTask:major-case',
          ]),
          step(
            reject('major-case', 'COVERED_BY_OTHER_SCHEME'),
            'rejected',
            'rejected',
            rejectedIntents('major-case', ['stopClock:overall']),
          ),
        ]);
      });

      it.each([
        ['less than the relief already given', { amountFen: 40_000 }],
        ['zero instalments', { instalments: 0 }],
        ['more than 12 instalments', { instalments: 13 }],
        ['fractional instalments', { instalments: 1.5 }],
        ['more instalments than fen to pay', { amountFen: 50_002, instalments: 3 }],
        ['a fractional amount', { amountFen: 100_000.5 }],
      ])('refuses an approval with %s', (_label, extra) => {
        expectScenario(EMERGENCY, [...toApproval, refused(approve('approval', extra))]);
      });

      it('v2: splits an odd amount so the instalments add up exactly', () => {
        const run = expectScenario(
          EMERGENCY,
          [
            ...toApproval,
            step(approve('approval', { amountFen: 150_001, instalments: 3 }), 'payment', 'in-payment', [
              ...approvedIntents('approval', []),
              'openTask:payment',
            ]),
            step(paid(1), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
            step(paid(2), 'payment', 'in-payment', ['closeTask:payment', 'openTask:payment']),
          ],
          2,
        );
        const amounts = run.intents
          .flatMap((intents) => paramsOf(intents, 'openTask'))
          .flatMap((task) => (task.payment === undefined ? [] : [task.payment.amountFen]));
        expect(amounts).toEqual([33_334, 33_334, 33_333]);
      });
    });

    it('approves at the street office when the request is within its delegated amount', () => {
      const run = expectScenario({ ...EMERGENCY, streetApprovalLimitFen: 200_000 }, [
        toRelief,
        relieved(0),
        paperworkDone,
      ]);
      expect(paramsOf(run.intents[2] ?? [], 'openTask')[0]).toMatchObject({ step: 'approval', level: 'street' });
    });

    it('sends a second case for the same cause this year to the county bureau first', () => {
      const repeat = { ...EMERGENCY, priorAssistanceThisYearForCause: true };
      expectScenario(repeat, [
        toRelief,
        relieved(10_000),
        step(approve('paperwork'), 'process.repeatReview', 'in-review', [
          'closeTask:paperwork',
          'stopClock:paperwork',
          'openTask:repeat-review',
        ]),
        refused(reject('repeat-review', 'FALSE_DECLARATION')),
        step(
          reject('repeat-review', 'ALREADY_ASSISTED_THIS_YEAR_FOR_CAUSE'),
          'rejected',
          'rejected',
          rejectedIntents('repeat-review', ['stopClock:overall']),
        ),
      ]);
      expectScenario(repeat, [
        toRelief,
        relieved(10_000),
        step(approve('paperwork'), 'process.repeatReview', 'in-review', [
          'closeTask:paperwork',
          'stopClock:paperwork',
          'openTask:repeat-review',
        ]),
        step(approve('repeat-review'), 'process.approval', 'in-review', [
          'closeTask:repeat-review',
          'openTask:approval',
        ]),
      ]);
    });
  });

  describe('expenditure type (支出型): general procedure with a means check', () => {
    const toAcceptance = step(SUBMITTED, 'acceptance.open', 'in-review', ['openTask:acceptance']);
    const accepted = step(approve('acceptance'), 'process.meansCheck', 'in-review', [
      'closeTask:acceptance',
      'startClock:overall',
      'openTask:means-check',
    ]);
    const checked = step(approve('means-check', { findings: MEANS }), 'process.publicNotice.running', 'public-notice', [
      'closeTask:means-check',
      'publishNotice:public-notice',
      'startClock:public-notice',
    ]);
    const noticeEnded = step(NOTICE_ENDED, 'process.approval', 'in-review', [
      'stopClock:public-notice',
      'openTask:approval',
    ]);

    it('v2: walks acceptance, means check, notice, approval and payment', () => {
      expectScenario(
        EXPENDITURE,
        [
          toAcceptance,
          accepted,
          checked,
          noticeEnded,
          step(approve('approval'), 'payment', 'in-payment', [...approvedIntents('approval', []), 'openTask:payment']),
          step(paid(1), 'approved', 'approved', ['closeTask:payment', 'closeCase:approved']),
        ],
        2,
      );
    });

    it('fails the means test: proposed by the street, refused by the district', () => {
      expectScenario(EXPENDITURE, [
        toAcceptance,
        accepted,
        refused(approve('means-check')),
        step(reject('means-check', 'MEANS_TEST_FAILED'), 'process.refusalDecision', 'in-review', [
          'closeTask:means-check',
          'openTask:refusal-decision',
        ]),
        refused(reject('refusal-decision', 'ALREADY_ASSISTED_THIS_YEAR')),
        step(
          reject('refusal-decision', 'MEANS_TEST_FAILED'),
          'rejected',
          'rejected',
          rejectedIntents('refusal-decision', ['stopClock:overall']),
        ),
      ]);
    });

    it('fails the means test, refused by the street within its delegated limit', () => {
      expectScenario({ ...EXPENDITURE, streetApprovalLimitFen: 500_000 }, [
        toAcceptance,
        accepted,
        step(
          reject('means-check', 'MEANS_TEST_FAILED'),
          'rejected',
          'rejected',
          rejectedIntents('means-check', ['stopClock:overall']),
        ),
      ]);
    });

    it('returns for material at acceptance and during the means check (overall clock paused)', () => {
      expectScenario(EXPENDITURE, [
        toAcceptance,
        step(returnFor('acceptance'), 'acceptance.awaitingApplicant', 'awaiting-applicant', [
          'closeTask:acceptance',
          'notifyApplicant:missing-materials',
        ]),
        step(SUPPLEMENT, 'acceptance.open', 'in-review', ['openTask:acceptance']),
        accepted,
        step(returnFor('means-check'), 'process.meansCheckAwaitingApplicant', 'awaiting-applicant', [
          'closeTask:means-check',
          'notifyApplicant:missing-materials',
          'pauseClock:overall',
        ]),
        step(SUPPLEMENT, 'process.meansCheck', 'in-review', ['resumeClock:overall', 'openTask:means-check']),
        checked,
      ]);
    });

    it('an upheld objection sends the case back to the means check; a rejected one lets the notice run', () => {
      expectScenario(EXPENDITURE, [
        toAcceptance,
        accepted,
        checked,
        step(OBJECTION, 'process.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
        step(UPHELD, 'process.meansCheck', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:means-check',
        ]),
        checked,
        step(OBJECTION, 'process.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
        step(NOT_UPHELD, 'process.publicNotice.running', 'public-notice', ['closeTask:objection-review']),
        noticeEnded,
      ]);
    });

    it('a repeat case goes to the county bureau when the notice ends, also after a rejected objection', () => {
      const repeat = { ...EXPENDITURE, priorAssistanceThisYearForCause: true };
      expectScenario(repeat, [
        toAcceptance,
        accepted,
        checked,
        step(NOTICE_ENDED, 'process.repeatReview', 'in-review', ['stopClock:public-notice', 'openTask:repeat-review']),
      ]);
      expectScenario(repeat, [
        toAcceptance,
        accepted,
        checked,
        step(OBJECTION, 'process.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
        step(NOTICE_ENDED, 'process.publicNotice.objectionReview', 'public-notice', []),
        step(NOT_UPHELD, 'process.repeatReview', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:repeat-review',
        ]),
      ]);
    });

    it.each([
      ['before acceptance', [toAcceptance], ['closeTask:acceptance']],
      ['during the means check', [toAcceptance, accepted], ['closeTask:means-check', 'stopClock:overall']],
      ['during the notice', [toAcceptance, accepted, checked], ['stopClock:public-notice', 'stopClock:overall']],
    ] as const)('is withdrawn %s', (_label, before, exits) => {
      expectScenario(EXPENDITURE, [
        ...before,
        step(WITHDRAWN, 'withdrawn', 'withdrawn', [
          ...exits,
          'notifyApplicant:withdrawal-confirmed',
          'closeCase:withdrawn',
        ]),
      ]);
    });
  });

  describe('input', () => {
    it.each([
      ['requestedAmountFen', { requestedAmountFen: 0 }],
      ['capFen', { capFen: 1.5 }],
      ['majorCaseCapFen', { majorCaseCapFen: CAP - 1 }],
      ['streetApprovalLimitFen', { streetApprovalLimitFen: -1 }],
      ['assistanceType', { assistanceType: 'other' as never }],
    ])('refuses a bad %s', (field, change) => {
      const attempt = () => startCase('temporary-assistance', { ...EMERGENCY, ...change });
      expect(attempt).toThrow(DomainError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TEMPORARY_ASSISTANCE.BAD_INPUT', details: { field } }));
    });
  });

  it('splits any amount into instalments that differ by at most one fen and add up exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 12, max: 100_000_000 }), (count, amount) => {
        const parts = splitInstalments(amount, count);
        expect(parts).toHaveLength(count);
        expect(parts.reduce((sum, part) => sum + part, 0)).toBe(amount);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        expect(parts.every(Number.isSafeInteger)).toBe(true);
      }),
    );
  });

  it('explores every state of both types, first cases and repeats', () => {
    const payloads = (
      stepName: string,
      outcome: DecisionOutcome,
      reasons: readonly string[],
    ): readonly Partial<CaseEvent>[] => {
      if (outcome !== 'approve') return standardPayloads(stepName, outcome, reasons);
      switch (stepName) {
        case 'emergency-relief':
          return [{ amountFen: 50_000 }, {}, { amountFen: CAP + 1 }];
        case 'means-check':
          return [{ findings: MEANS }, {}];
        case 'approval':
          return [
            { amountFen: 100_000, instalments: 2 },
            { amountFen: 50_000 },
            { amountFen: CAP + 1 },
            { amountFen: MAJOR_CAP + 1 },
          ];
        case 'major-case':
          return [{ amountFen: MAJOR_CAP }, { amountFen: MAJOR_CAP + 1 }];
        default:
          return [{}];
      }
    };
    const visited = new Set<string>();
    for (const input of [EMERGENCY, EXPENDITURE]) {
      for (const prior of [false, true]) {
        const exploration = explore(
          'temporary-assistance',
          { ...input, priorAssistanceThisYearForCause: prior },
          payloads,
        );
        expect(exploration.problems).toEqual([]);
        expect(exploration.deadEnds).toEqual([]);
        expect([...exploration.outcomes].sort()).toEqual(['approved', 'rejected', 'withdrawn']);
        expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
        for (const id of exploration.visitedStateIds) visited.add(id);
      }
    }
    expect([...visited].sort()).toEqual(allStateIds(temporaryAssistanceMachine).sort());
  });
});
