import { describe, expect, it } from '@jest/globals';
import { EVIDENCE_TAGS, itemsRunBy } from '@minsheng/domain';
import type { CaseEvent } from '../events.js';
import { LIMIT_UNITS } from '../limits.js';
import { startCase } from '../procedure-registry.js';
import {
  approve,
  NOT_UPHELD,
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
import { GENERAL_REVIEW_CONFIGURATIONS, GENERAL_REVIEW_REASONS } from './configurations.js';
import { generalReviewInput, generalReviewMachine } from './general-review.machine.js';
import { configurationProblems, type GeneralReviewConfiguration } from './review-step.js';

function expectScenario(configuration: GeneralReviewConfiguration, steps: readonly ScenarioStep[]) {
  const run = runScenario('general-review', configuration, steps);
  expect(run.actual).toEqual(run.expected);
  expect(run.problems).toEqual([]);
  return run;
}

/** The scenario step that completes step `index` of a configuration, and where it leads. */
function complete(configuration: GeneralReviewConfiguration, index: number): ScenarioStep {
  const { steps, entitlement } = configuration;
  const here = steps[index]!;
  const next = steps[index + 1];
  if (here.kind === 'public-notice') {
    return step(periodEnded(here.step), 'process.reviewing.open', 'in-review', [
      `stopClock:${here.step}`,
      `startClock:${next!.step}`,
      `openTask:${next!.step}`,
    ]);
  }
  const leaving = [`closeTask:${here.step}`, `stopClock:${here.step}`];
  if (next === undefined) {
    return step(approve(here.step), 'approved', 'approved', [
      ...leaving,
      `recordDecision:${here.step}:approved`,
      'notifyApplicant:approved',
      `grantEntitlement:${entitlement}`,
      'closeCase:approved',
    ]);
  }
  if (next.kind === 'public-notice') {
    return step(approve(here.step), 'process.notice.running', 'public-notice', [
      ...leaving,
      'publishNotice:public-notice',
      `startClock:${next.step}`,
    ]);
  }
  return step(approve(here.step), 'process.reviewing.open', 'in-review', [
    ...leaving,
    `startClock:${next.step}`,
    `openTask:${next.step}`,
  ]);
}

function upTo(configuration: GeneralReviewConfiguration, index: number): ScenarioStep[] {
  const first = configuration.steps[0]!;
  return [
    step(SUBMITTED, 'process.reviewing.open', 'in-review', [`startClock:${first.step}`, `openTask:${first.step}`]),
    ...configuration.steps.slice(0, index).map((_, i) => complete(configuration, i)),
  ];
}

describe('general-review configurations', () => {
  it('configure exactly the catalog items whose procedure is general-review', () => {
    const catalog = itemsRunBy('general-review').map((item) => item.code);
    expect(GENERAL_REVIEW_CONFIGURATIONS.map((configuration) => configuration.itemCode)).toEqual(catalog);
    expect(catalog).toHaveLength(30);
  });

  it('match the catalog on the names and on where applications are handed in and decided', () => {
    for (const item of itemsRunBy('general-review')) {
      const configuration = generalReviewInput(item.code);
      expect([item.code, configuration.nameZh]).toEqual([item.code, item.nameZh]);
      const accepting = item.acceptingLevel?.value === 'institution' ? 'community' : item.acceptingLevel?.value;
      expect([item.code, configuration.steps[0]?.level]).toEqual([item.code, accepting]);
      expect([item.code, configuration.steps.at(-1)?.level]).toEqual([item.code, item.approvingLevel?.value]);
    }
  });

  it.each(GENERAL_REVIEW_CONFIGURATIONS.map((configuration) => [configuration.itemCode, configuration] as const))(
    '%s is runnable and every limit has a unit, a source and an evidence tag',
    (_code, configuration) => {
      expect(configurationProblems(configuration)).toEqual([]);
      const knownReasons = Object.values(GENERAL_REVIEW_REASONS).map((reason) => reason.code);
      for (const reviewStep of configuration.steps) {
        expect(LIMIT_UNITS).toContain(reviewStep.limit.unit);
        expect(EVIDENCE_TAGS).toContain(reviewStep.limit.source.evidence);
        expect(reviewStep.limit.source.citation.trim()).not.toBe('');
        for (const reason of reviewStep.rejectReasons) expect(knownReasons).toContain(reason);
      }
    },
  );

  it.each([
    ['BPS-004', 'benefit-review', 10, 'working-days', 'L10 art. 20 (社会保险经办条例)', 'V'],
    ['BPS-035', 'benefit-review', 10, 'working-days', 'L10 art. 24 (社会保险经办条例)', 'V'],
    ['BPS-036', 'injury-recognition', 60, 'calendar-days', 'L14 art. 20 (工伤保险条例)', 'V'],
    ['BPS-058', 'benefit-review', 20, 'working-days', 'L10 art. 18 (社会保险经办条例)', 'V'],
    ['BPS-016', 'school-notice', 5, 'working-days', '财教〔2021〕310号', 'R'],
    ['BPS-084', 'placement', 6, 'months', 'L15 (退役军人安置条例)', 'V'],
  ])('%s %s: %i %s [%s, %s]', (code, stepName, amount, unit, citation, evidence) => {
    const reviewStep = generalReviewInput(code).steps.find((candidate) => candidate.step === stepName);
    expect(reviewStep?.limit).toMatchObject({ amount, unit, source: { citation, evidence } });
  });

  it('counts the 60日 of work-injury recognition as calendar days rolled past rest days', () => {
    expect(generalReviewInput('BPS-036').steps.at(-1)?.limit.rollForward).toBe(true);
  });

  it.each([
    ['no steps', []],
    [
      'a notice first',
      [
        {
          step: 'n',
          level: 'community',
          kind: 'public-notice',
          limit: { amount: 7, unit: 'calendar-days', source: { citation: 'x', evidence: 'G' } },
          outcomes: [],
          rejectReasons: [],
        },
      ],
    ],
  ] as const)('refuses a configuration with %s', (_label, steps) => {
    const configuration = {
      itemCode: 'BPS-999',
      nameZh: '测试',
      entitlement: 'x',
      steps,
    } as unknown as GeneralReviewConfiguration;
    expect(configurationProblems(configuration)).not.toEqual([]);
    expect(() => startCase('general-review', configuration)).toThrow(
      expect.objectContaining({ code: 'GENERAL_REVIEW.BAD_CONFIGURATION' }),
    );
  });

  it('refuses an item that has its own procedure or none', () => {
    expect(() => generalReviewInput('BPS-064')).toThrow(
      expect.objectContaining({ code: 'GENERAL_REVIEW.UNKNOWN_ITEM', details: { field: 'itemCode' } }),
    );
    expect(() => generalReviewInput('BPS-090')).toThrow(
      expect.objectContaining({ code: 'GENERAL_REVIEW.UNKNOWN_ITEM' }),
    );
  });
});

describe('general-review machine', () => {
  describe.each(GENERAL_REVIEW_CONFIGURATIONS.map((configuration) => [configuration.itemCode, configuration] as const))(
    '%s',
    (_code, configuration) => {
      const { steps } = configuration;
      const last = steps.length - 1;

      it('walks every step to the grant', () => {
        expectScenario(configuration, upTo(configuration, steps.length));
      });

      const rejecting = steps.flatMap((reviewStep, index) =>
        reviewStep.outcomes.includes('reject') ? [[reviewStep.step, index] as const] : [],
      );
      if (rejecting.length > 0) {
        it.each(rejecting)('rejects at %s', (stepName, index) => {
          const reason = steps[index]!.rejectReasons[0]!;
          expectScenario(configuration, [
            ...upTo(configuration, index),
            refused(reject(stepName, 'NOT_A_REASON')),
            step(reject(stepName, reason), 'rejected', 'rejected', [
              `closeTask:${stepName}`,
              `stopClock:${stepName}`,
              `recordDecision:${stepName}:rejected`,
              'notifyApplicant:rejected',
              'closeCase:rejected',
            ]),
          ]);
        });
      }

      const returning = steps.flatMap((reviewStep, index) =>
        reviewStep.outcomes.includes('return') ? [[reviewStep.step, index] as const] : [],
      );
      if (returning.length > 0) {
        it.each(returning)('returns %s for material, pausing its clock', (stepName, index) => {
          expectScenario(configuration, [
            ...upTo(configuration, index),
            step(returnFor(stepName), 'process.reviewing.awaitingApplicant', 'awaiting-applicant', [
              `closeTask:${stepName}`,
              'notifyApplicant:missing-materials',
              `pauseClock:${stepName}`,
            ]),
            refused(approve(stepName)),
            step(SUPPLEMENT, 'process.reviewing.open', 'in-review', [
              `resumeClock:${stepName}`,
              `openTask:${stepName}`,
            ]),
            complete(configuration, index),
          ]);
        });
      }

      const notices = steps.flatMap((reviewStep, index) =>
        reviewStep.kind === 'public-notice' ? [[reviewStep.step, index] as const] : [],
      );
      if (notices.length > 0) {
        it.each(notices)(
          'hears objections during %s: upheld goes back a step, rejected lets the period run',
          (stepName, index) => {
            const before = steps[index - 1]!.step;
            const filed = step(OBJECTION, 'process.notice.objectionReview', 'public-notice', [
              'openTask:objection-review',
            ]);
            expectScenario(configuration, [
              ...upTo(configuration, index),
              refused(periodEnded('another-period')),
              filed,
              step(UPHELD, 'process.reviewing.open', 'in-review', [
                'closeTask:objection-review',
                `stopClock:${stepName}`,
                `startClock:${before}`,
                `openTask:${before}`,
              ]),
              complete(configuration, index - 1),
              filed,
              step(NOT_UPHELD, 'process.notice.running', 'public-notice', ['closeTask:objection-review']),
              filed,
              step(periodEnded(stepName), 'process.notice.objectionReview', 'public-notice', []),
              step(NOT_UPHELD, 'process.reviewing.open', 'in-review', [
                'closeTask:objection-review',
                `stopClock:${stepName}`,
                `startClock:${steps[index + 1]!.step}`,
                `openTask:${steps[index + 1]!.step}`,
              ]),
            ]);
          },
        );
      }

      it('is withdrawn before the last decision, and refuses a decision for a later step', () => {
        const lastStep = steps[last]!.step;
        expectScenario(configuration, [
          ...upTo(configuration, last),
          ...(last > 0 ? [refused(approve(steps[0]!.step))] : []),
          step(WITHDRAWN, 'withdrawn', 'withdrawn', [
            `closeTask:${lastStep}`,
            `stopClock:${lastStep}`,
            'notifyApplicant:withdrawal-confirmed',
            'closeCase:withdrawn',
          ]),
        ]);
        if (last > 0) expectScenario(configuration, [...upTo(configuration, 0), refused(approve(lastStep))]);
      });

      it('explores every reachable state: invariants hold, all outcomes reachable', () => {
        const exploration = explore('general-review', configuration);
        expect(exploration.problems).toEqual([]);
        expect(exploration.deadEnds).toEqual([]);
        expect([...exploration.outcomes].sort()).toEqual(
          ['approved', 'rejected', 'withdrawn'].filter((outcome) => outcome !== 'rejected' || rejecting.length > 0),
        );
        expect([...exploration.acceptedDecisions].sort()).toEqual([...exploration.declaredDecisions].sort());
      });
    },
  );

  it('reaches every state of the machine across the configurations', () => {
    const visited = new Set<string>();
    for (const configuration of GENERAL_REVIEW_CONFIGURATIONS) {
      for (const id of explore('general-review', configuration).visitedStateIds) visited.add(id);
    }
    expect([...visited].sort()).toEqual(allStateIds(generalReviewMachine).sort());
  });

  it('opens each task with the configured level, kind, outcomes and reasons (BPS-016)', () => {
    const configuration = generalReviewInput('BPS-016');
    const run = expectScenario(configuration, upTo(configuration, configuration.steps.length));
    const opened = run.intents.flatMap((intents) => paramsOf(intents, 'openTask'));
    expect(opened).toEqual([
      {
        step: 'school-assessment',
        level: 'community',
        kind: 'review',
        outcomes: ['approve', 'reject', 'return'],
        rejectReasons: ['NOT_ELIGIBLE', 'FALSE_DECLARATION', 'OBJECTION_UPHELD'],
      },
      {
        step: 'education-review',
        level: 'district',
        kind: 'decision',
        outcomes: ['approve', 'reject'],
        rejectReasons: ['NOT_ELIGIBLE', 'FALSE_DECLARATION'],
      },
    ]);
    expect(run.intents.flatMap((intents) => paramsOf(intents, 'publishNotice'))).toEqual([
      { notice: 'public-notice', step: 'school-notice', level: 'community' },
    ]);
    expect(paramsOf(run.intents.at(-1) ?? [], 'grantEntitlement')).toEqual([
      { kind: 'senior-secondary-national-grant', details: { itemCode: 'BPS-016' } },
    ]);
  });

  it('keeps the steps the case started with in its snapshot', () => {
    const started = startCase('general-review', generalReviewInput('BPS-058'));
    expect((started.snapshot.context as { steps: unknown }).steps).toEqual(generalReviewInput('BPS-058').steps);
    expect(started.currentSteps).toEqual([]);
  });

  it('refuses a notice end for another clock and a decision of the right step with an outcome it does not allow', () => {
    const configuration = generalReviewInput('BPS-067');
    expectScenario(configuration, [
      ...upTo(configuration, 1),
      refused({ type: 'NOTICE_PERIOD_ENDED', clock: 'street-review' } as CaseEvent),
      refused(approve('public-notice')),
    ]);
    const placement = generalReviewInput('BPS-084');
    expectScenario(placement, [...upTo(placement, 1), refused(returnFor('placement'))]);
  });
});
