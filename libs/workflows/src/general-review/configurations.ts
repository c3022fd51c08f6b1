import type { Level } from '@minsheng/domain';
import type { DepartmentCode, ServiceItemCode } from '@minsheng/domain';
import { calendarDays, workingDays, type Limit } from '../limits.js';
import type { RejectReason } from '../reject-reason.js';
import { assertConfiguration, type GeneralReviewConfiguration, type GeneralReviewStep } from './review-step.js';

/**
 * The steps of every application item without a procedure of its own (docs/domain.md §1.3, §2, §3.10–§3.17), as
 * data for the one general-review machine. Limits come from docs/domain.md where it has them; every other limit is
 * a working assumption tagged [G], to be replaced when the Urumqi rule is found.
 */

/** Working assumptions for steps whose limit no source gives. */
export const ASSUMED_LIMITS = {
  acceptance: workingDays(5, 'no source found; acceptance as for licensing (行政许可法 art. 32) by analogy', 'G'),
  institutionAssessment: workingDays(10, 'no source found', 'G'),
  communityAssessment: workingDays(10, 'no source found', 'G'),
  streetReview: workingDays(10, 'no source found; comparable street checks take 10 working days (P16)', 'G'),
  districtDecision: workingDays(
    20,
    'no source found; comparable county confirmations take up to 20 working days (P14)',
    'G',
  ),
  socialInsuranceClaim: workingDays(20, 'no source found; the longest handling limit of L10 (art. 18) by analogy', 'G'),
  publicNotice: calendarDays(7, 'no source found; 7 days as for the 低保 notice', 'G'),
  /** A three-party agreement (township, village, household) signed after a renovation is approved. */
  agreement: workingDays(10, 'no source found', 'G'),
  /** Building a renovated rural house. */
  construction: { amount: 6, unit: 'months', source: { citation: 'no source found', evidence: 'G' } },
  completionCheck: workingDays(10, 'no source found', 'G'),
  payment: workingDays(10, 'no source found', 'G'),
} as const;

const s = (citation: string) => ({ citation, evidence: 'G' }) as const;

/** Reasons shared by the general-review items; item rules beyond the reference are unknown. */
export const GENERAL_REVIEW_REASONS = {
  notEligible: {
    code: 'NOT_ELIGIBLE',
    labelZh: '不符合申请条件',
    source: s('item rules unknown (docs/domain.md §1.3)'),
  },
  falseDeclaration: {
    code: 'FALSE_DECLARATION',
    labelZh: '提供虚假材料或隐瞒有关情况',
    source: s('general principle'),
  },
  objectionUpheld: {
    code: 'OBJECTION_UPHELD',
    labelZh: '公示期间异议经核实成立',
    source: s('follows from the public notice'),
  },
  notInsured: {
    code: 'NOT_INSURED',
    labelZh: '未参加该项社会保险或不符合待遇条件',
    source: { citation: 'L4 (社会保险法)', evidence: 'R' },
  },
  notWorkInjury: {
    code: 'NOT_WORK_INJURY',
    labelZh: '不属于应当认定为工伤的情形',
    source: { citation: 'L14 arts. 14–16 (工伤保险条例)', evidence: 'R' },
  },
  pensionTransferOutOfTime: {
    code: 'APPLICATION_WINDOW_PASSED',
    labelZh: '退出现役后超过60日未申请转移伤残抚恤关系',
    source: { citation: 'L9 art. 30 (军人抚恤优待条例)', evidence: 'V' },
  },
  applicationOutOfTime: {
    code: 'APPLICATION_OUT_OF_TIME',
    labelZh: '超过工伤认定申请时限',
    source: { citation: 'L14 art. 17 (工伤保险条例: 30 days; 1 year for the worker [R])', evidence: 'V' },
  },
} as const satisfies Record<string, RejectReason>;

const R = GENERAL_REVIEW_REASONS;
const ELIGIBILITY = [R.notEligible.code, R.falseDeclaration.code];
/** For steps that may rest a rejection on an objection upheld during a notice. */
const MAY_CITE_OBJECTION = [...ELIGIBILITY, R.objectionUpheld.code];

