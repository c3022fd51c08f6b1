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
 *   household (新民规发〔2022〕3号 [S C1]); not for a person receiving orphan support [R 国发〔2015〕52号];
 * - nursing subsidy: Xinjiang household registration and a valid certificate of grade 1 or 2 [S C1];
 * - a person supported as 特困 receives neither [R 国发〔2015〕52号].
 * Local extensions paid from local budgets, and the rule that a person entitled to a similar allowance takes the
 * higher one, are outside this decision. Every failing condition is listed, so the notice can give all reasons.
 */
export function disabilitySubsidiesEligibility(input: DisabilitySubsidiesInput): DisabilitySubsidiesDecision {
  assertIsoDate(input.today, 'today');
  const certificate = hasValidDisabilityCertificate(input.member, input.today);
  const common: [boolean, DisabilitySubsidyGround, DisabilitySubsidyRefusal][] = [
    [input.xinjiangHouseholdRegistration, 'XINJIANG_HOUSEHOLD_REGISTRATION', 'NO_XINJIANG_HOUSEHOLD_REGISTRATION'],
    [certificate, 'VALID_DISABILITY_CERTIFICATE', 'NO_VALID_DISABILITY_CERTIFICATE'],
  ];
  const exclusions: [boolean, DisabilitySubsidyRefusal][] = [
    [input.receivesExtremePovertySupport, 'RECEIVES_EXTREME_POVERTY_SUPPORT'],
  ];
  return {
    livingSubsidy: decide(
      [...common, [input.minimumLivingHousehold, 'MINIMUM_LIVING_HOUSEHOLD', 'NOT_MINIMUM_LIVING_HOUSEHOLD']],
      [...exclusions, [input.receivesOrphanSupport, 'RECEIVES_ORPHAN_SUPPORT']],
    ),
    nursingSubsidy: decide(
      // Without a valid certificate the grade is unproven: that reason is already listed, not NOT_SEVERE_DISABILITY.
      [
        ...common,
        [!certificate || hasSevereDisability(input.member, input.today), 'SEVERE_DISABILITY', 'NOT_SEVERE_DISABILITY'],
      ],
      exclusions,
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
