import type { KnownEvidence } from '../catalog/evidence.js';
import type { AcceptingPoint } from '../catalog/service-item.js';
import type { Level, ProcedureId } from '../catalog/procedure-id.js';

/**
 * The rule an item's regulation gives for where an application belongs: the division whose offices accept and
 * approve it (docs/domain.md §3, "Where to apply"):
 * - `registration`: the household registration (户籍所在地), `applicant.householdRegistrationDivision`;
 * - `residence`: where the applicant lives (居住地), `applicant.residenceDivision`;
 * - `case-handling-organ`: where the organ handling the matter sits or the matter arose (法律援助法 art. 38), named by
 *   the application as `details.competentDivision`;
 * - `school`: where the school the student attends is, named as `details.competentDivision`;
 * - `insurer`: where the social insurance handling office (经办机构) the person is insured with is, named as
 *   `details.competentDivision`.
 */
export const ROUTING_BASES = ['registration', 'residence', 'case-handling-organ', 'school', 'insurer'] as const;
export type RoutingBasis = (typeof ROUTING_BASES)[number];

/** The request field each basis reads its division from. */
export const ROUTING_BASIS_FIELDS: Readonly<Record<RoutingBasis, string>> = {
  registration: 'applicant.householdRegistrationDivision',
  residence: 'applicant.residenceDivision',
  'case-handling-organ': 'details.competentDivision',
  school: 'details.competentDivision',
  insurer: 'details.competentDivision',
};

/** An item's routing basis with its backing (evidence tag and source id, docs/domain.md §0). */
export interface ItemRoutingBasis {
  readonly basis: RoutingBasis;
  readonly evidence: KnownEvidence;
  readonly source: string | null;
  /** What the source says, or why the basis was chosen where none does. */
  readonly note: string | null;
}

const basis = (
  b: RoutingBasis,
  evidence: KnownEvidence,
  source: string | null,
  note: string | null = null,
): ItemRoutingBasis => ({ basis: b, evidence, source, note });

/** No source names the place for this item; its applications go where the household is registered [G]. */
const ASSUMED_REGISTRATION = basis(
  'registration',
  'G',
  null,
  'no source names the place; the household registration, as for social assistance under L1 art. 11',
);

/**
 * The routing basis of every application item, as data (docs/items.md shows it; item-limits.spec.ts checks every
 * application item has one). The offices are then found by the item's accepting point and approving level.
 */
export const ITEM_ROUTING_BASES: Readonly<Record<string, ItemRoutingBasis>> = {
  'BPS-004': basis(
    'insurer',
    'R',
    'L10 art. 20',
    'the maternity allowance is claimed at the handling office of the insurance',
  ),
  'BPS-007': ASSUMED_REGISTRATION,
  'BPS-008': ASSUMED_REGISTRATION,
  'BPS-014': basis('school', 'G', null, 'the school receives the form, as for the student aid of 财教〔2021〕310号'),
  'BPS-016': basis(
    'school',
    'R',
    '财教〔2021〕310号',
    'the student applies at the school, which assesses and posts the list',
  ),
  'BPS-018': basis(
    'school',
    'R',
    '财教〔2021〕310号',
    'the student applies at the school, which assesses and posts the list',
  ),
  'BPS-024': ASSUMED_REGISTRATION,
  'BPS-025': ASSUMED_REGISTRATION,
  'BPS-026': ASSUMED_REGISTRATION,
  'BPS-027': ASSUMED_REGISTRATION,
  'BPS-032': basis(
    'insurer',
    'R',
    'L3 art. 16; L4 art. 50',
    'claimed at the designated social insurance handling office',
  ),
  'BPS-035': basis('insurer', 'R', 'L10 art. 24', 'claimed at the handling office of the unemployment insurance'),
  'BPS-036': basis(
    'insurer',
    'R',
    'L14 art. 17',
    'the social insurance department of the pooling area (统筹地区) decides',
  ),
  'BPS-052': ASSUMED_REGISTRATION,
  'BPS-053': basis('registration', 'S', 'P46, P47', 'the health office of the 乡镇/街道 of household registration'),
  'BPS-054': ASSUMED_REGISTRATION,
  'BPS-056': ASSUMED_REGISTRATION,
  'BPS-057': basis('residence', 'G', null, 'home-care services are delivered where the elderly person lives'),
  'BPS-058': basis('insurer', 'R', 'L10 art. 18', 'the pension is claimed at the handling office of the insurance'),
  'BPS-059': basis('registration', 'G', null, 'residents join the residents’ pension scheme where they are registered'),
  'BPS-060': basis(
    'residence',
    'R',
    '住房和城乡建设部令第11号',
    'the housing authority of the city or county where the household lives',
  ),
  'BPS-063': basis('registration', 'G', 'P48', 'the village committee of the household'),
  'BPS-064': basis('registration', 'V', 'L1 art. 11', '户籍所在地的乡镇人民政府、街道办事处'),
  'BPS-066': basis('registration', 'V', 'L1 art. 16', '户籍所在地的乡镇人民政府、街道办事处'),
  'BPS-067': ASSUMED_REGISTRATION,
  'BPS-069': basis(
    'registration',
    'R',
    '国发〔2014〕47号',
    'the place of residence for holders of a residence permit is not modelled',
  ),
  'BPS-070': basis('residence', 'G', 'L5 art. 20', 'the committee where the damaged home is assesses'),
  'BPS-071': basis('case-handling-organ', 'V', 'L2 art. 38', '办案机关所在地, or 争议处理机关所在地 or 事由发生地'),
  'BPS-072': basis(
    'registration',
    'S',
    'C1',
    'the 乡镇/街道 of household registration; Xinjiang registration is a condition of the living subsidy',
  ),
  'BPS-073': basis('registration', 'R', 'L1 art. 11', 'as for 低保'),
  'BPS-074': ASSUMED_REGISTRATION,
  'BPS-075': ASSUMED_REGISTRATION,
  'BPS-076': ASSUMED_REGISTRATION,
  'BPS-080': basis('registration', 'S', 'P21, P22', 'Urumqi registration; the federation of the district'),
  'BPS-081': basis('registration', 'S', 'P24', 'the street disability federation of household registration'),
  'BPS-082': ASSUMED_REGISTRATION,
  'BPS-084': basis(
    'registration',
    'R',
    'L15',
    'placed, in principle, where the household was registered on enlistment',
  ),
  'BPS-086': ASSUMED_REGISTRATION,
};

