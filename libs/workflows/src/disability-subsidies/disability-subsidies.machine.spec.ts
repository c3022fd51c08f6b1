import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, DecidedEvent, DecisionOutcome } from '../events.js';
import { startCase } from '../procedure-registry.js';
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
import {
  disabilitySubsidiesMachine,
  disabilitySubsidiesMachineOf,
  type DisabilitySubsidiesInput,
} from './disability-subsidies.machine.js';
import type { Subsidy } from './disability-subsidies.rules.js';

const BOTH: DisabilitySubsidiesInput = { subsidies: ['living', 'nursing'] };
const LIVING: DisabilitySubsidiesInput = { subsidies: ['living'] };
const NURSING: DisabilitySubsidiesInput = { subsidies: ['nursing'] };

const toStreetCheck = step(SUBMITTED, 'review.streetCheck.open', 'in-review', [
  'startClock:street-check',
  'openTask:street-check',
]);
const checked = step(approve('street-check'), 'review.publicNotice.running', 'public-notice', [
  'closeTask:street-check',
  'stopClock:street-check',
  'publishNotice:public-notice',
  'startClock:public-notice',
]);
const noticeEnded = step(NOTICE_ENDED, 'review.certificateVerification', 'in-review', [
  'stopClock:public-notice',
  'openTask:certificate-verification',
  'startClock:certificate-verification',
]);
const verified = (disabilityGrade: number) =>
  step(approve('certificate-verification', { findings: { disabilityGrade } }), 'review.decision', 'in-review', [
    'closeTask:certificate-verification',
    'stopClock:certificate-verification',
    'openTask:decision',
  ]);
const toDecision = (grade: number) => [toStreetCheck, checked, noticeEnded, verified(grade)];

type Parts = NonNullable<DecidedEvent['parts']>;
const grant: Parts[string] = { outcome: 'approve' };
const refuse = (reasonCode: string): Parts[string] => ({ outcome: 'reject', reasonCode });

