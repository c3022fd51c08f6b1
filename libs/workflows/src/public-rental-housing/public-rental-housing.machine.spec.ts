import { describe, expect, it } from '@jest/globals';
import type { CaseEvent } from '../events.js';
import {
  ALLOCATED,
  approve,
  NOT_UPHELD,
  NOTICE_ENDED,
  OBJECTION,
  periodEnded,
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
  step,
  type ScenarioStep,
} from '../testing/case-walker.js';
import { publicRentalHousingMachine, type PublicRentalHousingInput } from './public-rental-housing.machine.js';

const ORDINARY: PublicRentalHousingInput = { priorityHousehold: false };
const PRIORITY: PublicRentalHousingInput = { priorityHousehold: true };

const toAcceptance = step(SUBMITTED, 'acceptance.open', 'in-review', ['openTask:acceptance']);
const accepted = step(approve('acceptance'), 'qualification.meansCheck', 'in-review', [
  'closeTask:acceptance',
  'openTask:means-check',
]);
const meansChecked = step(approve('means-check'), 'qualification.housingReview', 'in-review', [
  'closeTask:means-check',
  'openTask:housing-review',
]);
const qualified = step(approve('housing-review'), 'qualification.publicNotice.running', 'public-notice', [
  'closeTask:housing-review',
  'publishNotice:public-notice',
  'startClock:public-notice',
]);
const registered = step(NOTICE_ENDED, 'waitingList', 'waiting-list', [
  'stopClock:public-notice',
  'recordDecision:registration:approved',
  'notifyApplicant:qualified-waiting-list',
  'grantEntitlement:public-rental-housing-waiting-list',
  'startClock:waiting',
]);
const allocated = step(ALLOCATED, 'leased', 'in-lease', [
  'stopClock:waiting',
  'grantEntitlement:public-rental-housing',
  'publishNotice:publication',
  'startClock:lease',
]);
const leaseEnded = step(periodEnded('lease'), 'approved', 'approved', ['stopClock:lease', 'closeCase:approved']);
const toNotice = [toAcceptance, accepted, meansChecked, qualified];
const refusedAt = (stepName: string, reason: string) =>
  step(reject(stepName, reason), 'refused', 'rejected', [
    `closeTask:${stepName}`,
    `recordDecision:${stepName}:rejected`,
    'notifyApplicant:rejected',
    'startClock:re-review-window',
  ]);
const reReviewRequested = step(OBJECTION, 'reReview', 'in-review', [
  'stopClock:re-review-window',
  'openTask:re-review',
  'startClock:re-review',
]);

