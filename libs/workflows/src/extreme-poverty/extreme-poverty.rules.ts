import { calendarDays, workingDays } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 特困人员救助供养 (support for destitute persons, item BPS-066): limits and rejection reasons as data.
 * 社会救助暂行办法 arts. 14–18 [V L1] (art. 16 applies the 低保 procedure); 民发〔2021〕43号 [R] (docs/domain.md §3.2).
 */
export const EXTREME_POVERTY_LIMITS = {
  /** Investigation and review opinion by the 乡镇/街道, counted from acceptance. */
  investigationAndOpinion: workingDays(15, '民发〔2021〕43号', 'R', 'local examples use 10 working days [S P13, P15]'),
  publicNotice: calendarDays(7, '民发〔2021〕43号; P13, P15', 'R', { note: '"7天" read as calendar days [G]' }),
  /** No national limit for a new opinion after an objection: the 低保 rule is applied by analogy (L1 art. 16). */
  reinvestigation: workingDays(15, '民发〔2021〕57号 by analogy (L1 art. 16)', 'G'),
  /** County confirmation: no national limit found; a local example allows 20 working days. */
  confirmation: workingDays(20, 'P14 (石台镇, local example, not an Urumqi rule)', 'S'),
} as const;

/** 生活自理能力 levels: defined once in the domain with the care standards they set. */
export { SELF_CARE_LEVELS, type SelfCareLevel } from '@minsheng/domain';

export const SUPPORT_FORMS = ['institutional', 'home'] as const;
/** 集中供养 (in an institution) or 分散供养 (at home), at the person's choice (L1 art. 19 [V]). */
export type SupportForm = (typeof SUPPORT_FORMS)[number];

const art14 = { citation: 'L1 art. 14 (社会救助暂行办法)', evidence: 'V' } as const;

export const EXTREME_POVERTY_REASONS: readonly RejectReason[] = [
  { code: 'CAPABLE_OF_WORK', labelZh: '具有劳动能力', source: art14 },
  { code: 'HAS_INCOME_OR_ASSETS', labelZh: '有生活来源（收入或财产超过规定）', source: art14 },
  { code: 'SUPPORT_OBLIGOR_ABLE', labelZh: '有法定赡养、抚养、扶养义务人且其有履行能力', source: art14 },
  { code: 'NOT_IN_TARGET_GROUP', labelZh: '不属于老年人、残疾人或未满16周岁的未成年人', source: art14 },
  {
    code: 'FALSE_DECLARATION',
    labelZh: '隐瞒或虚报有关情况',
    source: { citation: 'L1 art. 68 (社会救助暂行办法)', evidence: 'V' },
  },
];

export const EXTREME_POVERTY_REINVESTIGATION_REASONS: readonly RejectReason[] = [
  ...EXTREME_POVERTY_REASONS,
  {
    code: 'OBJECTION_UPHELD',
    labelZh: '公示期间异议经核实成立',
    source: { citation: '民发〔2021〕43号', evidence: 'R' },
  },
];