type StepOptions = { readonly department?: DepartmentCode; readonly reasons?: readonly string[] };

function withDepartment(step: GeneralReviewStep, department?: DepartmentCode): GeneralReviewStep {
  return department === undefined ? step : { ...step, department };
}

function acceptance(level: Level, limit: Limit = ASSUMED_LIMITS.acceptance): GeneralReviewStep {
  return { step: 'acceptance', level, kind: 'acceptance', limit, outcomes: ['approve', 'return'], rejectReasons: [] };
}

/** An opinion that decides nothing (民主评议, a school's assessment, a needs assessment). */
function assessment(step: string, level: Level, limit: Limit, options: StepOptions = {}): GeneralReviewStep {
  return withDepartment(
    { step, level, kind: 'assessment', limit, outcomes: ['approve'], rejectReasons: [] },
    options.department,
  );
}

function review(step: string, level: Level, limit: Limit, options: StepOptions = {}): GeneralReviewStep {
  return withDepartment(
    {
      step,
      level,
      kind: 'review',
      limit,
      outcomes: ['approve', 'reject', 'return'],
      rejectReasons: options.reasons ?? ELIGIBILITY,
    },
    options.department,
  );
}

function decision(step: string, level: Level, limit: Limit, options: StepOptions = {}): GeneralReviewStep {
  return withDepartment(
    {
      step,
      level,
      kind: 'decision',
      limit,
      outcomes: ['approve', 'reject'],
      rejectReasons: options.reasons ?? ELIGIBILITY,
    },
    options.department,
  );
}

/** Something done and recorded (an agreement signed, a post given, a payment made): it cannot refuse. */
function verification(step: string, level: Level, limit: Limit): GeneralReviewStep {
  return { step, level, kind: 'verification', limit, outcomes: ['approve'], rejectReasons: [] };
}

function notice(step: string, level: Level, limit: Limit = ASSUMED_LIMITS.publicNotice): GeneralReviewStep {
  return { step, level, kind: 'public-notice', limit, outcomes: [], rejectReasons: [] };
}

/** A claim the social insurance handling office (经办机构) settles within a statutory limit. */
function socialInsuranceClaim(limit: Limit, level: Level = 'district'): readonly GeneralReviewStep[] {
  return [review('benefit-review', level, limit, { reasons: [R.notInsured.code, R.falseDeclaration.code] })];
}

/** Applied for at the street office, decided by the district bureau: the common shape of civil-affairs items. */
function streetThenDistrict(): readonly GeneralReviewStep[] {
  return [
    review('street-review', 'street', ASSUMED_LIMITS.streetReview),
    decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision),
  ];
}

/** Decided by the district bureau that receives the application. */
function districtOnly(): readonly GeneralReviewStep[] {
  return [acceptance('district'), decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision)];
}

/**
 * A student-aid item handled through the school: the school assesses (an institution, modelled at community
 * level, the level closest to the applicant [G]), posts the result, and the district education bureau decides.
 */
function throughSchool(noticeLimit: Limit): readonly GeneralReviewStep[] {
  return [
    review('school-assessment', 'community', ASSUMED_LIMITS.institutionAssessment, { reasons: MAY_CITE_OBJECTION }),
    notice('school-notice', 'community', noticeLimit),
    decision('education-review', 'district', ASSUMED_LIMITS.districtDecision),
  ];
}

/** Family-planning support: the community posts the list, the street reviews, the district health commission confirms. */
function familyPlanning(noticeLimit: Limit = ASSUMED_LIMITS.publicNotice): readonly GeneralReviewStep[] {
  return [
    acceptance('street'),
    assessment('community-assessment', 'community', ASSUMED_LIMITS.communityAssessment),
    notice('public-notice', 'community', noticeLimit),
    review('street-review', 'street', ASSUMED_LIMITS.streetReview, { reasons: MAY_CITE_OBJECTION }),
    decision('health-confirmation', 'district', ASSUMED_LIMITS.districtDecision),
  ];
}

