import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import {
  approve,
  decide,
  NOT_UPHELD,
  NOTICE_ENDED,
  OBJECTION,
  reject,
  returnFor,
  SUBMITTED,
  SUPPLEMENT,
  UPHELD,
  WITHDRAWN,
  extension,
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
import { extremePovertyMachine } from './extreme-poverty.machine.js';
import { EXTREME_POVERTY_LIMITS } from './extreme-poverty.rules.js';

const MEANS = { homeVisitDate: '2025-05-06', dataCheck: 'consistent' };
const FINDINGS = { ...MEANS, selfCareLevel: 'partial', supportForm: 'home' };

const toAcceptance = step(SUBMITTED, 'acceptance.open', 'in-review', ['openTask:acceptance']);
const accepted = step(approve('acceptance'), 'review.streetStage.investigation', 'in-review', [
  'closeTask:acceptance',
  'startClock:investigation-and-opinion',
  'openTask:investigation',
]);
const investigated = step(
  approve('investigation', { findings: FINDINGS }),
  'review.streetStage.streetReview',
  'in-review',
  ['closeTask:investigation', 'openTask:street-review'],
);
const reviewed = step(approve('street-review'), 'review.publicNotice.running', 'public-notice', [
  'closeTask:street-review',
  'stopClock:investigation-and-opinion',
  'publishNotice:public-notice',
  'startClock:public-notice',
]);
const noticeEnded = step(NOTICE_ENDED, 'review.confirmation', 'in-review', [
  'stopClock:public-notice',
  'openTask:confirmation',
  'startClock:confirmation',
]);
const confirmedIntents = [
  'closeTask:confirmation',
  'stopClock:confirmation',
  'recordDecision:confirmation:approved',
  'notifyApplicant:approved',
  'grantEntitlement:extreme-poverty-support',
  'closeCase:approved',
];
const confirmed = step(approve('confirmation'), 'approved', 'approved', confirmedIntents);
const served = step(approve('rejection-notice'), 'rejected', 'rejected', [
  'closeTask:rejection-notice',
  'closeCase:rejected',
]);
const toNotice = [toAcceptance, accepted, investigated, reviewed];
const toConfirmation = [...toNotice, noticeEnded];

function expectScenario(steps: readonly ScenarioStep[]) {
  const run = runScenario('extreme-poverty', {}, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('extreme-poverty machine (特困人员救助供养, docs/domain.md §3.2)', () => {
  it('walks the happy path and grants support with the self-care level and form of support found', () => {
    const run = expectScenario([...toConfirmation, confirmed]);
    expect(paramsOf(run.intents[5] ?? [], 'grantEntitlement')).toEqual([
      {
        kind: 'extreme-poverty-support',
        details: { selfCareLevel: 'partial', supportForm: 'home', supportStarts: 'per-local-rule' },
      },
    ]);
  });

  it('lets the county confirmation correct the findings (e.g. support in an institution after all)', () => {
    const run = expectScenario([
      ...toConfirmation,
      step(
        approve('confirmation', { findings: { supportForm: 'institutional', selfCareLevel: 'none' } }),
        'approved',
        'approved',
        confirmedIntents,
      ),
    ]);
    expect(paramsOf(run.intents[5] ?? [], 'grantEntitlement')[0]?.details).toMatchObject({
      selfCareLevel: 'none',
      supportForm: 'institutional',
    });
  });

  it.each([
    ['no self-care level', { ...MEANS, supportForm: 'home' }],
    ['no form of support', { ...MEANS, selfCareLevel: 'full' }],
    ['an unknown self-care level', { ...FINDINGS, selfCareLevel: 'mostly' }],
    ['an unknown form of support', { ...FINDINGS, supportForm: 'boarding-school' }],
    ['no home visit', { dataCheck: 'consistent', selfCareLevel: 'full', supportForm: 'home' }],
  ])('refuses an investigation approved with %s', (_label, findings) => {
    expectScenario([toAcceptance, accepted, refused(approve('investigation', { findings }))]);
  });

  it('refuses a confirmation correcting a finding to an unknown value', () => {
    expectScenario([...toConfirmation, refused(approve('confirmation', { findings: { supportForm: 'hotel' } }))]);
  });

  it('runs the optional community assessment', () => {
    expectScenario([
      toAcceptance,
      accepted,
      step(
        approve('investigation', { findings: { ...FINDINGS, communityAssessmentNeeded: true } }),
        'review.streetStage.communityAssessment',
        'in-review',
        ['closeTask:investigation', 'openTask:community-assessment'],
      ),
      step(approve('community-assessment'), 'review.streetStage.streetReview', 'in-review', [
        'closeTask:community-assessment',
        'openTask:street-review',
      ]),
      reviewed,
    ]);
  });

  it('counts 15 working days for investigation and opinion, paused while material is missing', () => {
    const run = expectScenario([
      toAcceptance,
      accepted,
      step(returnFor('investigation'), 'review.streetStage.awaitingApplicant', 'awaiting-applicant', [
        'closeTask:investigation',
        'notifyApplicant:missing-materials',
        'pauseClock:investigation-and-opinion',
      ]),
      step(SUPPLEMENT, 'review.streetStage.investigation', 'in-review', [
        'resumeClock:investigation-and-opinion',
        'openTask:investigation',
      ]),
      investigated,
    ]);
    expect(paramsOf(run.intents[1] ?? [], 'startClock')).toEqual([
      { clock: 'investigation-and-opinion', kind: 'deadline', limit: EXTREME_POVERTY_LIMITS.investigationAndOpinion },
    ]);
    expect(EXTREME_POVERTY_LIMITS.investigationAndOpinion).toMatchObject({
      amount: 15,
      unit: 'working-days',
      source: { evidence: 'R' },
    });
  });

  it('returns at acceptance and accepts after the supplement', () => {
    expectScenario([
      toAcceptance,
      step(returnFor('acceptance'), 'acceptance.awaitingApplicant', 'awaiting-applicant', [
        'closeTask:acceptance',
        'notifyApplicant:missing-materials',
      ]),
      step(SUPPLEMENT, 'acceptance.open', 'in-review', ['openTask:acceptance']),
      accepted,
    ]);
  });

  describe('rejection (L1 art. 14 reasons): the street proposes, the district decides, then the written reasons', () => {
    const proposed = (stepName: string, reason: string, exits: readonly string[]) =>
      step(reject(stepName, reason), 'review.refusalDecision', 'in-review', [
        ...exits,
        'openTask:refusal-decision',
        'startClock:refusal-decision',
      ]);
    const refusedByDistrict = (reason: string) =>
      step(reject('refusal-decision', reason), 'rejectionNotice', 'rejected', [
        'closeTask:refusal-decision',
        'stopClock:refusal-decision',
        'recordDecision:refusal-decision:rejected',
        'notifyApplicant:rejected',
        'openTask:rejection-notice',
      ]);

    it.each([
      [
        'investigation',
        'CAPABLE_OF_WORK',
        [toAcceptance, accepted],
        ['closeTask:investigation', 'stopClock:investigation-and-opinion'],
      ],
      [
        'street-review',
        'SUPPORT_OBLIGOR_ABLE',
        [toAcceptance, accepted, investigated],
        ['closeTask:street-review', 'stopClock:investigation-and-opinion'],
      ],
    ] as const)(
      'a street rejection at %s for %s is a proposal the district refuses',
      (stepName, reason, before, exits) => {
        const run = expectScenario([
          ...before,
          proposed(stepName, reason, exits),
          refused(approve('rejection-notice')),
          refusedByDistrict(reason),
          refused(WITHDRAWN),
          served,
        ]);
        const proposal = run.intents[before.length] ?? [];
        expect(paramsOf(proposal, 'openTask')[0]).toMatchObject({
          step: 'refusal-decision',
          level: 'district',
          outcomes: ['reject', 'approve'],
          proposal: { step: stepName, reasonCode: reason, proposedBy: 'reviewer-1' },
        });
        expect(paramsOf(proposal, 'startClock')[0]?.limit).toEqual(EXTREME_POVERTY_LIMITS.confirmation);
      },
    );

    it('the district does not confirm a proposed refusal: the street investigates again, its clock restarted', () => {
      expectScenario([
        toAcceptance,
        accepted,
        proposed('investigation', 'CAPABLE_OF_WORK', [
          'closeTask:investigation',
          'stopClock:investigation-and-opinion',
        ]),
        step(approve('refusal-decision'), 'review.streetStage.investigation', 'in-review', [
          'closeTask:refusal-decision',
          'stopClock:refusal-decision',
          'startClock:investigation-and-opinion',
          'openTask:investigation',
        ]),
        investigated,
      ]);
    });

    it('the district refuses at its own confirmation', () => {
      expectScenario([
        ...toConfirmation,
        step(reject('confirmation', 'NOT_IN_TARGET_GROUP'), 'rejectionNotice', 'rejected', [
          'closeTask:confirmation',
          'stopClock:confirmation',
          'recordDecision:confirmation:rejected',
          'notifyApplicant:rejected',
          'openTask:rejection-notice',
        ]),
        refused(WITHDRAWN),
        served,
      ]);
    });

    it('refuses a reason of another procedure', () => {
      expectScenario([...toConfirmation, refused(reject('confirmation', 'INCOME_ABOVE_STANDARD'))]);
    });
  });

  describe('public notice and objections', () => {
    const filed = step(OBJECTION, 'review.publicNotice.objectionReview', 'public-notice', [
      'openTask:objection-review',
    ]);
    const upheld = step(UPHELD, 'review.reinvestigation', 'in-review', [
      'closeTask:objection-review',
      'stopClock:public-notice',
      'openTask:reinvestigation',
      'startClock:reinvestigation',
    ]);

    it('upheld: re-investigation (15 working days by analogy, a guess) and a new notice', () => {
      const run = expectScenario([
        ...toNotice,
        filed,
        upheld,
        step(
          approve('reinvestigation', { findings: { selfCareLevel: 'none' } }),
          'review.publicNotice.running',
          'public-notice',
          [
            'closeTask:reinvestigation',
            'stopClock:reinvestigation',
            'publishNotice:public-notice',
            'startClock:public-notice',
          ],
        ),
        noticeEnded,
        confirmed,
      ]);
      expect(paramsOf(run.intents[5] ?? [], 'startClock')[0]?.limit.source.evidence).toBe('G');
      expect(paramsOf(run.intents[8] ?? [], 'grantEntitlement')[0]?.details).toMatchObject({
        selfCareLevel: 'none',
        supportForm: 'home',
      });
    });

    it('upheld, then rejected because of the objection', () => {
      expectScenario([
        ...toNotice,
        filed,
        upheld,
        step(reject('reinvestigation', 'OBJECTION_UPHELD'), 'review.refusalDecision', 'in-review', [
          'closeTask:reinvestigation',
          'stopClock:reinvestigation',
          'openTask:refusal-decision',
          'startClock:refusal-decision',
        ]),
        step(reject('refusal-decision', 'OBJECTION_UPHELD'), 'rejectionNotice', 'rejected', [
          'closeTask:refusal-decision',
          'stopClock:refusal-decision',
          'recordDecision:refusal-decision:rejected',
          'notifyApplicant:rejected',
          'openTask:rejection-notice',
        ]),
        served,
      ]);
    });

    it('not upheld: the notice runs on; and when the period ended meanwhile, confirmation follows', () => {
      expectScenario([
        ...toNotice,
        filed,
        step(NOT_UPHELD, 'review.publicNotice.running', 'public-notice', ['closeTask:objection-review']),
        filed,
        step(NOTICE_ENDED, 'review.publicNotice.objectionReview', 'public-notice', []),
        step(NOT_UPHELD, 'review.confirmation', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:confirmation',
          'startClock:confirmation',
        ]),
        confirmed,
      ]);
    });
  });

  describe('withdrawal before the decision, refusals after', () => {
    const withdrawn = (exits: readonly string[]) =>
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        ...exits,
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]);
    it.each([
      ['submitted', [], []],
      ['at acceptance', [toAcceptance], ['closeTask:acceptance']],
      ['investigating', [toAcceptance, accepted], ['closeTask:investigation', 'stopClock:investigation-and-opinion']],
      ['during the notice', toNotice, ['stopClock:public-notice']],
      ['at confirmation', toConfirmation, ['closeTask:confirmation', 'stopClock:confirmation']],
    ] as const)('withdrawn %s', (_label, before, exits) => {
      expectScenario([...before, withdrawn(exits)]);
    });

    it.each([
      ['a decision for another step', [toAcceptance], approve('confirmation')],
      ['an extension (no overall limit to extend)', [toAcceptance, accepted], extension()],
      ['a decision without an actor', toConfirmation, decide('confirmation', 'approve', { actor: '' })],
      ['an event after the case closed', [...toConfirmation, confirmed], approve('confirmation')],
    ] as const)('refuses %s', (_label, before, event) => {
      expectScenario([...before, refused(event)]);
    });
  });

  it('explores every state: invariants hold, every outcome and declared decision is reachable', () => {
    const payloads = (
      stepName: string,
      outcome: DecisionOutcome,
      reasons: readonly string[],
    ): readonly Partial<CaseEvent>[] => {
      if (outcome !== 'approve') return standardPayloads(stepName, outcome, reasons);
      if (stepName === 'investigation') {
        return [
          { findings: FINDINGS },
          { findings: { ...FINDINGS, communityAssessmentNeeded: true } },
          { findings: MEANS },
        ];
      }
      if (stepName === 'confirmation' || stepName === 'reinvestigation')
        return [{}, { findings: { supportForm: 'institutional' } }, { findings: { selfCareLevel: 'x' } }];
      return [{}];
    };
    const exploration = explore('extreme-poverty', {}, payloads);
    expect(exploration.problems).toEqual([]);
    expect(exploration.deadEnds).toEqual([]);
    expect([...exploration.visitedStateIds].sort()).toEqual(allStateIds(extremePovertyMachine).sort());
    expect([...exploration.outcomes].sort()).toEqual(['approved', 'rejected', 'withdrawn']);
    expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
  });
});
