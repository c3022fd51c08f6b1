import { calendarDays, workingDays } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';

/**
 * 最低生活保障 (minimum living allowance, items BPS-064 and BPS-073): limits and rejection reasons as data.
 * 社会救助暂行办法 arts. 9–13 [V L1]; 民发〔2021〕57号 《最低生活保障审核确认办法》 [R] (docs/domain.md §3.1).
 */
export const MINIMUM_LIVING_LIMITS = {
  /** The means investigation starts within 3 working days of acceptance. */
  investigationStart: workingDays(
    3,
    '民发〔2021〕57号',
    'R',
    'a limit on starting the investigation, not on finishing it',
  ),
  /** 公示 7天 in the village or community. */
  publicNotice: calendarDays(7, '民发〔2021〕57号; P9, P11', 'R', { note: '"7天" read as calendar days [G]' }),
  /** After an objection: investigate again and give a new opinion within 15 working days. */
  reinvestigation: workingDays(15, '民发〔2021〕57号', 'R'),
  /** The written rejection with reasons goes out through the 乡镇/街道 within 3 working days of the decision. */
  rejectionNotice: workingDays(3, '民发〔2021〕57号', 'R'),
  /** From acceptance to decision: 30 working days ... */
  overall: workingDays(30, '民发〔2021〕57号; P10', 'R'),
  /** ... extendable to 45 in special cases, with the reason recorded. */
  overallExtended: workingDays(45, '民发〔2021〕57号; P10', 'R'),
} as const;

export const INCOME_ABOVE_STANDARD: RejectReason = {
  code: 'INCOME_ABOVE_STANDARD',
  labelZh: '共同生活家庭成员人均收入不低于当地最低生活保障标准',
  source: { citation: 'L1 art. 9 (社会救助暂行办法)', evidence: 'V' },
};
export const ASSETS_ABOVE_LIMITS: RejectReason = {
  code: 'ASSETS_ABOVE_LIMITS',
  labelZh: '家庭财产状况不符合当地规定',
  source: { citation: 'L1 art. 9 (社会救助暂行办法)', evidence: 'V' },
};
export const REFUSED_DATA_CHECK: RejectReason = {
  code: 'REFUSED_DATA_CHECK',
  labelZh: '拒绝签署家庭经济状况核对授权书或不配合调查',
  source: { citation: '民发〔2021〕57号', evidence: 'R' },
};
export const FALSE_DECLARATION: RejectReason = {
  code: 'FALSE_DECLARATION',
  labelZh: '隐瞒或虚报家庭收入、财产状况',
  source: { citation: 'L1 art. 68 (社会救助暂行办法)', evidence: 'V' },
};
export const OBJECTION_UPHELD: RejectReason = {
  code: 'OBJECTION_UPHELD',
  labelZh: '公示期间异议经核实成立',
  source: { citation: '民发〔2021〕57号', evidence: 'R' },
};

/** Reasons any review step may give. */
export const MINIMUM_LIVING_REASONS: readonly RejectReason[] = [
  INCOME_ABOVE_STANDARD,
  ASSETS_ABOVE_LIMITS,
  REFUSED_DATA_CHECK,
  FALSE_DECLARATION,
];

/** After an upheld objection the new opinion may also rest on the objection itself. */
export const MINIMUM_LIVING_REINVESTIGATION_REASONS: readonly RejectReason[] = [
  ...MINIMUM_LIVING_REASONS,
  OBJECTION_UPHELD,
];