function item(
  itemCode: ServiceItemCode,
  nameZh: string,
  entitlement: string,
  steps: readonly GeneralReviewStep[],
): GeneralReviewConfiguration {
  return assertConfiguration({ itemCode, nameZh, entitlement, steps });
}

export const GENERAL_REVIEW_CONFIGURATIONS: readonly GeneralReviewConfiguration[] = [
  // 生育津贴: the handling office finishes within 10 working days [V L10 art. 20].
  item(
    'BPS-004',
    '生育保险',
    'maternity-allowance',
    socialInsuranceClaim(workingDays(10, 'L10 art. 20 (社会保险经办条例)', 'V')),
  ),
  item('BPS-007', '特殊儿童群体基本生活保障', 'orphan-basic-living-allowance', streetThenDistrict()),
  item('BPS-008', '困境儿童保障', 'children-in-difficulty-support', streetThenDistrict()),
  item('BPS-014', '义务教育家庭经济困难学生生活费补助', 'compulsory-education-living-subsidy', [
    review('school-assessment', 'community', ASSUMED_LIMITS.institutionAssessment),
    decision('education-review', 'district', ASSUMED_LIMITS.districtDecision),
  ]),
  // The school posts the result for at least 5 working days [R 财教〔2021〕310号].
  item(
    'BPS-016',
    '普通高中国家助学金',
    'senior-secondary-national-grant',
    throughSchool(workingDays(5, '财教〔2021〕310号', 'R')),
  ),
  item(
    'BPS-018',
    '中等职业教育国家助学金',
    'secondary-vocational-national-grant',
    throughSchool(workingDays(5, '财教〔2021〕310号 (as for BPS-016, by analogy)', 'G')),
  ),
  item('BPS-024', '就业见习服务', 'employment-traineeship', districtOnly()),
  // 就业困难人员认定 (docs/domain.md §3.10): the community workstation checks and reports, without refusing; the
  // 街道 labour office reviews and confirms an ineligibility; the district 人社局 recognises [S P31]. Then at least one
  // person in work within a month, a service target [S P49] (no statute sets the month).
  item('BPS-025', '就业援助', 'employment-difficulty-recognition', [
    assessment('community-report', 'community', ASSUMED_LIMITS.communityAssessment),
    review('street-review', 'street', ASSUMED_LIMITS.streetReview),
    decision('recognition', 'district', ASSUMED_LIMITS.districtDecision),
    verification('job-placement', 'district', {
      amount: 1,
      unit: 'months',
      source: { citation: 'P49 (one person of a zero-employment family in work within a month)', evidence: 'S' },
    }),
  ]),
  item('BPS-026', '实施创业促进帮扶工程', 'business-start-up-support', districtOnly()),
  item('BPS-027', '职业技能培训、鉴定和生活费补贴', 'vocational-training-subsidy', districtOnly()),
  item(
    'BPS-035',
    '失业保险支持企业职工技能提升补贴',
    'skill-upgrade-subsidy',
    socialInsuranceClaim(workingDays(10, 'L10 art. 24 (社会保险经办条例)', 'V')),
  ),
  // 工伤认定: decided within 60日 of acceptance [V L14 art. 20]; "日" counted under 民事诉讼法 art. 85.
  item('BPS-036', '工伤保险', 'work-injury-recognition', [
    acceptance('city'),
    decision(
      'injury-recognition',
      'city',
      calendarDays(60, 'L14 art. 20 (工伤保险条例)', 'V', {
        rollForward: true,
        note: '"60日" counted under 民事诉讼法 art. 85 [G]',
      }),
      { reasons: [R.notWorkInjury.code, R.applicationOutOfTime.code, R.falseDeclaration.code] },
    ),
  ]),
  item('BPS-052', '农村部分计划生育家庭奖励扶助', 'family-planning-reward-support', familyPlanning()),
  // 特别扶助 (docs/domain.md §3.16): the committee assesses and posts the list; street review; the county health
  // commission reviews, publishes and confirms [S P46, P47].
  item('BPS-053', '计划生育家庭特别扶助', 'family-planning-special-support', [
    acceptance('street'),
    assessment('community-assessment', 'community', ASSUMED_LIMITS.communityAssessment),
    notice('public-notice', 'community'),
    review('street-review', 'street', ASSUMED_LIMITS.streetReview, { reasons: MAY_CITE_OBJECTION }),
    review('county-review', 'district', ASSUMED_LIMITS.districtDecision, { reasons: MAY_CITE_OBJECTION }),
    notice('county-publication', 'district'),
    decision('health-confirmation', 'district', ASSUMED_LIMITS.districtDecision, { reasons: MAY_CITE_OBJECTION }),
  ]),
  item('BPS-054', '城镇计划生育家庭奖励', 'urban-family-planning-reward', familyPlanning()),
  item('BPS-056', '老年人福利补贴', 'elderly-welfare-allowance', streetThenDistrict()),
  item('BPS-057', '政府购买居家养老服务补贴', 'home-care-service-subsidy', [
    assessment('care-needs-assessment', 'street', ASSUMED_LIMITS.communityAssessment),
    decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision),
  ]),
  // Retirement claim: the handling office pays within 20 working days [V L10 art. 18].
  item(
    'BPS-058',
    '职工基本养老保险',
    'basic-pension-employees',
    socialInsuranceClaim(workingDays(20, 'L10 art. 18 (社会保险经办条例)', 'V')),
  ),
  item('BPS-059', '城乡居民基本养老保险', 'basic-pension-residents', [
    acceptance('street'),
    review('benefit-review', 'district', ASSUMED_LIMITS.socialInsuranceClaim, {
      reasons: [R.notInsured.code, R.falseDeclaration.code],
    }),
  ]),
  // 农村危房改造 (docs/domain.md §3.12): village assessment and notice (≥ 1 week), township check and appraisal and
  // notice, county approval and its posting, then the three-party agreement, construction, the completion check and
  // the subsidy paid to the household [S P48].
  item('BPS-063', '农村危房改造', 'rural-housing-renovation-subsidy', [
    assessment('village-assessment', 'community', ASSUMED_LIMITS.communityAssessment),
    notice('village-notice', 'community', calendarDays(7, 'P48 (旌德, "不少于1周")', 'S')),
    review('township-check', 'street', ASSUMED_LIMITS.streetReview, { reasons: MAY_CITE_OBJECTION }),
    notice('township-notice', 'community', calendarDays(7, 'P48 (旌德, "不少于1周")', 'S')),
    decision('county-approval', 'district', ASSUMED_LIMITS.districtDecision, { reasons: MAY_CITE_OBJECTION }),
    notice(
      'approval-notice',
      'district',
      calendarDays(7, 'P48 (the county result is posted; 1 week as for the others)', 'S'),
    ),
    verification('agreement', 'street', ASSUMED_LIMITS.agreement),
    verification('construction', 'street', ASSUMED_LIMITS.construction),
    verification('completion-check', 'district', ASSUMED_LIMITS.completionCheck),
    verification('subsidy-payment', 'district', ASSUMED_LIMITS.payment),
  ]),
  // Medical assistance for people outside 低保/特困: street review, public notice, the county healthcare security bureau approves.
  item('BPS-067', '城乡医疗救助', 'medical-assistance', [
    review('street-review', 'street', ASSUMED_LIMITS.streetReview, { reasons: MAY_CITE_OBJECTION }),
    notice('public-notice', 'community'),
    decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision, { reasons: MAY_CITE_OBJECTION }),
  ]),
  // Home reconstruction: 民主评议, notice, street review, county emergency management approves [V L5 art. 20].
  item('BPS-070', '受灾人员救助', 'disaster-housing-reconstruction-subsidy', [
    assessment('community-assessment', 'community', ASSUMED_LIMITS.communityAssessment),
    notice('public-notice', 'community'),
    review('street-review', 'street', ASSUMED_LIMITS.streetReview, { reasons: MAY_CITE_OBJECTION }),
    decision('county-approval', 'district', ASSUMED_LIMITS.districtDecision),
  ]),
  item('BPS-074', '残疾人寄宿制托养服务和居家托养服务', 'disability-care-services', streetThenDistrict()),
  item('BPS-075', '残疾儿童康复服务', 'child-rehabilitation-assistance', [
    review('street-review', 'street', ASSUMED_LIMITS.streetReview),
    assessment('rehabilitation-assessment', 'district', ASSUMED_LIMITS.communityAssessment),
    decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision),
  ]),
  item('BPS-076', '残疾儿童及青少年教育', 'special-education-placement', districtOnly()),
  // 爱心卡: the district or county disability federation verifies and registers [S P21, P22].
  item('BPS-080', '免费乘坐市区公交车', 'free-bus-card', districtOnly()),
  // Parking plate: the street disability federation reviews, the city federation issues [S P23–P25].
  item('BPS-081', '发放残疾人机动车免费停放标识牌', 'free-parking-plate', [
    review('street-review', 'street', ASSUMED_LIMITS.streetReview),
    decision('city-issue', 'city', ASSUMED_LIMITS.districtDecision),
  ]),
  // A disabled veteran applies to transfer the disability pension within 60日 of leaving service [V L9 art. 30]: the
  // street checks the date and may refuse a late application (docs/domain.md §3.17).
  item('BPS-082', '抚恤补贴', 'pension-subsidy', [
    review('street-review', 'street', ASSUMED_LIMITS.streetReview, {
      reasons: [...ELIGIBILITY, R.pensionTransferOutOfTime.code],
    }),
    decision('district-decision', 'district', ASSUMED_LIMITS.districtDecision),
  ]),
  // Placement (docs/domain.md §3.17): a job assigned within 6 months of receiving the veteran, and the receiving unit
  // gives a post within 30日 of the introduction letter [V L15].
  item('BPS-084', '退役军人安置', 'veteran-placement', [
    acceptance('district'),
    decision('placement', 'district', {
      amount: 6,
      unit: 'months',
      source: { citation: 'L15 (退役军人安置条例)', evidence: 'V' },
    }),
    verification(
      'receiving-unit-post',
      'district',
      calendarDays(30, 'L15 (退役军人安置条例)', 'V', {
        rollForward: true,
        note: '"30日" from the introduction letter, counted under 民事诉讼法 art. 85 [G]',
      }),
    ),
  ]),
  item('BPS-086', '特殊群体集中供养', 'veterans-home-admission', districtOnly()),
];

