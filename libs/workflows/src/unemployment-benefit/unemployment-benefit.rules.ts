import { workingDays } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 失业保险金 (unemployment benefit, item BPS-032): limits, reasons and the benefit period as data.
 * 社会保险法 arts. 45–51 [V L4]; 社会保险经办条例 art. 24 [V L10] (docs/domain.md §3.9).
 */
export const UNEMPLOYMENT_BENEFIT_LIMITS = {
  /** The social insurance handling office finishes the claim within 10 working days. */
  review: workingDays(10, 'L10 art. 24 (社会保险经办条例)', 'V'),
} as const;

const art45 = { citation: 'L4 art. 45 (社会保险法)', evidence: 'V' } as const;
const art51 = { citation: 'L4 art. 51 (社会保险法)', evidence: 'V' } as const;

export const NOT_REGISTERED_UNEMPLOYED: RejectReason = {
  code: 'NOT_REGISTERED_UNEMPLOYED',
  labelZh: '未办理失业登记',
  source: art45,
};

export const UNEMPLOYMENT_BENEFIT_REASONS: readonly RejectReason[] = [
  { code: 'INSUFFICIENT_CONTRIBUTIONS', labelZh: '失业前用人单位和本人累计缴费不满一年', source: art45 },
  { code: 'VOLUNTARY_RESIGNATION', labelZh: '非因本人意愿中断就业的条件不满足', source: art45 },
  NOT_REGISTERED_UNEMPLOYED,
  { code: 'ALREADY_RECEIVING_PENSION', labelZh: '已享受基本养老保险待遇', source: art51 },
  { code: 'ALREADY_REEMPLOYED', labelZh: '已重新就业', source: art51 },
];

/** At least one year of contributions by employer and employee (L4 art. 45). */
export const MIN_CONTRIBUTION_MONTHS = 12;

/**
 * The longest benefit period for the cumulative contributions (L4 art. 46): under 5 years 12 months, 5 to under 10
 * years 18 months, 10 years or more 24 months.
 */
export function maxBenefitMonths(contributionMonths: number): 12 | 18 | 24 {
  if (contributionMonths >= 120) return 24;
  if (contributionMonths >= 60) return 18;
  return 12;
}

/**
 * After new work and a new job loss, the period not yet drawn from the earlier entitlement is added to the new one,
 * up to 24 months in all (失业保险条例 art. 17 [V L3]; docs/domain.md §3.9).
 */
export const MAX_COMBINED_BENEFIT_MONTHS = 24;

/** The benefit period of a claim: the contributions' period plus a remaining earlier one, at most 24 months. */
export function combinedBenefitMonths(contributionMonths: number, remainingMonths = 0): number {
  return Math.min(MAX_COMBINED_BENEFIT_MONTHS, maxBenefitMonths(contributionMonths) + remainingMonths);
}

/**
 * The benefit stops, and the stop is recorded with one of these grounds (社会保险法 art. 51 [V L4]): new work,
 * military service, settling abroad, a basic pension, refusing without good reason the suitable work or training the
 * designated agency offers. Machine versions 1 and 2 accept these five (docs/domain.md §3.9).
 */
export const ART_51_STOP_REASONS: readonly RejectReason[] = [
  { code: 'STOP_REEMPLOYED', labelZh: '重新就业', source: art51 },
  { code: 'STOP_MILITARY_SERVICE', labelZh: '应征服兵役', source: art51 },
  { code: 'STOP_SETTLED_ABROAD', labelZh: '移居境外', source: art51 },
  { code: 'STOP_PENSION', labelZh: '享受基本养老保险待遇', source: art51 },
  {
    code: 'STOP_REFUSED_SUITABLE_WORK',
    labelZh: '无正当理由拒不接受当地人民政府指定部门或者机构介绍的适当工作或者提供的培训',
    source: art51,
  },
];

/**
 * 失业保险条例 art. 15 [V L3] lists, besides the grounds of art. 51, a sentence served in prison (被判刑收监执行,
 * art. 15 item 5). Its other extra grounds are not modelled: 劳动教养 (same item) was abolished in 2013 [R], and item 7
 * ("other cases laws and administrative regulations set") names no ground of its own (docs/domain.md §3.9).
 */
export const STOP_IMPRISONED: RejectReason = {
  code: 'STOP_IMPRISONED',
  labelZh: '被判刑收监执行',
  source: { citation: 'L3 art. 15 (失业保险条例)', evidence: 'V' },
};

/** The stop grounds of machine version 3 and later: art. 51's five and art. 15's prison sentence. */
export const BENEFIT_STOP_REASONS: readonly RejectReason[] = [...ART_51_STOP_REASONS, STOP_IMPRISONED];

/**
 * The person, the employer or relatives report a stop event to the handling office within 20 working days
 * (社会保险经办条例 art. 25 [V L10]); the grant states the duty and a stop records when the event happened and when it
 * was reported.
 */
export const REPORTING_DUTY = workingDays(20, 'L10 art. 25 (社会保险经办条例)', 'V');
