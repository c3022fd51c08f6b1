import { calendarDays, workingDays } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 临时救助 (temporary assistance, item BPS-069): limits and rejection reasons as data. 社会救助暂行办法 arts. 47–49
 * [V L1]; the Xinjiang notice [S P6] and the Kashgar procedure [S P7] (docs/domain.md §3.3). The amount caps are
 * not here: they are multiples of the regional 低保 standard, computed by the domain and passed in as input.
 */
export const TEMPORARY_ASSISTANCE_LIMITS = {
  /** Investigation, review and approval within 15 working days in principle. */
  overall: workingDays(
    15,
    'P7 (喀什 temporary-assistance procedure)',
    'S',
    'stated for the general procedure; applied to the emergency type from the relief onwards [G]',
  ),
  /** Paperwork after 先行救助: Xinjiang's limit is unknown; a Yunnan example allows 5 working days [S P8]. */
  paperwork: workingDays(5, 'P8 (楚雄, Yunnan example); Xinjiang limit unknown', 'G'),
  /** L1 art. 48 requires a public notice; its length is not stated anywhere found. */
  publicNotice: calendarDays(7, 'L1 art. 48 (notice required; length unknown)', 'G', {
    note: 'length borrowed from the 低保 notice (民发〔2021〕57号)',
  }),
} as const;

const p7 = { citation: 'P7 (喀什 temporary-assistance procedure)', evidence: 'S' } as const;

export const NOT_QUALIFYING_SITUATION: RejectReason = {
  code: 'NOT_QUALIFYING_SITUATION',
  labelZh: '不属于临时救助对象范围',
  source: { citation: 'L1 art. 47 (社会救助暂行办法)', evidence: 'V' },
};
export const COVERED_BY_OTHER_SCHEME: RejectReason = {
  code: 'COVERED_BY_OTHER_SCHEME',
  labelZh: '困难已通过其他救助制度解决',
  source: p7,
};
export const ALREADY_ASSISTED_THIS_YEAR: RejectReason = {
  code: 'ALREADY_ASSISTED_THIS_YEAR_FOR_CAUSE',
  labelZh: '同一对象同一事由当年已获临时救助',
  source: p7,
};
export const MEANS_TEST_FAILED: RejectReason = {
  code: 'MEANS_TEST_FAILED',
  labelZh: '家庭经济状况不符合支出型救助条件',
  source: p7,
};
export const FALSE_DECLARATION: RejectReason = {
  code: 'FALSE_DECLARATION',
  labelZh: '隐瞒或虚报有关情况',
  source: { citation: 'L1 art. 68 (社会救助暂行办法)', evidence: 'V' },
};
export const OBJECTION_UPHELD: RejectReason = {
  code: 'OBJECTION_UPHELD',
  labelZh: '公示期间异议经核实成立',
  source: { citation: 'L1 art. 48 (公示)', evidence: 'G' },
};

export const EMERGENCY_RELIEF_REASONS: readonly RejectReason[] = [NOT_QUALIFYING_SITUATION, COVERED_BY_OTHER_SCHEME];
export const PAPERWORK_REASONS: readonly RejectReason[] = [
  NOT_QUALIFYING_SITUATION,
  COVERED_BY_OTHER_SCHEME,
  FALSE_DECLARATION,
];
export const MEANS_CHECK_REASONS: readonly RejectReason[] = [
  NOT_QUALIFYING_SITUATION,
  COVERED_BY_OTHER_SCHEME,
  MEANS_TEST_FAILED,
  FALSE_DECLARATION,
  OBJECTION_UPHELD,
];
export const REPEAT_REVIEW_REASONS: readonly RejectReason[] = [ALREADY_ASSISTED_THIS_YEAR];
export const APPROVAL_REASONS: readonly RejectReason[] = [
  NOT_QUALIFYING_SITUATION,
  COVERED_BY_OTHER_SCHEME,
  MEANS_TEST_FAILED,
  FALSE_DECLARATION,
];

/** One approval may be paid in several instalments (一次审批、分次救助 [S P6]); at most one a month for a year [G]. */
export const MAX_INSTALMENTS = 12;

/**
 * Splits an amount into `count` instalments of whole fen; the remainder goes to the first ones, so the
 * instalments differ by at most one fen and always add up to the amount.
 */
export function splitInstalments(amountFen: number, count: number): number[] {
  const base = Math.floor(amountFen / count);
  const remainder = amountFen - base * count;
  return Array.from({ length: count }, (_, index) => base + (index < remainder ? 1 : 0));
}
