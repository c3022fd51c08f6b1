import { describe, expect, it } from '@jest/globals';
import { startCase } from '../procedure-registry.js';
import {
  approve,
  NOT_UPHELD,
  NOTICE_ENDED,
  OBJECTION,
  periodEnded,
  reject,
  returnFor,
  SUBMITTED,
  SUPPLEMENT,
  SUPPLEMENT_LAPSED,
  UPHELD,
  WITHDRAWN,
} from '../testing/case-events.js';
import {
  allStateIds,
  explore,
  paramsOf,
  refused,
  runScenario,
  step,
  type ScenarioStep,
} from '../testing/case-walker.js';
import { legalAidMachine, type LegalAidInput } from './legal-aid.machine.js';

const ORDINARY: LegalAidInput = { urgent: false, dayCounting: 'calendar-days' };
const URGENT: LegalAidInput = { urgent: true, dayCounting: 'calendar-days' };

const received = step(SUBMITTED, 'examination.reviewing', 'in-review', ['startClock:review', 'openTask:review']);
const granted = step(approve('review'), 'assignment', 'approved', [
  'closeTask:review',
  'stopClock:review',
  'recordDecision:review:approved',
  'notifyApplicant:approved',
  'openTask:assignment',
  'startClock:assignment',
]);
const assigned = step(approve('assignment', { findings: { assignee: 'lawyer-7' } }), 'approved', 'approved', [
  'closeTask:assignment',
  'stopClock:assignment',
  'grantEntitlement:legal-aid',
  'closeCase:approved',
]);
const refusal = step(reject('review', 'NOT_IN_ECONOMIC_DIFFICULTY'), 'refused', 'rejected', [
  'closeTask:review',
  'stopClock:review',
  'recordDecision:review:rejected',
  'notifyApplicant:rejected',
  'startClock:objection-window',
]);
const objected = step(OBJECTION, 'objectionReview', 'in-review', [
  'stopClock:objection-window',
  'openTask:objection-review',
  'startClock:objection-review',
]);

