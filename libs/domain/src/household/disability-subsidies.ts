import { type IsoDate, assertIsoDate } from '../calendar/calendar-date.js';
import { hasSevereDisability, hasValidDisabilityCertificate } from './disability.js';
import type { HouseholdMember } from './household.js';

/** Why a subsidy is refused; every failing condition is listed. */
export type DisabilitySubsidyRefusal =
  | 'NO_VALID_DISABILITY_CERTIFICATE'
  | 'NO_XINJIANG_HOUSEHOLD_REGISTRATION'
  | 'NOT_MINIMUM_LIVING_HOUSEHOLD'
  | 'NOT_SEVERE_DISABILITY'
  | 'RECEIVES_EXTREME_POVERTY_SUPPORT'
  | 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE'
  | 'RECEIVES_ORPHAN_SUPPORT';

/** What a granted subsidy rests on. */
export type DisabilitySubsidyGround =
  'VALID_DISABILITY_CERTIFICATE' | 'XINJIANG_HOUSEHOLD_REGISTRATION' | 'MINIMUM_LIVING_HOUSEHOLD' | 'SEVERE_DISABILITY';

export type SubsidyDecision =
  | { readonly eligible: true; readonly grounds: readonly DisabilitySubsidyGround[] }
  | { readonly eligible: false; readonly reasons: readonly DisabilitySubsidyRefusal[] };

export interface DisabilitySubsidiesInput {
  /** The disabled person. */
  readonly member: HouseholdMember;
  /** The person's household receives 低保. */
  readonly minimumLivingHousehold: boolean;
  /** The person is supported as 特困 (destitute). */
  readonly receivesExtremePovertySupport: boolean;
  /** Household registration (户籍) in Xinjiang. */
  readonly xinjiangHouseholdRegistration: boolean;
  /** The person already receives orphan support (孤儿基本生活费). */
  readonly receivesOrphanSupport: boolean;
  /** The subsidies for which a similar allowance the person receives pays more (就高享受); none when absent. */
  readonly higherSimilarAllowanceFor?: readonly ('living' | 'nursing')[];
  /** Certificate validity is taken on this day. */
  readonly today: IsoDate;
}

export interface DisabilitySubsidiesDecision {
  /** 困难残疾人生活补贴. */
  readonly livingSubsidy: SubsidyDecision;
  /** 重度残疾人护理补贴. */
  readonly nursingSubsidy: SubsidyDecision;
}

/**
 * Decides the two disability subsidies (两项补贴, docs/domain.md §3.4), independently (a person may receive both):
 * - living subsidy: Xinjiang household registration, a disability certificate valid on `today`, and a 低保
 *   household (新民规发〔2022〕3号 [S C1], which gives the registration condition for this subsidy only); not for a
 *   person receiving orphan support [R 国发〔2015〕52号];
 * - nursing subsidy: a valid certificate of grade 1 or 2 [S C1];
 * - a person supported as 特困 receives neither [R 国发〔2015〕52号];
 * - a similar allowance that pays more is taken instead of either subsidy [R 国发〔2015〕52号; 民发〔2021〕52号].
 * Local extensions paid from local budgets are outside this decision. Every failing condition is listed, so the
 * notice can give all reasons.
 */
export function disabilitySubsidiesEligibility(input: DisabilitySubsidiesInput): DisabilitySubsidiesDecision {
  assertIsoDate(input.today, 'today');
  const certificate = hasValidDisabilityCertificate(input.member, input.today);
  const valid: [boolean, DisabilitySubsidyGround, DisabilitySubsidyRefusal] = [
    certificate,
    'VALID_DISABILITY_CERTIFICATE',
    'NO_VALID_DISABILITY_CERTIFICATE',
  ];
  const higher = input.higherSimilarAllowanceFor ?? [];
  const exclusions = (subsidy: 'living' | 'nursing'): [boolean, DisabilitySubsidyRefusal][] => [
    [input.receivesExtremePovertySupport, 'RECEIVES_EXTREME_POVERTY_SUPPORT'],
    [higher.includes(subsidy), 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE'],
  ];
  return {
    livingSubsidy: decide(
      [
        [input.xinjiangHouseholdRegistration, 'XINJIANG_HOUSEHOLD_REGISTRATION', 'NO_XINJIANG_HOUSEHOLD_REGISTRATION'],
        valid,
        [input.minimumLivingHousehold, 'MINIMUM_LIVING_HOUSEHOLD', 'NOT_MINIMUM_LIVING_HOUSEHOLD'],
      ],
      [...exclusions('living'), [input.receivesOrphanSupport, 'RECEIVES_ORPHAN_SUPPORT']],
    ),
    nursingSubsidy: decide(
      // Without a valid certificate the grade is unproven: that reason is already listed, not NOT_SEVERE_DISABILITY.
      [
        valid,
        [!certificate || hasSevereDisability(input.member, input.today), 'SEVERE_DISABILITY', 'NOT_SEVERE_DISABILITY'],
      ],
      exclusions('nursing'),
    ),
  };
}

function decide(
  conditions: readonly [boolean, DisabilitySubsidyGround, DisabilitySubsidyRefusal][],
  exclusions: readonly [boolean, DisabilitySubsidyRefusal][],
): SubsidyDecision {
  const reasons = [
    ...conditions.filter(([met]) => !met).map(([, , refusal]) => refusal),
    ...exclusions.filter(([applies]) => applies).map(([, refusal]) => refusal),
  ];
  return reasons.length === 0
    ? { eligible: true, grounds: conditions.map(([, ground]) => ground) }
    : { eligible: false, reasons };
}
