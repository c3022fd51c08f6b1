import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import { approve, periodEnded, reject, returnFor, SUBMITTED, SUPPLEMENT, WITHDRAWN } from '../testing/case-events.js';
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
import { combinedBenefitMonths, maxBenefitMonths, STOP_IMPRISONED } from './unemployment-benefit.rules.js';

const REGISTERED: UnemploymentBenefitInput = { unemploymentRegistered: true };
const UNREGISTERED: UnemploymentBenefitInput = { unemploymentRegistered: false };

const received = step(SUBMITTED, 'review.open', 'in-review', ['startClock:review', 'openTask:review']);
/** Version 1: the approval closes the case. */
const approvedIntents = [
  'closeTask:review',
  'stopClock:review',
  'recordDecision:review:approved',
  'notifyApplicant:approved',
  'grantEntitlement:unemployment-benefit',
  'closeCase:approved',
];
/** Version 2: the approval opens the benefit period, open to a stop. */
const receivingIntents = [
  'closeTask:review',
  'stopClock:review',
  'recordDecision:review:approved',
  'notifyApplicant:approved',
  'grantEntitlement:unemployment-benefit',
  'openTask:benefit-stop',
  'startClock:benefit-period',
];
const granted = (findings: Record<string, unknown>) =>
  step(approve('review', { findings }), 'receiving', 'in-payment', receivingIntents);
const STOP_DATES = { stopEventOn: '2026-05-04', reportedOn: '2026-05-20' };
const stopped = (reasonCode: string) =>
  step(reject('benefit-stop', reasonCode, { findings: STOP_DATES }), 'approved', 'approved', [
    'closeTask:benefit-stop',
    'stopClock:benefit-period',
    'recordDecision:benefit-stop:rejected',
    'notifyApplicant:rejected',
    'closeCase:approved',
  ]);

function expectScenario(input: UnemploymentBenefitInput, steps: readonly ScenarioStep[], version?: number) {
  const run = runScenario('unemployment-benefit', input, steps, version);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('unemployment-benefit machine (失业保险金, docs/domain.md §3.9)', () => {
  it('decides within 10 working days and grants the period the contributions earn', () => {
    const run = expectScenario(REGISTERED, [received, granted({ contributionMonths: 70 })]);
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
        details: {
          maxMonths: 18,
          startsOn: 'unemployment-registration',
          payment: 'monthly',
          reportingDutyWorkingDays: 20,
          reportingDutySource: 'L10 art. 25 (社会保险经办条例)',
        },
      },
    ]);
  });

  it('runs the benefit period as a period clock in months and closes the case when it ends', () => {
    const run = expectScenario(REGISTERED, [
      received,
      granted({ contributionMonths: 36 }),
      refused(periodEnded('public-notice')),
      step(periodEnded('benefit-period'), 'approved', 'approved', [
        'closeTask:benefit-stop',
        'stopClock:benefit-period',
        'closeCase:approved',
      ]),
    ]);
    expect(paramsOf(run.intents[1] ?? [], 'startClock')).toEqual([
      {
        clock: 'benefit-period',
        kind: 'period',
        limit: {
          amount: 12,
          unit: 'months',
          source: { citation: 'L4 art. 46 (社会保险法); L3 art. 17 (失业保险条例)', evidence: 'V' },
        },
      },
    ]);
  });

  it.each([
    [36, 6, 18],
    [70, 10, 24],
    [130, 3, 24],
    [12, 0, 12],
  ])(
    'combines %i contribution months with %i months not drawn before into %i (失业保险条例 art. 17)',
    (contributionMonths, remainingMonths, months) => {
      expect(combinedBenefitMonths(contributionMonths, remainingMonths)).toBe(months);
      const run = expectScenario(REGISTERED, [received, granted({ contributionMonths, remainingMonths })]);
      expect(paramsOf(run.intents[1] ?? [], 'grantEntitlement')[0]?.details).toMatchObject({ maxMonths: months });
      expect(paramsOf(run.intents[1] ?? [], 'startClock')[0]?.limit.amount).toBe(months);
    },
  );

  it.each([-1, 25, 1.5, '6'])('refuses an approval stating %p months not drawn before', (remainingMonths) => {
    expectScenario(REGISTERED, [
      received,
      refused(approve('review', { findings: { contributionMonths: 36, remainingMonths } })),
    ]);
  });

  it.each([
    'STOP_REEMPLOYED',
    'STOP_MILITARY_SERVICE',
    'STOP_SETTLED_ABROAD',
    'STOP_PENSION',
    'STOP_REFUSED_SUITABLE_WORK',
    'STOP_IMPRISONED',
  ])(
    'stops the benefit on the ground %s (社会保险法 art. 51; 失业保险条例 art. 15), with the dates of the event and its report',
    (reasonCode) => {
      const run = expectScenario(REGISTERED, [received, granted({ contributionMonths: 36 }), stopped(reasonCode)]);
      expect(paramsOf(run.intents[2] ?? [], 'recordDecision')[0]).toMatchObject({
        step: 'benefit-stop',
        outcome: 'rejected',
        reasonCode,
      });
    },
  );

  it.each([
    ['no dates', reject('benefit-stop', 'STOP_REEMPLOYED')],
    [
      'a report before the event',
      reject('benefit-stop', 'STOP_REEMPLOYED', { findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-01' } }),
    ],
    ['a ground art. 51 does not give', reject('benefit-stop', 'INSUFFICIENT_CONTRIBUTIONS', { findings: STOP_DATES })],
    ['an approval', approve('benefit-stop')],
  ])('refuses a stop with %s', (_label, event) => {
    expectScenario(REGISTERED, [received, granted({ contributionMonths: 36 }), refused(event)]);
  });

  it('offers the stop grounds of its version on the stop task: version 3 adds art. 15 prison, version 2 keeps art. 51 only', () => {
    const v3 = expectScenario(REGISTERED, [received, granted({ contributionMonths: 36 })]);
    expect(paramsOf(v3.intents[1] ?? [], 'openTask')[0]?.rejectReasons).toEqual([
      'STOP_REEMPLOYED',
      'STOP_MILITARY_SERVICE',
      'STOP_SETTLED_ABROAD',
      'STOP_PENSION',
      'STOP_REFUSED_SUITABLE_WORK',
      'STOP_IMPRISONED',
    ]);
    expect(STOP_IMPRISONED.source).toEqual({ citation: 'L3 art. 15 (失业保险条例)', evidence: 'V' });
    const v2 = expectScenario(
      REGISTERED,
      [
        received,
        granted({ contributionMonths: 36 }),
        refused(reject('benefit-stop', 'STOP_IMPRISONED', { findings: STOP_DATES })),
      ],
      2,
    );
    expect(paramsOf(v2.intents[1] ?? [], 'openTask')[0]?.rejectReasons).not.toContain('STOP_IMPRISONED');
    expectScenario(REGISTERED, [received, granted({ contributionMonths: 36 }), stopped('STOP_PENSION')], 2);
  });

  it('leaves cases on version 1 as they were: the approval closes the case, no stop and no combination', () => {
    expectScenario(
      REGISTERED,
      [
        received,
        step(approve('review', { findings: { contributionMonths: 70 } }), 'approved', 'approved', approvedIntents),
      ],
      1,
    );
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
      granted({ contributionMonths: 12 }),
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
      stepName === 'benefit-stop'
        ? [...standardPayloads(stepName, outcome, reasons), { reasonCode: reasons[0], findings: STOP_DATES }]
        : outcome === 'approve'
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