/**
 * Where an office sits, relative to the division the item's routing basis gives: its 街道办事处 or 乡镇人民政府
 * (`street`), the bureau of the district or county that contains it (`district`), or the city bureau (`city`).
 */
export const OFFICE_PLACES = ['street', 'district', 'city'] as const;
export type OfficePlace = (typeof OFFICE_PLACES)[number];

/**
 * Which office accepts an application, by the item's accepting point (catalog `acceptingLevel`).
 *
 * - `street`: the 乡镇/街道 receives social-assistance applications (社会救助暂行办法 arts. 11, 60: a single window at
 *   every 乡镇/街道).
 * - `community`: the 村/社区 committee only assists and decides nothing (社会救助暂行办法 art. 4, docs/domain.md §3);
 *   the case is therefore opened at the street office above it, which the committee hands the papers to.
 * - `institution`: a school or other institution receives the form; minsheng holds no list of institutions, so the
 *   case is opened at the district bureau that reviews the institution's list [G].
 * - `district` / `city`: the bureau at that level.
 */
export const ACCEPTING_OFFICE_BY_POINT: Readonly<Record<AcceptingPoint, OfficePlace>> = {
  community: 'street',
  street: 'street',
  institution: 'district',
  district: 'district',
  city: 'city',
};

/** Which office approves, by the item's approving level (catalog `approvingLevel`). */
export const APPROVING_OFFICE_BY_LEVEL: Readonly<Record<Level, OfficePlace>> = {
  community: 'street',
  street: 'street',
  district: 'district',
  city: 'city',
};

/**
 * Procedure settings that depend on the applicant's district and are fixed when the case starts.
 *
 * `minimumLivingApprovalDelegated`: a district may delegate the 审核确认 of 低保 to its 乡镇/街道 "where conditions
 * allow" (docs/domain.md §3.1 [S P56]). No Urumqi district is known to have done so [unknown], so none is listed;
 * adding a district code here makes its new cases approve at the street.
 *
 * `legalAidDayCounting`: 法律援助法 counts its limits in 日, which its implementing rules do not define; the
 * 民事诉讼法 rule (calendar days, extended past a holiday) is the fallback of docs/domain.md §3 "Counting conventions";
 * minsheng counts working days, the reading that never shortens the applicant's time [G].
 *
 * `temporaryAssistanceStreetApprovalLimitFen`: see below.
 */
export const DISTRICT_PROCEDURE_SETTINGS: {
  readonly minimumLivingApprovalDelegated: ReadonlySet<string>;
  readonly legalAidDayCounting: 'working-days' | 'calendar-days';
  readonly temporaryAssistanceStreetApprovalLimitFen: number;
} = {
  minimumLivingApprovalDelegated: new Set<string>(),
  legalAidDayCounting: 'working-days',
  // 社会救助暂行办法 art. 48 lets a county delegate small temporary-assistance grants to the 乡镇/街道; no Urumqi
  // district's delegation or limit is known [unknown], so every grant is approved by the district (0 = none).
  temporaryAssistanceStreetApprovalLimitFen: 0,
};

/** How an item is routed: its basis, and the offices, relative to the basis's division, that accept and approve. */
export interface RoutingRule extends ItemRoutingBasis {
  readonly accepting: OfficePlace;
  readonly approving: OfficePlace;
}

/**
 * The rule that places an item's accepting and approving offices: its routing basis (`ITEM_ROUTING_BASES`), and the
 * tables by its accepting point and approving level. Null for an item that takes no applications.
 */
export function routingRuleOf(item: {
  readonly code: string;
  readonly acceptingLevel: { readonly value: AcceptingPoint } | null;
  readonly approvingLevel: { readonly value: Level } | null;
}): RoutingRule | null {
  if (item.acceptingLevel === null || item.approvingLevel === null) return null;
  return {
    ...(ITEM_ROUTING_BASES[item.code] ?? ASSUMED_REGISTRATION),
    accepting: ACCEPTING_OFFICE_BY_POINT[item.acceptingLevel.value],
    approving: APPROVING_OFFICE_BY_LEVEL[item.approvingLevel.value],
  };
}

/** The grounds of competence 法律援助法 art. 38 names, one of which a legal-aid application gives. */
export const LEGAL_AID_COMPETENCE_GROUNDS = [
  'case-handling-organ', // 办案机关所在地 (litigation)
  'dispute-handling-organ', // 争议处理机关所在地 (non-litigation)
  'place-of-matter', // 事由发生地 (non-litigation)
] as const;
export type LegalAidCompetenceGround = (typeof LEGAL_AID_COMPETENCE_GROUNDS)[number];

/** Procedures whose application is a means-tested social-assistance application (社会救助暂行办法). */
export const SOCIAL_ASSISTANCE_PROCEDURES: ReadonlySet<ProcedureId> = new Set<ProcedureId>([
  'minimum-living',
  'extreme-poverty',
  'temporary-assistance',
]);
