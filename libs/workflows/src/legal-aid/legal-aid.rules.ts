import { calendarDays, workingDays, type Limit } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 法律援助 (legal aid, item BPS-071): limits and reasons as data. 《法律援助法》 [V L2] (docs/domain.md §3.7).
 *
 * The Law says "7日", "3日", "5日" without saying working days. Read as written, they are calendar days counted
 * under 民事诉讼法 art. 85 (first day not counted, a period ending on a rest day runs to the next working day);
 * the 2012 ministerial rule and local guides say working days [S P44]. The case chooses (docs/domain.md §3.7: make the
 * calendar type configurable per deadline [G]).
 */
export const DAY_COUNTINGS = ['calendar-days', 'working-days'] as const;
export type DayCounting = (typeof DAY_COUNTINGS)[number];

function legalAidDays(amount: number, citation: string, counting: DayCounting): Limit {
  return counting === 'working-days'
    ? workingDays(
        amount,
        citation,
        'V',
        'the Law says "日"; counted in working days as the 2012 rule and local guides do [S P44]',
      )
    : calendarDays(amount, citation, 'V', {
        rollForward: true,
        note: 'the Law says "日": calendar days under 民事诉讼法 art. 85 [G]',
      });
}

export function legalAidLimits(counting: DayCounting) {
  return {
    /** Review and decide whether to grant aid: 7日 from receipt. */
    review: legalAidDays(7, 'L2 art. 43 (法律援助法)', counting),
    /** Assign a legal aid worker: 3日 from the decision to grant. */
    assignment: legalAidDays(3, 'L2 art. 43 (法律援助法)', counting),
    /**
     * How long the applicant has to supply what an incomplete file lacks before it is deemed withdrawn (art. 43
     * para. 2). The Law names no period; the review's own 7日, counted as the case counts its days, is used [G].
     */
    supplementWindow: legalAidDays(
      7,
      'L2 art. 43 para. 2 (法律援助法); period not set, the review limit used',
      counting,
    ),
    /** The justice bureau decides an objection to a refusal: 5日. */
    objectionReview: legalAidDays(5, 'L2 art. 49 (法律援助法)', counting),
    /**
     * How long a refusal stays open to an objection: the Law sets no limit. 60 days, the period for the further
     * remedy of administrative reconsideration (L12 art. 20), is a working assumption.
     */
    objectionWindow: calendarDays(60, 'none found; L12 art. 20 (行政复议法) used as the outer bound', 'G'),
  } as const;
}

export const LEGAL_AID_REASONS: readonly RejectReason[] = [
  {
    code: 'NOT_IN_ECONOMIC_DIFFICULTY',
    labelZh: '不符合经济困难标准',
    source: { citation: 'L2 arts. 31, 34 (法律援助法)', evidence: 'V' },
  },
  {
    code: 'MATTER_NOT_COVERED',
    labelZh: '申请事项不属于法律援助范围',
    source: { citation: 'L2 arts. 31, 32 (法律援助法)', evidence: 'V' },
  },
  {
    code: 'NOT_COMPETENT_AGENCY',
    labelZh: '不属于本机构受理范围',
    source: { citation: 'L2 art. 38 (法律援助法)', evidence: 'V' },
  },
];
