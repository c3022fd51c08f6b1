import { DomainError, type Level } from '@minsheng/domain';
import type { DepartmentCode, ServiceItemCode } from '@minsheng/domain';
import type { DecisionOutcome } from '../events.js';
import type { Limit } from '../limits.js';

/**
 * One step of a general review, as data. The general-review machine runs the steps in order: a task for each
 * acceptance, assessment, review, verification or decision step; a waiting period open to objections for each
 * public notice (公示). The last step's approval grants the item's entitlement.
 */
export const GENERAL_STEP_KINDS = [
  'acceptance',
  'assessment',
  'review',
  'verification',
  'decision',
  'public-notice',
] as const;
export type GeneralStepKind = (typeof GENERAL_STEP_KINDS)[number];

export interface GeneralReviewStep {
  readonly step: string;
  readonly level: Level;
  /** Only when another department than the item's lead department does the step. */
  readonly department?: DepartmentCode;
  readonly kind: GeneralStepKind;
  /** The step's limit (for a notice, the notice period), with its unit and source. */
  readonly limit: Limit;
  /** Empty for a public notice, which ends with its period. */
  readonly outcomes: readonly DecisionOutcome[];
  readonly rejectReasons: readonly string[];
}

export interface GeneralReviewConfiguration {
  readonly itemCode: ServiceItemCode;
  readonly nameZh: string;
  /** What the last approval grants (the `grantEntitlement` kind). */
  readonly entitlement: string;
  readonly steps: readonly GeneralReviewStep[];
}

export const GENERAL_REVIEW_ERRORS = {
  unknownItem: 'GENERAL_REVIEW.UNKNOWN_ITEM',
  badConfiguration: 'GENERAL_REVIEW.BAD_CONFIGURATION',
} as const;

/** The step name of the objection task during a notice; no configured step may take it. */
export const OBJECTION_STEP = 'objection-review';

/**
 * What makes a configuration runnable: unique step names, a review step first and last, no two notices in a row
 * (an upheld objection goes back to the step before the notice), outcomes that fit the kind, reasons for every
 * step that can reject, and a positive whole limit. Returns the problems found (empty when valid).
 */
export function configurationProblems(configuration: GeneralReviewConfiguration): string[] {
  const problems: string[] = [];
  const { steps } = configuration;
  const names = steps.map((step) => step.step);
  if (steps.length === 0) problems.push('no steps');
  if (new Set(names).size !== names.length) problems.push('step names repeat');
  if (names.includes(OBJECTION_STEP)) problems.push(`"${OBJECTION_STEP}" is reserved for objections`);
  if (steps[0]?.kind === 'public-notice') problems.push('starts with a public notice');
  if (steps.at(-1)?.kind === 'public-notice') problems.push('ends with a public notice');
  if (steps.at(-1) !== undefined && !steps.at(-1)!.outcomes.includes('approve'))
    problems.push('the last step cannot approve');
  steps.forEach((step, index) => {
    const at = `${step.step}:`;
    if (step.kind === 'public-notice') {
      if (step.outcomes.length > 0 || step.rejectReasons.length > 0) problems.push(`${at} a notice takes no decisions`);
      if (steps[index + 1]?.kind === 'public-notice') problems.push(`${at} two notices in a row`);
    } else if (!step.outcomes.includes('approve')) {
      problems.push(`${at} cannot approve`);
    }
    if (step.outcomes.includes('reject') !== step.rejectReasons.length > 0)
      problems.push(`${at} rejects without reasons, or lists reasons it cannot use`);
    if (step.kind === 'acceptance' && step.outcomes.includes('reject'))
      problems.push(`${at} acceptance only accepts or returns`);
    if (step.kind === 'assessment' && step.outcomes.some((outcome) => outcome !== 'approve'))
      problems.push(`${at} an assessment decides nothing`);
    if (!Number.isInteger(step.limit.amount) || step.limit.amount <= 0) problems.push(`${at} bad limit`);
  });
  return problems;
}

export function assertConfiguration(configuration: GeneralReviewConfiguration): GeneralReviewConfiguration {
  const problems = configurationProblems(configuration);
  if (problems.length > 0) {
    throw new DomainError(GENERAL_REVIEW_ERRORS.badConfiguration, `${configuration.itemCode}: ${problems.join('; ')}`, {
      field: 'steps',
      problems,
    });
  }
  return configuration;
}