function expectScenario(input: PublicRentalHousingInput, steps: readonly ScenarioStep[]) {
  const run = runScenario('public-rental-housing', input, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

describe('public-rental-housing machine (公租房保障, docs/domain.md §3.8)', () => {
  it('qualifies, registers on the waiting list with priority, allocates, and closes when the lease ends', () => {
    const run = expectScenario(PRIORITY, [
      ...toNotice,
      registered,
      refused(approve('housing-review')),
      allocated,
      refused(periodEnded('waiting')),
      leaseEnded,
    ]);
    expect(paramsOf(run.intents[4] ?? [], 'grantEntitlement')).toEqual([
      { kind: 'public-rental-housing-waiting-list', details: { priority: true } },
    ]);
    expect(paramsOf(run.intents[6] ?? [], 'grantEntitlement')).toEqual([
      {
        kind: 'public-rental-housing',
        details: { allocation: 'flat-12-3-501', leaseAtMostMonths: 60, leaseMonths: 60 },
      },
    ]);
    // 轮候 normally at most 5 years (住房和城乡建设部令第11号): a clock from registration on the list.
    expect(paramsOf(run.intents[4] ?? [], 'startClock')).toEqual([
      {
        clock: 'waiting',
        kind: 'deadline',
        limit: expect.objectContaining({
          amount: 60,
          unit: 'months',
          source: { citation: '住房和城乡建设部令第11号', evidence: 'R' },
        }),
      },
    ]);
    // The allocation result is posted, and the lease, at most 5 years (住房和城乡建设部令第11号), runs as a period
    // from the allocation (version 3).
    expect(paramsOf(run.intents[6] ?? [], 'publishNotice')).toEqual([
      { notice: 'publication', step: 'allocation', level: 'district' },
    ]);
    expect(paramsOf(run.intents[6] ?? [], 'startClock')).toEqual([
      {
        clock: 'lease',
        kind: 'period',
        limit: expect.objectContaining({
          amount: 60,
          unit: 'months',
          source: { citation: '住房和城乡建设部令第11号', evidence: 'R' },
        }),
      },
    ]);
  });

  it('runs the lease for the term the allocation states, and refuses a term beyond 5 years', () => {
    const twoYears = { ...ALLOCATED, leaseMonths: 24 } as CaseEvent;
    const run = expectScenario(ORDINARY, [
      ...toNotice,
      registered,
      refused({ ...ALLOCATED, leaseMonths: 61 } as CaseEvent),
      refused({ ...ALLOCATED, leaseMonths: 0 } as CaseEvent),
      step(twoYears, 'leased', 'in-lease', [
        'stopClock:waiting',
        'grantEntitlement:public-rental-housing',
        'publishNotice:publication',
        'startClock:lease',
      ]),
      leaseEnded,
    ]);
    const allocation = run.intents[7] ?? [];
    expect(paramsOf(allocation, 'startClock')[0]?.limit).toMatchObject({ amount: 24, unit: 'months' });
    expect(paramsOf(allocation, 'grantEntitlement')[0]?.details).toMatchObject({ leaseMonths: 24 });
  });

  it('leaves cases on version 2 as they were: the allocation closes the case, no lease clock', () => {
    const run = runScenario(
      'public-rental-housing',
      ORDINARY,
      [
        ...toNotice,
        registered,
        step(ALLOCATED, 'approved', 'approved', [
          'stopClock:waiting',
          'grantEntitlement:public-rental-housing',
          'closeCase:approved',
        ]),
      ],
      2,
    );
    expect(run.actual).toEqual(run.expected);
    expect(paramsOf(run.intents[5] ?? [], 'grantEntitlement')[0]?.details).toEqual({
      allocation: 'flat-12-3-501',
      leaseAtMostMonths: 60,
    });
  });

  it('leaves cases on version 1 as they were: no waiting clock, no lease limit in the grant', () => {
    const run = runScenario(
      'public-rental-housing',
      PRIORITY,
      [
        ...toNotice,
        step(NOTICE_ENDED, 'waitingList', 'waiting-list', [
          'stopClock:public-notice',
          'recordDecision:registration:approved',
          'notifyApplicant:qualified-waiting-list',
          'grantEntitlement:public-rental-housing-waiting-list',
        ]),
        step(ALLOCATED, 'approved', 'approved', ['grantEntitlement:public-rental-housing', 'closeCase:approved']),
      ],
      1,
    );
    expect(run.actual).toEqual(run.expected);
    expect(paramsOf(run.intents[5] ?? [], 'grantEntitlement')[0]?.details).toEqual({ allocation: 'flat-12-3-501' });
  });

  it('has the civil affairs data check run by civil affairs (department override)', () => {
    const run = expectScenario(ORDINARY, [toAcceptance, accepted]);
    expect(paramsOf(run.intents[1] ?? [], 'openTask')[0]).toMatchObject({
      step: 'means-check',
      department: 'civil-affairs',
      level: 'district',
    });
  });

  it('lets a household leave the waiting list', () => {
    expectScenario(ORDINARY, [
      ...toNotice,
      registered,
      step(WITHDRAWN, 'withdrawn', 'withdrawn', [
        'stopClock:waiting',
        'notifyApplicant:withdrawal-confirmed',
        'closeCase:withdrawn',
      ]),
    ]);
  });

  it('refuses an allocation without an actor', () => {
    expectScenario(ORDINARY, [...toNotice, registered, refused({ type: 'ALLOCATED', actor: '' } as CaseEvent)]);
  });

  it('returns at acceptance for missing material', () => {
    expectScenario(ORDINARY, [
      toAcceptance,
      step(returnFor('acceptance'), 'acceptance.awaitingApplicant', 'awaiting-applicant', [
        'closeTask:acceptance',
        'notifyApplicant:missing-materials',
      ]),
      step(SUPPLEMENT, 'acceptance.open', 'in-review', ['openTask:acceptance']),
      accepted,
    ]);
  });

  describe('refusal and re-review (复核, 15 working days)', () => {
    it.each([
      ['means-check', 'INCOME_ABOVE_LIMIT', [toAcceptance, accepted]],
      ['housing-review', 'HAS_ADEQUATE_HOUSING', [toAcceptance, accepted, meansChecked]],
    ] as const)('refused at %s, re-review upheld: on to the public notice', (stepName, reason, before) => {
      const run = expectScenario(ORDINARY, [
        ...before,
        refusedAt(stepName, reason),
        reReviewRequested,
        step(UPHELD, 'qualification.publicNotice.running', 'public-notice', [
          'closeTask:re-review',
          'stopClock:re-review',
          'publishNotice:public-notice',
          'startClock:public-notice',
        ]),
        registered,
      ]);
      expect(paramsOf(run.intents[before.length + 1] ?? [], 'startClock')[0]?.limit).toMatchObject({
        amount: 15,
        unit: 'working-days',
        source: { evidence: 'R' },
      });
    });

    it('re-review not upheld: closed rejected', () => {
      expectScenario(ORDINARY, [
        toAcceptance,
        accepted,
        refusedAt('means-check', 'ASSETS_ABOVE_LIMIT'),
        reReviewRequested,
        step(NOT_UPHELD, 'rejected', 'rejected', [
          'closeTask:re-review',
          'stopClock:re-review',
          'notifyApplicant:objection-rejected',
          'closeCase:rejected',
        ]),
      ]);
    });

    it('no re-review requested: closed when the window ends', () => {
      expectScenario(ORDINARY, [
        toAcceptance,
        accepted,
        refusedAt('means-check', 'ASSETS_ABOVE_LIMIT'),
        refused(NOTICE_ENDED),
        step(periodEnded('re-review-window'), 'rejected', 'rejected', [
          'stopClock:re-review-window',
          'closeCase:rejected',
        ]),
      ]);
    });

    it('refuses a housing reason at the means check', () => {
      expectScenario(ORDINARY, [toAcceptance, accepted, refused(reject('means-check', 'HAS_ADEQUATE_HOUSING'))]);
    });
  });

  describe('objections during the notice', () => {
    const filed = step(OBJECTION, 'qualification.publicNotice.objectionReview', 'public-notice', [
      'openTask:objection-review',
    ]);

    it('upheld: back to the housing review, which may now refuse', () => {
      expectScenario(ORDINARY, [
        ...toNotice,
        filed,
        step(UPHELD, 'qualification.housingReview', 'in-review', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'openTask:housing-review',
        ]),
        refusedAt('housing-review', 'OBJECTION_UPHELD'),
      ]);
    });

    it('not upheld after the period ended: registered at once', () => {
      expectScenario(ORDINARY, [
        ...toNotice,
        filed,
        step(NOTICE_ENDED, 'qualification.publicNotice.objectionReview', 'public-notice', []),
        step(NOT_UPHELD, 'waitingList', 'waiting-list', [
          'closeTask:objection-review',
          'stopClock:public-notice',
          'recordDecision:registration:approved',
          'notifyApplicant:qualified-waiting-list',
          'grantEntitlement:public-rental-housing-waiting-list',
          'startClock:waiting',
        ]),
      ]);
    });

    it('not upheld during the period: the notice runs on', () => {
      expectScenario(ORDINARY, [
        ...toNotice,
        filed,
        step(NOT_UPHELD, 'qualification.publicNotice.running', 'public-notice', ['closeTask:objection-review']),
        registered,
      ]);
    });
  });

  it.each([
    ['submitted', [], []],
    ['at the means check', [toAcceptance, accepted], ['closeTask:means-check']],
    ['during the notice', toNotice, ['stopClock:public-notice']],
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

  it('refuses a withdrawal after the refusal (the decision is made)', () => {
    expectScenario(ORDINARY, [
      toAcceptance,
      accepted,
      refusedAt('means-check', 'INCOME_ABOVE_LIMIT'),
      refused(WITHDRAWN),
    ]);
  });

  it('explores every state: invariants hold, all outcomes reachable', () => {
    const exploration = explore('public-rental-housing', ORDINARY);
    expect(exploration.problems).toEqual([]);
    expect(exploration.deadEnds).toEqual([]);
    expect([...exploration.visitedStateIds].sort()).toEqual(allStateIds(publicRentalHousingMachine).sort());
    expect([...exploration.outcomes].sort()).toEqual(['approved', 'rejected', 'withdrawn']);
    expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
  });
});
