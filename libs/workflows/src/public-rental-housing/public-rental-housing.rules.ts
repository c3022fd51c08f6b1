import { calendarDays, workingDays, type Limit } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 公租房保障 (public rental housing, item BPS-060): limits and reasons as data. 住房和城乡建设部令第11号
 * 《公共租赁住房管理办法》 (2012) [R]; social-assistance link 社会救助暂行办法 arts. 37–40 [V L1] (docs/domain.md §3.8).
 * Urumqi's thresholds, waiting rules and rents are unknown; no limit is known for the first review.
 */
export const PUBLIC_RENTAL_HOUSING_LIMITS = {
  /** The notice of qualified applicants: required, length unknown. */
  publicNotice: calendarDays(7, '住房和城乡建设部令第11号 (notice required; length unknown)', 'G', {
    note: 'length borrowed from the 低保 notice',
  }),
  /** 复核: the result of a re-review requested by the applicant within 15 working days. */
  reReview: workingDays(15, '住房和城乡建设部令第11号', 'R'),
  /** How long a refusal stays open to a re-review request: no limit found. */
  reReviewWindow: calendarDays(60, 'none found; L12 art. 20 (行政复议法) used as the outer bound', 'G'),
  /** 轮候: the wait on the list is normally at most 5 years (machine version 2 runs it as a clock). */
  waiting: {
    amount: 60,
    unit: 'months',
    source: { citation: '住房和城乡建设部令第11号', evidence: 'R' },
    note: '"原则上不超过5年": a limit on the authority, counted from registration on the list',
  },
  /** 租赁期限: a lease runs at most 5 years; machine version 3 runs it as a period from the allocation. */
  lease: {
    amount: 60,
    unit: 'months',
    source: { citation: '住房和城乡建设部令第11号', evidence: 'R' },
    note: '"一般不超过5年": the longest lease, counted from the allocation; its end ends the case (renewal is a new application)',
  },
} as const satisfies Record<string, Limit>;

/** A lease runs at most 5 years (住房和城乡建设部令第11号 [R]); from version 2 the allocation's grant states it. */
export const LEASE_AT_MOST_MONTHS = PUBLIC_RENTAL_HOUSING_LIMITS.lease.amount;

const order11 = { citation: '住房和城乡建设部令第11号', evidence: 'R' } as const;

export const MEANS_CHECK_REASONS: readonly RejectReason[] = [
  { code: 'INCOME_ABOVE_LIMIT', labelZh: '家庭收入超过规定标准', source: order11 },
  { code: 'ASSETS_ABOVE_LIMIT', labelZh: '家庭财产超过规定标准', source: order11 },
];

export const HOUSING_REVIEW_REASONS: readonly RejectReason[] = [
  ...MEANS_CHECK_REASONS,
  { code: 'HAS_ADEQUATE_HOUSING', labelZh: '不属于住房困难家庭', source: order11 },
  { code: 'FALSE_DECLARATION', labelZh: '提交虚假材料或隐瞒有关情况', source: order11 },
  { code: 'OBJECTION_UPHELD', labelZh: '公示期间异议经核实成立', source: order11 },
];
