import type { AcceptingPoint } from '../catalog/service-item.js';
import type { Level, ProcedureId } from '../catalog/procedure-id.js';

/**
 * Where an office sits, relative to the applicant's household registration (户籍所在地) or to the division the
 * application names as competent:
 * - `registration-street`: the 街道办事处 or 乡镇人民政府 of the registration;
 * - `registration-district`: the bureau of the district or county that contains it;
 * - `competent-district`: the bureau of the district or county the application names (`details.competentDivision`)
 *   on the ground its item's rule gives (legal aid: 法律援助法 art. 38, docs/domain.md §3.7);
 * - `city`: the city bureau.
 */
export const OFFICE_SOURCES = ['registration-street', 'registration-district', 'competent-district', 'city'] as const;
export type OfficeSource = (typeof OFFICE_SOURCES)[number];

/**
 * Which office accepts an application, by the item's accepting point (catalog `acceptingLevel`).
 *
 * - `street`: the 乡镇/街道 of the household registration receives social-assistance applications (社会救助暂行办法
 *   arts. 11, 60: a single window at every 乡镇/街道).
 * - `community`: the 村/社区 committee only assists and decides nothing (社会救助暂行办法 art. 4, docs/domain.md §3);
 *   the case is therefore opened at the street office above it, which the committee hands the papers to.
 * - `institution`: a school or other institution receives the form; minsheng holds no list of institutions, so the
 *   case is opened at the district bureau that reviews the institution's list [G].
 * - `district` / `city`: the bureau at that level.
 */
export const ACCEPTING_OFFICE_BY_POINT: Readonly<Record<AcceptingPoint, OfficeSource>> = {
  community: 'registration-street',
  street: 'registration-street',
  institution: 'registration-district',
  district: 'registration-district',
  city: 'city',
};

/** Which office approves, by the item's approving level (catalog `approvingLevel`). */
export const APPROVING_OFFICE_BY_LEVEL: Readonly<Record<Level, OfficeSource>> = {
  community: 'registration-street',
  street: 'registration-street',
  district: 'registration-district',
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

/**
 * Item-level exceptions to the registration rule, as data: an item listed here is routed by these sources instead
 * of the level tables above.
 */
export const ITEM_ROUTING_OVERRIDES: Readonly<
  Record<string, { readonly accepting?: OfficeSource; readonly approving?: OfficeSource; readonly reason: string }>
> = {
  // 法律援助 goes to the legal aid agency where the case-handling organ sits (litigation), or where the
  // dispute-handling organ sits or the matter arose (non-litigation), not to that of the household registration.
  'BPS-071': {
    accepting: 'competent-district',
    approving: 'competent-district',
    reason: '法律援助法 art. 38 (docs/domain.md §3.7)',
  },
};

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