function expectScenario(input: DisabilitySubsidiesInput, steps: readonly ScenarioStep[], version?: number) {
  const run = runScenario('disability-subsidies', input, steps, version);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('disability-subsidies machine (两项补贴, docs/domain.md §3.4)', () => {
  it('grants both subsidies to a grade-1 applicant in a 低保 household', () => {
    const run = expectScenario(BOTH, [
      ...toDecision(1),
      step(approve('decision', { parts: { living: grant, nursing: grant } }), 'approved', 'approved', [
        'closeTask:decision',
        'recordDecision:decision:approved',
        'notifyApplicant:approved',
        'grantEntitlement:disability-living-subsidy',
        'grantEntitlement:disability-nursing-subsidy',
        'closeCase:approved',
      ]),
    ]);
    expect(paramsOf(run.intents[4] ?? [], 'recordDecision')).toEqual([
      {
        step: 'decision',
        outcome: 'approved',
        actor: 'reviewer-1',
        parts: { living: { outcome: 'approved' }, nursing: { outcome: 'approved' } },
      },
    ]);
  });

  it('decides per subsidy: living granted, nursing refused for a grade-3 disability', () => {
    const run = expectScenario(BOTH, [
      ...toDecision(3),
      refused(approve('decision', { parts: { living: grant, nursing: grant } })),
      step(
        approve('decision', { parts: { living: grant, nursing: refuse('NOT_SEVERE_DISABILITY') } }),
        'approved',
        'approved',
        [
          'closeTask:decision',
          'recordDecision:decision:approved',
          'notifyApplicant:approved',
          'grantEntitlement:disability-living-subsidy',
          'closeCase:approved',
        ],
      ),
    ]);
    expect(paramsOf(run.intents[5] ?? [], 'notifyApplicant')[0]?.parts).toEqual({
      living: { outcome: 'approved' },
      nursing: { outcome: 'rejected', reasonCode: 'NOT_SEVERE_DISABILITY' },
    });
  });

  it.each([
    [
      'each subsidy with its own reason',
      reject('decision', 'NOT_IN_MINIMUM_LIVING_HOUSEHOLD', {
        parts: { living: refuse('NOT_IN_MINIMUM_LIVING_HOUSEHOLD'), nursing: refuse('NOT_SEVERE_DISABILITY') },
      }),
    ],
    ['one common reason for the whole application', reject('decision', 'RECEIVES_EXTREME_POVERTY_SUPPORT')],
  ])('rejects both: %s', (_label, event) => {
    const run = expectScenario(BOTH, [
      ...toDecision(2),
      step(event, 'rejected', 'rejected', [
        'closeTask:decision',
        'recordDecision:decision:rejected',
        'notifyApplicant:rejected',
        'closeCase:rejected',
      ]),
    ]);
    expect(Object.keys(paramsOf(run.intents[4] ?? [], 'recordDecision')[0]?.parts ?? {})).toEqual([
      'living',
      'nursing',
    ]);
  });

  it.each([
    ['a subsidy not decided', approve('decision', { parts: { living: grant } })],
    ['a subsidy not applied for', approve('decision', { parts: { living: grant, nursing: grant, other: grant } })],
    [
      'approve with nothing granted',
      approve('decision', {
        parts: { living: refuse('NOT_IN_MINIMUM_LIVING_HOUSEHOLD'), nursing: refuse('NOT_SEVERE_DISABILITY') },
      }),
    ],
    [
      'reject with a subsidy granted',
      reject('decision', 'NOT_SEVERE_DISABILITY', {
        parts: { living: grant, nursing: refuse('NOT_SEVERE_DISABILITY') },
      }),
    ],
    [
      "another subsidy's reason",
      approve('decision', { parts: { living: refuse('NOT_SEVERE_DISABILITY'), nursing: grant } }),
    ],
    ['a part without a reason', approve('decision', { parts: { living: { outcome: 'reject' }, nursing: grant } })],
    ['a whole rejection with a subsidy-specific reason and no parts', reject('decision', 'NOT_SEVERE_DISABILITY')],
    ['approve without parts', approve('decision')],
  ])('refuses a decision with %s', (_label, event) => {
    expectScenario(BOTH, [...toDecision(1), refused(event)]);
  });

  it('has the disability federation verify the certificate (department override) within 10 working days', () => {
    const run = expectScenario(NURSING, [toStreetCheck, checked, noticeEnded]);
    expect(paramsOf(run.intents[2] ?? [], 'openTask')).toEqual([
      {
        step: 'certificate-verification',
        level: 'district',
        department: 'disabled-persons-federation',
        kind: 'verification',
        outcomes: ['approve', 'reject'],
        rejectReasons: ['NO_VALID_DISABILITY_CERTIFICATE'],
      },
    ]);
    expect(paramsOf(run.intents[2] ?? [], 'startClock')[0]?.limit).toMatchObject({ amount: 10, unit: 'working-days' });
  });

  it.each([
    [BOTH, ['living', 'nursing']],
    [NURSING, ['nursing']],
  ])('opens the decision task naming the subsidies applied for, each to be decided (%j)', (input, parts) => {
    const run = expectScenario(input, toDecision(1));
    expect(paramsOf(run.intents[3] ?? [], 'openTask')).toEqual([
      {
        step: 'decision',
        level: 'district',
        kind: 'decision',
        outcomes: ['approve', 'reject'],
        rejectReasons: expect.arrayContaining(['NOT_SEVERE_DISABILITY']),
        parts,
      },
    ]);
  });

  it.each([
    ['no grade', approve('certificate-verification')],
    ['grade 5', approve('certificate-verification', { findings: { disabilityGrade: 5 } })],
    ['a grade in words', approve('certificate-verification', { findings: { disabilityGrade: 'one' } })],
  ])('refuses a verification with %s', (_label, event) => {
    expectScenario(BOTH, [toStreetCheck, checked, noticeEnded, refused(event)]);
  });

  it('rejects when the federation finds no valid certificate', () => {
    expectScenario(LIVING, [
      toStreetCheck,
      checked,
      noticeEnded,
      step(reject('certificate-verification', 'NO_VALID_DISABILITY_CERTIFICATE'), 'rejected', 'rejected', [
        'closeTask:certificate-verification',
        'stopClock:certificate-verification',
        'recordDecision:certificate-verification:rejected',
        'notifyApplicant:rejected',
        'closeCase:rejected',
      ]),
    ]);
  });

  it('rejects at the street check and pauses its clock while material is missing', () => {
    expectScenario(LIVING, [
      toStreetCheck,
      step(returnFor('street-check'), 'review.streetCheck.awaitingApplicant', 'awaiting-applicant', [
        'closeTask:street-check',
        'notifyApplicant:missing-materials',
        'pauseClock:street-check',
      ]),
      step(SUPPLEMENT, 'review.streetCheck.open', 'in-review', ['resumeClock:street-check', 'openTask:street-check']),
      step(reject('street-check', 'NO_VALID_DISABILITY_CERTIFICATE'), 'rejected', 'rejected', [
        'closeTask:street-check',
        'stopClock:street-check',
        'recordDecision:street-check:rejected',
        'notifyApplicant:rejected',
        'closeCase:rejected',
      ]),
    ]);
  });

  it('an upheld objection sends the case back to a new street check; a rejected one lets the notice run', () => {
    expectScenario(BOTH, [
      toStreetCheck,
      checked,
      step(OBJECTION, 'review.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
      step(UPHELD, 'review.streetCheck.open', 'in-review', [
        'closeTask:objection-review',
        'stopClock:public-notice',
        'startClock:street-check',
        'openTask:street-check',
      ]),
      checked,
      step(OBJECTION, 'review.publicNotice.objectionReview', 'public-notice', ['openTask:objection-review']),
      step(NOTICE_ENDED, 'review.publicNotice.objectionReview', 'public-notice', []),
      step(NOT_UPHELD, 'review.certificateVerification', 'in-review', [
        'closeTask:objection-review',
        'stopClock:public-notice',
        'openTask:certificate-verification',
        'startClock:certificate-verification',
      ]),
    ]);
  });

  it.each([
    ['submitted', [], []],
    ['at the street check', [toStreetCheck], ['closeTask:street-check', 'stopClock:street-check']],
    ['during the notice', [toStreetCheck, checked], ['stopClock:public-notice']],
    ['awaiting the decision', toDecision(1), ['closeTask:decision']],
  ] as const)('is withdrawn %s', (_label, before, exits) => {
    expectScenario(BOTH, [
      ...before,
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        ...exits,
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]),
    ]);
  });

  it('refuses decisions for steps that are not current', () => {
    expectScenario(BOTH, [
      toStreetCheck,
      refused(approve('decision', { parts: { living: grant, nursing: grant } })),
      refused(decide('certificate-verification', 'approve')),
    ]);
  });

  it.each([
    ['nothing', []],
    ['an unknown subsidy', ['housing']],
    ['the same subsidy twice', ['living', 'living']],
  ])('refuses an application for %s', (_label, subsidies) => {
    expect(() => startCase('disability-subsidies', { subsidies: subsidies as Subsidy[] })).toThrow(
      expect.objectContaining({ code: 'DISABILITY_SUBSIDIES.BAD_INPUT', details: { field: 'subsidies' } }),
    );
  });

  it.each([
    ['both', BOTH],
    ['living only', LIVING],
    ['nursing only', NURSING],
  ] as const)('explores every state (%s): invariants hold, all outcomes reachable', (_label, input) => {
    const payloads = (
      stepName: string,
      outcome: DecisionOutcome,
      reasons: readonly string[],
    ): readonly Partial<CaseEvent>[] => {
      if (stepName === 'certificate-verification' && outcome === 'approve') {
        return [{ findings: { disabilityGrade: 1 } }, { findings: { disabilityGrade: 3 } }, {}];
      }
      if (stepName !== 'decision') return standardPayloads(stepName, outcome, reasons);
      const options = {
        living: [grant, refuse('NOT_IN_MINIMUM_LIVING_HOUSEHOLD')],
        nursing: [grant, refuse('NOT_SEVERE_DISABILITY')],
      };
      const combos = input.subsidies.reduce<Parts[]>(
        (acc, subsidy) => acc.flatMap((parts) => options[subsidy].map((part) => ({ ...parts, [subsidy]: part }))),
        [{}],
      );
      return outcome === 'return'
        ? standardPayloads(stepName, outcome, reasons)
        : [
            ...combos.map((parts) => ({
              parts,
              ...(outcome === 'reject' ? { reasonCode: 'RECEIVES_EXTREME_POVERTY_SUPPORT' } : {}),
            })),
            { reasonCode: 'RECEIVES_EXTREME_POVERTY_SUPPORT' },
          ];
    };
    const exploration = explore('disability-subsidies', input, payloads);
    expect(exploration.problems).toEqual([]);
    expect(exploration.deadEnds).toEqual([]);
    expect([...exploration.visitedStateIds].sort()).toEqual(allStateIds(disabilitySubsidiesMachine).sort());
    expect([...exploration.outcomes].sort()).toEqual(['approved', 'rejected', 'withdrawn']);
    expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
  });

  describe('the allowance rules of version 2 (国发〔2015〕52号, 民发〔2021〕52号, 新民规发〔2022〕3号)', () => {
    const decided = (event: CaseEvent, grants: readonly string[]) =>
      step(event, 'approved', 'approved', [
        'closeTask:decision',
        'recordDecision:decision:approved',
        'notifyApplicant:approved',
        ...grants.map((kind) => `grantEntitlement:${kind}`),
        'closeCase:approved',
      ]);

    it('refuses the living subsidy for registration outside Xinjiang and still grants the nursing subsidy', () => {
      expectScenario(BOTH, [
        ...toDecision(1),
        decided(
          approve('decision', { parts: { living: refuse('NOT_LOCAL_HOUSEHOLD_REGISTRATION'), nursing: grant } }),
          ['disability-nursing-subsidy'],
        ),
      ]);
    });

    it.each([
      [
        'a nursing part',
        approve('decision', { parts: { living: grant, nursing: refuse('NOT_LOCAL_HOUSEHOLD_REGISTRATION') } }),
      ],
      ['the whole application', reject('decision', 'NOT_LOCAL_HOUSEHOLD_REGISTRATION')],
    ])('does not refuse %s for registration outside Xinjiang', (_label, event) => {
      expectScenario(BOTH, [...toDecision(1), refused(event)]);
    });

    it('lets the street check reject only for a reason that refuses every subsidy', () => {
      const run = expectScenario(BOTH, [
        toStreetCheck,
        refused(reject('street-check', 'NOT_LOCAL_HOUSEHOLD_REGISTRATION')),
      ]);
      expect(paramsOf(run.intents[0] ?? [], 'openTask')[0]?.rejectReasons).toEqual([
        'NO_VALID_DISABILITY_CERTIFICATE',
        'RECEIVES_EXTREME_POVERTY_SUPPORT',
      ]);
    });

    it.each([
      [
        'living',
        { living: refuse('RECEIVES_HIGHER_SIMILAR_ALLOWANCE'), nursing: grant },
        ['disability-nursing-subsidy'],
      ],
      [
        'nursing',
        { living: grant, nursing: refuse('RECEIVES_HIGHER_SIMILAR_ALLOWANCE') },
        ['disability-living-subsidy'],
      ],
    ] as const)('takes a higher similar allowance instead of the %s subsidy', (_label, parts, grants) => {
      expectScenario(BOTH, [...toDecision(1), decided(approve('decision', { parts }), grants)]);
    });

    it('leaves cases on version 1 with its rules: registration refuses both, the higher allowance only nursing', () => {
      expect(disabilitySubsidiesMachineOf(1).config.meta).toEqual({ version: 1 });
      expectScenario(
        BOTH,
        [
          ...toDecision(1),
          refused(
            approve('decision', { parts: { living: refuse('RECEIVES_HIGHER_SIMILAR_ALLOWANCE'), nursing: grant } }),
          ),
          step(reject('decision', 'NOT_LOCAL_HOUSEHOLD_REGISTRATION'), 'rejected', 'rejected', [
            'closeTask:decision',
            'recordDecision:decision:rejected',
            'notifyApplicant:rejected',
            'closeCase:rejected',
          ]),
        ],
        1,
      );
    });
  });
});