/**
 * A time the applicant has to apply in, counted from a day the application states: it runs before the application,
 * so it is no case clock but a check at intake (docs/domain.md §3.17).
 */
export interface ApplicationWindow {
  /** The application detail holding the day the window opens. */
  readonly detail: 'leftServiceOn';
  readonly limit: Limit;
  /** The reason the street review gives when intake could not decide (the year's calendar not published). */
  readonly reason: RejectReason;
}

/** Items whose application must come within a window, by item code. */
export const APPLICATION_WINDOWS: Readonly<Record<string, ApplicationWindow>> = {
  // A disabled veteran applies to transfer the disability pension within 60日 of leaving active service [V L9
  // art. 30]; "日" counted under 民事诉讼法 art. 85 (start day not counted, a last day off rolls to the next working day).
  'BPS-082': {
    detail: 'leftServiceOn',
    limit: calendarDays(60, 'L9 art. 30 (军人抚恤优待条例)', 'V', {
      rollForward: true,
      note: '"60日" from leaving active service, counted under 民事诉讼法 art. 85 [G]',
    }),
    reason: R.pensionTransferOutOfTime,
  },
};

const BY_CODE: ReadonlyMap<string, GeneralReviewConfiguration> = new Map(
  GENERAL_REVIEW_CONFIGURATIONS.map((configuration) => [configuration.itemCode, configuration]),
);

export function findGeneralReviewConfiguration(itemCode: string): GeneralReviewConfiguration | undefined {
  return BY_CODE.get(itemCode);
}
