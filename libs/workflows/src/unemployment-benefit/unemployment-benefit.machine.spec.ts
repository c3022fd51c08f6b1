import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import { approve, reject, returnFor, SUBMITTED, SUPPLEMENT, WITHDRAWN } from '../testing/case-events.js';
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
import { unemploymentBenefitMachine, type UnemploymentBenefitInput } from './unemployment-benefit.machine.js';
import { maxBenefitMonths } from './unemployment-benefit.rules.js';

const REGISTERED: UnemploymentBenefitInput = { unemploymentRegistered: true };
const UNREGISTERED: UnemploymentBenefitInput = { unemploymentRegistered: false };

const received = step(SUBMITTED, 'review.open', 'in-review', ['startClock:review', 'openTask:review']);
const approvedIntents = [
  'closeTask:review',
  'stopClock:review',
  'recordDecision:review:approved',
  'notifyApplicant:approved',
  'grantEntitlement:unemployment-benefit',
  'closeCase:approved',
];

function expectScenario(input: UnemploymentBenefitInput, steps: readonly ScenarioStep[]) {
  const run = runScenario('unemployment-benefit', input, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('unemployment-benefit machine (失业保险金, docs/domain.md §3.9)', () => {
  it('decides within 10 working days and grants the period the contributions earn', () => {
    const run = expectScenario(REGISTERED, [
      received,
      step(approve('review', { findings: { contributionMonths: 70 } }), 'approved', 'approved', approvedIntents),
    ]);
    expect(paramsOf(run.intents[0] ?? [], 'startClock')).toEqual([
      {
        clock: 'review',
        kind: 'deadline',
        limit: {
          amount: 10,
          unit: 'working-days',
          source: { citation: 'L10 art. 24 (社会保险经办条例)', evidence: 'V' },
        },
      },
    ]);
    expect(paramsOf(run.intents[1] ?? [], 'grantEntitlement')).toEqual([
      {
        kind: 'unemployment-benefit',
        details: { maxMonths: 18, startsOn: 'unemployment-registration', payment: 'monthly' },
      },
    ]);
  });

  it('rejects at once without unemployment registration (NOT_REGISTERED_UNEMPLOYED)', () => {
    const run = expectScenario(UNREGISTERED, [
      step(SUBMITTED, 'rejected', 'rejected', [
        'recordDecision:registration-check:rejected',
        'notifyApplicant:rejected',
        'closeCase:rejected',
      ]),
      refused(approve('review', { findings: { contributionMonths: 24 } })),
    ]);
    expect(paramsOf(run.intents[0] ?? [], 'recordDecision')).toEqual([
      { step: 'registration-check', outcome: 'rejected', actor: 'system', reasonCode: 'NOT_REGISTERED_UNEMPLOYED' },
    ]);
  });

  it.each(['INSUFFICIENT_CONTRIBUTIONS', 'VOLUNTARY_RESIGNATION', 'ALREADY_RECEIVING_PENSION', 'ALREADY_REEMPLOYED'])(
    'rejects for %s',
    (reason) => {
      expectScenario(REGISTERED, [
        received,
        step(reject('review', reason), 'rejected', 'rejected', [
          'closeTask:review',
          'stopClock:review',
          'recordDecision:review:rejected',
          'notifyApplicant:rejected',
          'closeCase:rejected',
        ]),
      ]);
    },
  );

  it.each([
    ['no contribution record', approve('review')],
    ['less than a year of contributions', approve('review', { findings: { contributionMonths: 11 } })],
    ['contributions as text', approve('review', { findings: { contributionMonths: '24' } })],
    ['a reason outside the Law', reject('review', 'TOO_YOUNG')],
  ])('refuses an approval or rejection with %s', (_label, event) => {
    expectScenario(REGISTERED, [received, refused(event)]);
  });

  it('pauses the clock while material is missing', () => {
    expectScenario(REGISTERED, [
      received,
      step(returnFor('review', ['termination-certificate']), 'review.awaitingApplicant', 'awaiting-applicant', [
        'closeTask:review',
        'notifyApplicant:missing-materials',
        'pauseClock:review',
      ]),
      step(SUPPLEMENT, 'review.open', 'in-review', ['resumeClock:review', 'openTask:review']),
      step(approve('review', { findings: { contributionMonths: 12 } }), 'approved', 'approved', approvedIntents),
    ]);
  });

  it.each([
    ['submitted', [], []],
    ['under review', [received], ['closeTask:review', 'stopClock:review']],
  ] as const)('is withdrawn %s', (_label, before, exits) => {
    expectScenario(REGISTERED, [
      ...before,
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        ...exits,
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]),
    ]);
  });

  it.each([
    [12, 12],
    [59, 12],
    [60, 18],
    [119, 18],
    [120, 24],
    [400, 24],
  ])('earns %i contribution months → at most %i benefit months (L4 art. 46)', (months, benefit) => {
    expect(maxBenefitMonths(months)).toBe(benefit);
  });

  it('explores every state, registered or not', () => {
    const payloads = (
      stepName: string,
      outcome: DecisionOutcome,
      reasons: readonly string[],
    ): readonly Partial<CaseEvent>[] =>
      outcome === 'approve'
        ? [{ findings: { contributionMonths: 36 } }, { findings: { contributionMonths: 3 } }]
        : standardPayloads(stepName, outcome, reasons);
    const visited = new Set<string>();
    for (const input of [REGISTERED, UNREGISTERED]) {
      const exploration = explore('unemployment-benefit', input, payloads);
      expect(exploration.problems).toEqual([]);
      expect(exploration.deadEnds).toEqual([]);
      expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
      for (const id of exploration.visitedStateIds) visited.add(id);
    }
    expect([...visited].sort()).toEqual(allStateIds(unemploymentBenefitMachine).sort());
  });
});
