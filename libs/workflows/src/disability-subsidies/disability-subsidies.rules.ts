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

export const NOT_IN_MINIMUM_LIVING_HOUSEHOLD: RejectReason = {
  code: 'NOT_IN_MINIMUM_LIVING_HOUSEHOLD',
  labelZh: '非最低生活保障家庭成员',
  source: c1,
};
export const RECEIVES_ORPHAN_SUPPORT: RejectReason = {
  code: 'RECEIVES_ORPHAN_SUPPORT',
  labelZh: '已享受孤儿基本生活保障',
  source: n52,
};
export const NOT_SEVERE_DISABILITY: RejectReason = {
  code: 'NOT_SEVERE_DISABILITY',
  labelZh: '残疾等级非一、二级',
  source: c1,
};

/** The reasons of one machine version: those that refuse every subsidy applied for, and those of each subsidy. */
export interface DisabilitySubsidyReasons {
  /** Reasons that apply to both subsidies (and to a rejection of the whole application). */
  readonly common: readonly RejectReason[];
  readonly bySubsidy: Readonly<Record<Subsidy, readonly RejectReason[]>>;
  /** Every reason code any step of the version may give. */
  readonly all: readonly RejectReason[];
}

function reasonsOf(
  common: readonly RejectReason[],
  own: Readonly<Record<Subsidy, readonly RejectReason[]>>,
): DisabilitySubsidyReasons {
  const all = [...common, ...own.living, ...own.nursing].filter(
    (reason, index, list) => list.findIndex((other) => other.code === reason.code) === index,
  );
  return {
    common,
    bySubsidy: { living: [...common, ...own.living], nursing: [...common, ...own.nursing] },
    all,
  };
}

/**
 * Version 1: the Xinjiang-registration condition refuses both subsidies, and the "take the higher of similar
 * allowances" rule is given for the nursing subsidy only. Kept for the cases that run on it.
 */
const VERSION_1 = reasonsOf([NO_VALID_CERTIFICATE, NOT_LOCAL_REGISTRATION, RECEIVES_EXTREME_POVERTY_SUPPORT], {
  living: [NOT_IN_MINIMUM_LIVING_HOUSEHOLD, RECEIVES_ORPHAN_SUPPORT],
  nursing: [
    NOT_SEVERE_DISABILITY,
    { code: 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE', labelZh: '已享受同类且标准更高的护理补贴（就高享受）', source: n52 },
  ],
});

/**
 * A similar allowance (for elderly or work-injured people, say) that pays more is taken instead of either subsidy
 * (国发〔2015〕52号 [R]; 民发〔2021〕52号 keeps the rule), docs/domain.md §3.4.
 */
export const RECEIVES_HIGHER_SIMILAR_ALLOWANCE: RejectReason = {
  code: 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE',
  labelZh: '已享受同类且标准更高的补贴（就高享受）',
  source: { citation: '国发〔2015〕52号; 民发〔2021〕52号', evidence: 'R' },
};

/**
 * Version 2 (docs/domain.md §3.4): Xinjiang registration is a condition of the living subsidy only (新民规发〔2022〕3号
 * [S C1] gives it there), and the higher similar allowance is taken instead of either subsidy.
 */
const VERSION_2 = reasonsOf([NO_VALID_CERTIFICATE, RECEIVES_EXTREME_POVERTY_SUPPORT], {
  living: [
    NOT_LOCAL_REGISTRATION,
    NOT_IN_MINIMUM_LIVING_HOUSEHOLD,
    RECEIVES_ORPHAN_SUPPORT,
    RECEIVES_HIGHER_SIMILAR_ALLOWANCE,
  ],
  nursing: [NOT_SEVERE_DISABILITY, RECEIVES_HIGHER_SIMILAR_ALLOWANCE],
});

export const DISABILITY_SUBSIDY_VERSIONS = [1, 2] as const;
export type DisabilitySubsidiesVersion = (typeof DISABILITY_SUBSIDY_VERSIONS)[number];

export const DISABILITY_SUBSIDY_REASONS: Readonly<Record<DisabilitySubsidiesVersion, DisabilitySubsidyReasons>> = {
  1: VERSION_1,
  2: VERSION_2,
};

/** The reasons of the latest version, for new cases. */
export const REASONS_BY_SUBSIDY = VERSION_2.bySubsidy;
