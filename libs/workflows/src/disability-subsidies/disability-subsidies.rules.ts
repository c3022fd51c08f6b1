import { calendarDays, workingDays } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 困难残疾人生活补贴和重度残疾人护理补贴 (the two disability subsidies, item BPS-072): limits and reasons as data.
 * Xinjiang: 新民规发〔2022〕3号 [S C1]; national: 国发〔2015〕52号 [R]. The Xinjiang step limits are unknown; the
 * limits below are the Guangde and Yongqiao examples [S P16, P17] (docs/domain.md §3.4).
 */
export const DISABILITY_SUBSIDY_LIMITS = {
  streetCheck: workingDays(10, 'P16 (广德, local example); Xinjiang limit unknown', 'S'),
  publicNotice: calendarDays(7, 'P16 (广德, "不少于7天"); Xinjiang unknown', 'S', {
    note: 'read as calendar days [G]',
  }),
  certificateVerification: workingDays(10, 'P16, P17 (local examples); Xinjiang limit unknown', 'S'),
} as const;

export const SUBSIDIES = ['living', 'nursing'] as const;
/** 生活补贴 (living, for disabled people in 低保 households) and 护理补贴 (nursing, for grades 1–2). */
export type Subsidy = (typeof SUBSIDIES)[number];

export const ENTITLEMENT_OF: Record<Subsidy, string> = {
  living: 'disability-living-subsidy',
  nursing: 'disability-nursing-subsidy',
};

/** Nursing subsidy: severe disability, grade 1 or 2 [S C1]. */
export const NURSING_MAX_GRADE = 2;

const c1 = { citation: 'C1 (新民规发〔2022〕3号)', evidence: 'S' } as const;
const n52 = { citation: '国发〔2015〕52号', evidence: 'R' } as const;

export const NO_VALID_CERTIFICATE: RejectReason = {
  code: 'NO_VALID_DISABILITY_CERTIFICATE',
  labelZh: '未持有效的第二代残疾人证',
  source: c1,
};
export const NOT_LOCAL_REGISTRATION: RejectReason = {
  code: 'NOT_LOCAL_HOUSEHOLD_REGISTRATION',
  labelZh: '非新疆户籍',
  source: c1,
};
export const RECEIVES_EXTREME_POVERTY_SUPPORT: RejectReason = {
  code: 'RECEIVES_EXTREME_POVERTY_SUPPORT',
  labelZh: '已纳入特困人员救助供养',
  source: n52,
};

/** Reasons that apply to both subsidies (and to a rejection of the whole application). */
export const COMMON_REASONS: readonly RejectReason[] = [
  NO_VALID_CERTIFICATE,
  NOT_LOCAL_REGISTRATION,
  RECEIVES_EXTREME_POVERTY_SUPPORT,
];

export const REASONS_BY_SUBSIDY: Record<Subsidy, readonly RejectReason[]> = {
  living: [
    ...COMMON_REASONS,
    { code: 'NOT_IN_MINIMUM_LIVING_HOUSEHOLD', labelZh: '非最低生活保障家庭成员', source: c1 },
    { code: 'RECEIVES_ORPHAN_SUPPORT', labelZh: '已享受孤儿基本生活保障', source: n52 },
  ],
  nursing: [
    ...COMMON_REASONS,
    { code: 'NOT_SEVERE_DISABILITY', labelZh: '残疾等级非一、二级', source: c1 },
    { code: 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE', labelZh: '已享受同类且标准更高的护理补贴（就高享受）', source: n52 },
  ],
};

/** Every reason code any step of this procedure may give. */
export const ALL_DISABILITY_SUBSIDY_REASONS: readonly RejectReason[] = [
  ...COMMON_REASONS,
  ...REASONS_BY_SUBSIDY.living.slice(COMMON_REASONS.length),
  ...REASONS_BY_SUBSIDY.nursing.slice(COMMON_REASONS.length),
];
