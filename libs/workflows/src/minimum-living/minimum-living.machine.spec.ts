import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import {
  approve,
  breached,
  decide,
  extension,
  NOT_UPHELD,
  NOTICE_ENDED,
  OBJECTION,
  reject,
  returnFor,
  started,
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
import { minimumLivingMachine } from './minimum-living.machine.js';
import { MINIMUM_LIVING_LIMITS } from './minimum-living.rules.js';

const FINDINGS = { homeVisitDate: '2025-03-04', dataCheck: 'consistent' };
const DISTRICT = { approvalDelegatedToStreet: false };
const DELEGATED = { approvalDelegatedToStreet: true };

// The states a case passes through, with the intents each transition emits.
const toAcceptance = step(SUBMITTED, 'acceptance.open', 'in-review', ['openTask:acceptance']);
const accepted = step(approve('acceptance'), 'review.investigation.notStarted', 'in-review', [
  'closeTask:acceptance',
  'startClock:overall',
  'openTask:investigation',
  'startClock:investigation-start',
]);
const homeVisitStarted = step(started('investigation'), 'review.investigation.underway', 'in-review', [
  'stopClock:investigation-start',
]);
const investigated = step(approve('investigation', { findings: FINDINGS }), 'review.streetReview', 'in-review', [
  'closeTask:investigation',
  'openTask:street-review',
]);
const reviewed = step(approve('street-review'), 'review.publicNotice.running', 'public-notice', [
  'closeTask:street-review',
  'publishNotice:public-notice',
  'startClock:public-notice',
]);
const noticeEnded = step(NOTICE_ENDED, 'review.approval', 'in-review', [
  'stopClock:public-notice',
  'openTask:approval',
]);
const approved = step(approve('approval'), 'approved', 'approved', [
  'closeTask:approval',
  'stopClock:overall',
  'recordDecision:approval:approved',
  'notifyApplicant:approved',
  'publishNotice:publication',
  'grantEntitlement:minimum-living-allowance',
  'closeCase:approved',
]);
const toApproval = [toAcceptance, accepted, homeVisitStarted, investigated, reviewed, noticeEnded];

function rejectionServed(): ScenarioStep {
  return step(approve('rejection-notice'), 'rejected', 'rejected', [
    'closeTask:rejection-notice',
    'stopClock:rejection-notice',
    'closeCase:rejected',
  ]);
}

function rejectedAt(stepName: string, reasonCode: string, extraExits: readonly string[] = []): ScenarioStep {
  return step(reject(stepName, reasonCode), 'rejectionNotice', 'rejected', [
    ...extraExits,
    `closeTask:${stepName}`,
    'stopClock:overall',
    `recordDecision:${stepName}:rejected`,
    'notifyApplicant:rejected',
    'openTask:rejection-notice',
    'startClock:rejection-notice',
  ]);
}

function expectScenario(steps: readonly ScenarioStep[], input = DISTRICT) {
  const run = runScenario('minimum-living', input, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('minimum-living machine (最低生活保障, docs/domain.md §3.1)', () => {
  it('starts as submitted with no intents', () => {
    const run = runScenario('minimum-living', DISTRICT, []);
    expect(run.final.snapshot.value).toBe('submitted');
  });

  it('walks the happy path: accept, investigate, review, notice, approve, publish, grant', () => {
    expectScenario([...toApproval, approved]);
  });

  it('asks for community assessment (民主评议) when the investigator says facts are disputed', () => {
    expectScenario([
      toAcceptance,
      accepted,
      homeVisitStarted,
      step(
        approve('investigation', { findings: { ...FINDINGS, communityAssessmentNeeded: true } }),
        'review.communityAssessment',
        'in-review',
        ['closeTask:investigation', 'openTask:community-assessment'],
      ),
      refused(reject('community-assessment', 'INCOME_ABOVE_STANDARD')),
      step(approve('community-assessment'), 'review.streetReview', 'in-review', [
        'closeTask:community-assessment',
        'openTask:street-review',
      ]),
      reviewed,
      noticeEnded,
      approved,
    ]);
  });

  it('decides without a separate start event: the start clock stops when the investigation decides', () => {
    expectScenario([
      toAcceptance,
      accepted,
      step(approve('investigation', { findings: FINDINGS }), 'review.streetReview', 'in-review', [
        'stopClock:investigation-start',
        'closeTask:investigation',
        'openTask:street-review',
      ]),
    ]);
  });

  describe('approval level is configuration of the case', () => {
    it.each([
      ['district civil affairs bureau', DISTRICT, 'district'],
      ['street office, where delegated', DELEGATED, 'street'],
    ] as const)('approval by the %s', (_label, input, level) => {
      const run = expectScenario(toApproval, input);
      const [approvalTask] = paramsOf(run.intents[5] ?? [], 'openTask');
      expect(approvalTask).toMatchObject({
        step: 'approval',
        level,
        kind: 'decision',
        outcomes: ['approve', 'reject'],
      });
    });
  });

  describe('return for missing material (一次性告知)', () => {
    it('at acceptance: no clock runs yet, the task reopens on the supplement', () => {
      const run = expectScenario([
        toAcceptance,
        step(returnFor('acceptance'), 'acceptance.awaitingApplicant', 'awaiting-applicant', [
          'closeTask:acceptance',
          'notifyApplicant:missing-materials',
        ]),
        refused(approve('acceptance')),
        step(SUPPLEMENT, 'acceptance.open', 'in-review', ['openTask:acceptance']),
        accepted,
      ]);
      expect(paramsOf(run.intents[1] ?? [], 'notifyApplicant')).toEqual([
        { template: 'missing-materials', step: 'acceptance', missingMaterials: ['income-proof', 'household-register'] },
      ]);
    });

    it('during the investigation: the overall clock pauses and resumes', () => {
      expectScenario([
        toAcceptance,
        accepted,
        homeVisitStarted,
        step(returnFor('investigation'), 'review.investigationAwaitingApplicant', 'awaiting-applicant', [
          'closeTask:investigation',
          'notifyApplicant:missing-materials',
          'pauseClock:overall',
        ]),
        refused(approve('investigation', { findings: FINDINGS })),
        step(SUPPLEMENT, 'review.investigation.underway', 'in-review', [
          'resumeClock:overall',
          'openTask:investigation',
        ]),
        investigated,
      ]);
    });

    it('a return before the home visit stops the start clock and does not restart it', () => {
      expectScenario([
        toAcceptance,
        accepted,
        step(returnFor('investigation'), 'review.investigationAwaitingApplicant', 'awaiting-applicant', [
          'stopClock:investigation-start',
          'closeTask:investigation',
          'notifyApplicant:missing-materials',
          'pauseClock:overall',
        ]),
        step(SUPPLEMENT, 'review.investigation.underway', 'in-review', [
          'resumeClock:overall',
          'openTask:investigation',
        ]),
      ]);
    });

    it.each([
      ['an empty list', returnFor('acceptance', [])],
      ['a blank item', returnFor('acceptance', ['income-proof', ' '])],
      ['no list', decide('acceptance', 'return')],
    ])('refuses a return with %s', (_label, event) => {
      expectScenario([toAcceptance, refused(event)]);
    });
  });

  describe('rejection with a reason from §3.1, then the written notice (3 working days)', () => {
    it.each([
      ['investigation', 'REFUSED_DATA_CHECK', [toAcceptance, accepted, homeVisitStarted], DELEGATED],
      ['investigation', 'INCOME_ABOVE_STANDARD', [toAcceptance, accepted, homeVisitStarted], DELEGATED],
      ['street-review', 'ASSETS_ABOVE_LIMITS', [toAcceptance, accepted, homeVisitStarted, investigated], DELEGATED],
      ['approval', 'FALSE_DECLARATION', toApproval, DISTRICT],
    ] as const)('rejected at %s for %s', (stepName, reason, before, input) => {
      const run = expectScenario(
        [...before, rejectedAt(stepName, reason), refused(WITHDRAWN), rejectionServed()],
        input,
      );
      const rejection = run.intents[before.length] ?? [];
      expect(paramsOf(rejection, 'recordDecision')).toEqual([
        { step: stepName, outcome: 'rejected', actor: 'reviewer-1', reasonCode: reason },
      ]);
      expect(paramsOf(rejection, 'startClock')).toEqual([
        { clock: 'rejection-notice', kind: 'deadline', limit: MINIMUM_LIVING_LIMITS.rejectionNotice },
      ]);
    });

    it('rejected before the home visit: the start clock stops too', () => {
      expectScenario(
        [
          toAcceptance,
          accepted,
          rejectedAt('investigation', 'REFUSED_DATA_CHECK', ['stopClock:investigation-start']),
          rejectionServed(),
        ],
        DELEGATED,
      );
    });

    it.each([
      ['a reason not in the list', reject('street-review', 'TOO_YOUNG')],
      ['an objection reason before any objection', reject('street-review', 'OBJECTION_UPHELD')],
      ['no reason', decide('street-review', 'reject')],
      ['a return (street review cannot return)', returnFor('street-review')],
    ])('refuses a rejection with %s', (_label, event) => {
      expectScenario([toAcceptance, accepted, homeVisitStarted, investigated, refused(event)]);
    });
  });

  describe('refusal at the district unless approval is delegated (L1 art. 11(3))', () => {
    const proposedAt = (stepName: string, reasonCode: string) =>
      step(reject(stepName, reasonCode), 'review.refusalDecision', 'in-review', [
        `closeTask:${stepName}`,
        'openTask:refusal-decision',
      ]);
    const refusedByDistrict = (reasonCode: string) =>
      step(reject('refusal-decision', reasonCode), 'rejectionNotice', 'rejected', [
        'closeTask:refusal-decision',
        'stopClock:overall',
        'recordDecision:refusal-decision:rejected',
        'notifyApplicant:rejected',
        'openTask:rejection-notice',
        'startClock:rejection-notice',
      ]);

    it('a street investigation that rejects proposes; the district task carries the reason; the district refuses', () => {
      const run = expectScenario([
        toAcceptance,
        accepted,
        homeVisitStarted,
        proposedAt('investigation', 'INCOME_ABOVE_STANDARD'),
        refused(approve('rejection-notice')),
        refusedByDistrict('INCOME_ABOVE_STANDARD'),
        rejectionServed(),
      ]);
      const proposal = run.intents[3] ?? [];
      expect(paramsOf(proposal, 'recordDecision')).toEqual([]);
      expect(paramsOf(proposal, 'notifyApplicant')).toEqual([]);
      expect(paramsOf(proposal, 'openTask')).toEqual([
        {
          step: 'refusal-decision',
          level: 'district',
          kind: 'decision',
          outcomes: ['reject', 'approve'],
          rejectReasons: [
            'INCOME_ABOVE_STANDARD',
            'ASSETS_ABOVE_LIMITS',
            'REFUSED_DATA_CHECK',
            'FALSE_DECLARATION',
            'OBJECTION_UPHELD',
          ],
          proposal: { step: 'investigation', reasonCode: 'INCOME_ABOVE_STANDARD', proposedBy: 'reviewer-1' },
        },
      ]);
      const refusal = run.intents[5] ?? [];
      expect(paramsOf(refusal, 'notifyApplicant')).toEqual([
        { template: 'rejected', step: 'refusal-decision', reasonCode: 'INCOME_ABOVE_STANDARD' },
      ]);
    });

    it('a street review that rejects proposes; the district sends it back to be investigated again', () => {
      expectScenario([
        toAcceptance,
        accepted,
        homeVisitStarted,
        investigated,
        proposedAt('street-review', 'ASSETS_ABOVE_LIMITS'),
        refused(reject('refusal-decision', 'TOO_YOUNG')),
        refused(decide('refusal-decision', 'return')),
        step(approve('refusal-decision'), 'review.investigation.underway', 'in-review', [
          'closeTask:refusal-decision',
          'openTask:investigation',
        ]),
        investigated,
        reviewed,
      ]);
    });

    it('a re-investigation after an upheld objection proposes too; withdrawal ends the district decision', () => {
      expectScenario([
        toAcceptance,
        accepted,
        homeVisitStarted,
        investigated,
        reviewed,
        step(OBJECTION, 'review.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
        step(UPHELD, 'review.reinvestigation', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:reinvestigation',
          'startClock:reinvestigation',
        ]),
        step(reject('reinvestigation', 'OBJECTION_UPHELD'), 'review.refusalDecision', 'in-review', [
          'closeTask:reinvestigation',
          'stopClock:reinvestigation',
          'openTask:refusal-decision',
        ]),
        step(WITHDRAWN, 'withdrawn', 'withdrawn', [
          'closeTask:refusal-decision',
          'stopClock:overall',
          'notifyApplicant:withdrawal-confirmed',
          'closeCase:withdrawn',
        ]),
      ]);
    });
  });

  describe('public notice (公示, 7 days) and objections', () => {
    const objectionFiled = step(OBJECTION, 'review.publicNotice.objectionReview', 'public-notice', [
      'openTask:objection-review',
    ]);
    const toNotice = [toAcceptance, accepted, homeVisitStarted, investigated, reviewed];

    it('an upheld objection sends the case back for a re-investigation within 15 working days and a new notice', () => {
      const run = expectScenario([
        ...toNotice,
        objectionFiled,
        step(UPHELD, 'review.reinvestigation', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:reinvestigation',
          'startClock:reinvestigation',
        ]),
        step(approve('reinvestigation'), 'review.publicNotice.running', 'public-notice', [
          'closeTask:reinvestigation',
          'stopClock:reinvestigation',
          'publishNotice:public-notice',
          'startClock:public-notice',
        ]),
        noticeEnded,
        approved,
      ]);
      expect(paramsOf(run.intents[6] ?? [], 'startClock')).toEqual([
        {
          clock: 'reinvestigation',
          kind: 'deadline',
          limit: { amount: 15, unit: 'working-days', source: { citation: '民发〔2021〕57号', evidence: 'R' } },
        },
      ]);
    });

    it('after an upheld objection the new opinion may reject because of it (delegated: the street decides)', () => {
      expectScenario(
        [
          ...toNotice,
          objectionFiled,
          step(UPHELD, 'review.reinvestigation', 'in-review', [
            'closeTask:objection-review',
            'stopClock:public-notice',
            'openTask:reinvestigation',
            'startClock:reinvestigation',
          ]),
          step(reject('reinvestigation', 'OBJECTION_UPHELD'), 'rejectionNotice', 'rejected', [
            'closeTask:reinvestigation',
            'stopClock:reinvestigation',
            'stopClock:overall',
            'recordDecision:reinvestigation:rejected',
            'notifyApplicant:rejected',
            'openTask:rejection-notice',
            'startClock:rejection-notice',
          ]),
          rejectionServed(),
        ],
        DELEGATED,
      );
    });

    it('an objection not upheld while the period runs returns to the running notice', () => {
      expectScenario([
        ...toNotice,
        objectionFiled,
        step(NOT_UPHELD, 'review.publicNotice.running', 'public-notice', ['closeTask:objection-review']),
        noticeEnded,
        approved,
      ]);
    });

    it('when the period ends during the objection review, a rejected objection goes straight to approval', () => {
      expectScenario([
        ...toNotice,
        objectionFiled,
        step(NOTICE_ENDED, 'review.publicNotice.objectionReview', 'public-notice', []),
        refused(NOTICE_ENDED),
        step(NOT_UPHELD, 'review.approval', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:approval',
        ]),
        approved,
      ]);
    });

    it('starts the notice as a 7-calendar-day period clock', () => {
      const run = expectScenario(toNotice);
      expect(paramsOf(run.intents[4] ?? [], 'startClock')).toEqual([
        { clock: 'public-notice', kind: 'period', limit: MINIMUM_LIVING_LIMITS.publicNotice },
      ]);
      expect(MINIMUM_LIVING_LIMITS.publicNotice).toMatchObject({ amount: 7, unit: 'calendar-days' });
    });

    it.each([
      ['an objection outside the notice', [toAcceptance, accepted], OBJECTION],
      ['the end of a notice that is not running', [toAcceptance, accepted], NOTICE_ENDED],
      ['an objection decision without an objection', toNotice, UPHELD],
      ['the end of another period', toNotice, { type: 'NOTICE_PERIOD_ENDED', clock: 'objection-window' } as CaseEvent],
      ['a decision during the notice', toNotice, approve('approval')],
    ] as const)('refuses %s', (_label, before, event) => {
      expectScenario([...before, refused(event)]);
    });
  });

  describe('overall limit: 30 working days from acceptance, extendable to 45', () => {
    it('starts with the 30-day limit and its source', () => {
      const run = expectScenario([toAcceptance, accepted]);
      expect(paramsOf(run.intents[1] ?? [], 'startClock')[0]).toEqual({
        clock: 'overall',
        kind: 'deadline',
        limit: { amount: 30, unit: 'working-days', source: { citation: '民发〔2021〕57号; P10', evidence: 'R' } },
      });
    });

    it('extends once, with the reason and who granted it', () => {
      const run = expectScenario([
        toAcceptance,
        accepted,
        step(extension('applicant in hospital'), 'review.investigation.notStarted', 'in-review', [
          'extendClock:overall',
        ]),
        refused(extension('again')),
        homeVisitStarted,
      ]);
      expect(paramsOf(run.intents[2] ?? [], 'extendClock')).toEqual([
        {
          clock: 'overall',
          toAmount: 45,
          reason: 'applicant in hospital',
          actor: 'section-chief',
          source: { citation: '民发〔2021〕57号; P10', evidence: 'R' },
        },
      ]);
    });

    it.each([
      ['without a reason', extension('  ')],
      ['without an actor', extension('complex household', '')],
    ])('refuses an extension %s', (_label, event) => {
      expectScenario([toAcceptance, accepted, refused(event)]);
    });

    it('refuses an extension before acceptance (no overall clock yet)', () => {
      expectScenario([toAcceptance, refused(extension())]);
    });
  });

  describe('withdrawal (撤回) before the decision', () => {
    const withdrawn = (exits: readonly string[]) =>
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        ...exits,
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]);

    it.each([
      ['submitted', [], []],
      ['at acceptance', [toAcceptance], ['closeTask:acceptance']],
      [
        'awaiting material at acceptance',
        [
          toAcceptance,
          step(returnFor('acceptance'), 'acceptance.awaitingApplicant', 'awaiting-applicant', [
            'closeTask:acceptance',
            'notifyApplicant:missing-materials',
          ]),
        ],
        [],
      ],
      [
        'before the home visit',
        [toAcceptance, accepted],
        ['stopClock:investigation-start', 'closeTask:investigation', 'stopClock:overall'],
      ],
      [
        'during the investigation',
        [toAcceptance, accepted, homeVisitStarted],
        ['closeTask:investigation', 'stopClock:overall'],
      ],
      [
        'during the public notice',
        [toAcceptance, accepted, homeVisitStarted, investigated, reviewed],
        ['stopClock:public-notice', 'stopClock:overall'],
      ],
      ['awaiting approval', toApproval, ['closeTask:approval', 'stopClock:overall']],
    ] as const)('withdrawn %s', (_label, before, exits) => {
      expectScenario([...before, withdrawn(exits)]);
    });

    it('awaiting material during the investigation: the paused clock resumes only to stop', () => {
      expectScenario([
        toAcceptance,
        accepted,
        homeVisitStarted,
        step(returnFor('investigation'), 'review.investigationAwaitingApplicant', 'awaiting-applicant', [
          'closeTask:investigation',
          'notifyApplicant:missing-materials',
          'pauseClock:overall',
        ]),
        withdrawn(['resumeClock:overall', 'stopClock:overall']),
      ]);
    });

    it('is refused once the case is closed', () => {
      expectScenario([...toApproval, approved, refused(WITHDRAWN), refused(SUPPLEMENT)]);
    });
  });

  describe('events out of order change nothing', () => {
    it.each([
      ['a decision before the application is submitted', [], approve('acceptance')],
      ['a decision for another step', [toAcceptance], approve('investigation', { findings: FINDINGS })],
      ['a second acceptance', [toAcceptance, accepted], approve('acceptance')],
      ['a supplement nobody asked for', [toAcceptance], SUPPLEMENT],
      ['a second submission', [toAcceptance], SUBMITTED],
      ['a decision without an actor', [toAcceptance], decide('acceptance', 'approve', { actor: '' })],
      ['an investigation approved without findings', [toAcceptance, accepted], approve('investigation')],
      [
        'an investigation approved without a data check',
        [toAcceptance, accepted],
        approve('investigation', { findings: { homeVisitDate: '2025-03-04' } }),
      ],
      [
        'an investigation approved with a bad visit date',
        [toAcceptance, accepted],
        approve('investigation', { findings: { ...FINDINGS, homeVisitDate: '4 March' } }),
      ],
      ['a start of another step', [toAcceptance, accepted], started('street-review')],
      ['a second start of the investigation', [toAcceptance, accepted, homeVisitStarted], started('investigation')],
      ['a payment confirmation', toApproval, { type: 'PAYMENT_CONFIRMED', instalment: 1 } as CaseEvent],
    ] as const)('%s', (_label, before, event) => {
      expectScenario([...before, refused(event)]);
    });
  });

  it('records every breached clock and moves nowhere', () => {
    const run = expectScenario([
      toAcceptance,
      accepted,
      step(breached('investigation-start'), 'review.investigation.notStarted', 'in-review', []),
      step(breached('overall'), 'review.investigation.notStarted', 'in-review', []),
      refused(breached(' ')),
      homeVisitStarted,
    ]);
    expect((run.final.snapshot.context as { breachedClocks: string[] }).breachedClocks).toEqual([
      'investigation-start',
      'overall',
    ]);
  });

  it('opens each task with its level, kind, outcomes and reasons', () => {
    const run = expectScenario([...toApproval]);
    const opened = run.intents.flatMap((intents) => paramsOf(intents, 'openTask'));
    expect(opened.map(({ step: s, level, kind }) => [s, level, kind])).toEqual([
      ['acceptance', 'street', 'acceptance'],
      ['investigation', 'street', 'investigation'],
      ['street-review', 'street', 'review'],
      ['approval', 'district', 'decision'],
    ]);
    expect(opened[1]?.rejectReasons).toEqual([
      'INCOME_ABOVE_STANDARD',
      'ASSETS_ABOVE_LIMITS',
      'REFUSED_DATA_CHECK',
      'FALSE_DECLARATION',
    ]);
  });

  describe('every reachable state, every candidate event', () => {
    const payloads = (
      stepName: string,
      outcome: DecisionOutcome,
      reasons: readonly string[],
    ): readonly Partial<CaseEvent>[] =>
      stepName === 'investigation' && outcome === 'approve'
        ? [{ findings: FINDINGS }, { findings: { ...FINDINGS, communityAssessmentNeeded: true } }, {}]
        : standardPayloads(stepName, outcome, reasons);

    it.each([
      ['district approval', DISTRICT],
      ['delegated approval', DELEGATED],
    ] as const)('%s: invariants hold, every state and outcome is reachable, no dead ends', (_label, input) => {
      const exploration = explore('minimum-living', input, payloads);
      expect(exploration.problems).toEqual([]);
      expect(exploration.deadEnds).toEqual([]);
      // The district's decision on a street proposal exists only where approval is not delegated.
      const reachable = allStateIds(minimumLivingMachine).filter(
        (id) => input === DISTRICT || !id.endsWith('.refusalDecision'),
      );
      expect([...exploration.visitedStateIds].sort()).toEqual(reachable.sort());
      expect([...exploration.outcomes].sort()).toEqual(['approved', 'rejected', 'withdrawn']);
      expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
    });
  });
});