function expectScenario(input: LegalAidInput, steps: readonly ScenarioStep[]) {
  const run = runScenario('legal-aid', input, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('legal-aid machine (法律援助, docs/domain.md §3.7)', () => {
  it('decides within 7日 of receipt, then assigns within 3日', () => {
    const run = expectScenario(ORDINARY, [received, granted, refused(WITHDRAWN), assigned]);
    expect(paramsOf(run.intents[0] ?? [], 'startClock')[0]?.limit).toEqual({
      amount: 7,
      unit: 'calendar-days',
      rollForward: true,
      source: { citation: 'L2 art. 43 (法律援助法)', evidence: 'V' },
      note: 'the Law says "日": calendar days under 民事诉讼法 art. 85 [G]',
    });
    expect(paramsOf(run.intents[1] ?? [], 'startClock')[0]?.limit).toMatchObject({
      amount: 3,
      unit: 'calendar-days',
      rollForward: true,
    });
  });

  it('counts in working days when the case is configured so (2012 rule, local guides)', () => {
    const run = expectScenario({ urgent: false, dayCounting: 'working-days' }, [received, refusal, objected]);
    const units = run.intents
      .flatMap((intents) => paramsOf(intents, 'startClock'))
      .map(({ clock, limit }) => [clock, limit.amount, limit.unit]);
    expect(units).toEqual([
      ['review', 7, 'working-days'],
      ['objection-window', 60, 'calendar-days'],
      ['objection-review', 5, 'working-days'],
    ]);
  });

  it('gives aid first in urgent matters (先行提供) and grants without a second assignment', () => {
    expectScenario(URGENT, [
      step(SUBMITTED, 'examination.provisionalAssignment', 'in-review', [
        'startClock:review',
        'openTask:provisional-assignment',
      ]),
      refused(approve('review')),
      step(approve('provisional-assignment'), 'examination.reviewing', 'in-review', [
        'closeTask:provisional-assignment',
        'notifyApplicant:provisional-aid-assigned',
        'openTask:review',
      ]),
      step(approve('review'), 'approved', 'approved', [
        'closeTask:review',
        'stopClock:review',
        'recordDecision:review:approved',
        'notifyApplicant:approved',
        'grantEntitlement:legal-aid',
        'closeCase:approved',
      ]),
    ]);
  });

  it('may still refuse after aid was given first', () => {
    expectScenario(URGENT, [
      step(SUBMITTED, 'examination.provisionalAssignment', 'in-review', [
        'startClock:review',
        'openTask:provisional-assignment',
      ]),
      step(approve('provisional-assignment'), 'examination.reviewing', 'in-review', [
        'closeTask:provisional-assignment',
        'notifyApplicant:provisional-aid-assigned',
        'openTask:review',
      ]),
      refusal,
    ]);
  });

  describe('objection to a refusal (art. 49)', () => {
    it('upheld by the justice bureau within 5日: aid is granted and a worker assigned', () => {
      expectScenario(ORDINARY, [
        received,
        refusal,
        objected,
        step(UPHELD, 'assignment', 'approved', [
          'closeTask:objection-review',
          'stopClock:objection-review',
          'recordDecision:objection-review:approved',
          'notifyApplicant:approved',
          'openTask:assignment',
          'startClock:assignment',
        ]),
        assigned,
      ]);
    });

    it('not upheld: the refusal stands and the case closes', () => {
      expectScenario(ORDINARY, [
        received,
        refusal,
        objected,
        step(NOT_UPHELD, 'rejected', 'rejected', [
          'closeTask:objection-review',
          'stopClock:objection-review',
          'notifyApplicant:objection-rejected',
          'closeCase:rejected',
        ]),
      ]);
    });

    it('no objection: the case closes when the objection window ends', () => {
      expectScenario(ORDINARY, [
        received,
        refusal,
        refused(NOTICE_ENDED),
        refused(approve('review')),
        step(periodEnded('objection-window'), 'rejected', 'rejected', [
          'stopClock:objection-window',
          'closeCase:rejected',
        ]),
      ]);
    });
  });

  describe('incomplete file (art. 43 para. 2)', () => {
    const returned = step(returnFor('review'), 'examination.awaitingApplicant', 'awaiting-applicant', [
      'closeTask:review',
      'notifyApplicant:missing-materials',
      'pauseClock:review',
      'startClock:supplement-window',
    ]);

    it('pauses the review clock until the material arrives, which stops the supplement window', () => {
      expectScenario(ORDINARY, [
        received,
        returned,
        step(SUPPLEMENT, 'examination.reviewing', 'in-review', [
          'stopClock:supplement-window',
          'resumeClock:review',
          'openTask:review',
        ]),
        granted,
      ]);
    });

    it('is deemed withdrawn when the material never comes', () => {
      expectScenario(ORDINARY, [
        received,
        refused(SUPPLEMENT_LAPSED),
        returned,
        step(SUPPLEMENT_LAPSED, 'deemedWithdrawn', 'withdrawn', [
          'stopClock:supplement-window',
          'resumeClock:review',
          'stopClock:review',
          'notifyApplicant:deemed-withdrawn',
          'closeCase:deemed-withdrawn',
        ]),
      ]);
    });
  });

  it.each([
    ['before review', [], []],
    ['under review', [received], ['closeTask:review', 'stopClock:review']],
  ] as const)('is withdrawn %s', (_label, before, exits) => {
    expectScenario(ORDINARY, [
      ...before,
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        ...exits,
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]),
    ]);
  });

  it.each([
    ['a reason outside the Law', reject('review', 'TOO_RICH')],
    ['an assignment before the decision', approve('assignment')],
    ['an objection before any refusal', OBJECTION],
  ])('refuses %s', (_label, event) => {
    expectScenario(ORDINARY, [received, refused(event)]);
  });

  it('refuses an unknown day counting', () => {
    expect(() => startCase('legal-aid', { urgent: false, dayCounting: 'lunar-days' as never })).toThrow(
      expect.objectContaining({ code: 'LEGAL_AID.BAD_INPUT', details: { field: 'dayCounting' } }),
    );
  });

  it('explores every state, ordinary and urgent: invariants hold, all outcomes reachable', () => {
    const visited = new Set<string>();
    const outcomes = new Set<string>();
    for (const input of [ORDINARY, URGENT, { urgent: false, dayCounting: 'working-days' } as const]) {
      const exploration = explore('legal-aid', input);
      expect(exploration.problems).toEqual([]);
      expect(exploration.deadEnds).toEqual([]);
      expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
      for (const id of exploration.visitedStateIds) visited.add(id);
      for (const outcome of exploration.outcomes) outcomes.add(outcome);
    }
    expect([...visited].sort()).toEqual(allStateIds(legalAidMachine).sort());
    expect([...outcomes].sort()).toEqual(['approved', 'deemed-withdrawn', 'rejected', 'withdrawn']);
  });
});
