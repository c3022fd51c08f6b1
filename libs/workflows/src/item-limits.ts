import { DISTRICT_PROCEDURE_SETTINGS, getServiceItem, type ProcedureId } from '@minsheng/domain';
import { DISABILITY_SUBSIDY_LIMITS } from './disability-subsidies/disability-subsidies.rules.js';
import { EXTREME_POVERTY_LIMITS } from './extreme-poverty/extreme-poverty.rules.js';
import { findGeneralReviewConfiguration } from './general-review/configurations.js';
import { legalAidLimits } from './legal-aid/legal-aid.rules.js';
import { clockBasisOf, type ClockBasis, type Limit } from './limits.js';
import { MINIMUM_LIVING_LIMITS } from './minimum-living/minimum-living.rules.js';
import { PUBLIC_RENTAL_HOUSING_LIMITS } from './public-rental-housing/public-rental-housing.rules.js';
import { TEMPORARY_ASSISTANCE_LIMITS } from './temporary-assistance/temporary-assistance.rules.js';
import { UNEMPLOYMENT_BENEFIT_LIMITS } from './unemployment-benefit/unemployment-benefit.rules.js';

/** A limit an item's procedure counts, by the name its rules give it (a rule's key or a general-review step). */
export interface ItemLimit {
  readonly name: string;
  readonly limit: Limit;
  /** Whether running past it breaches the law or misses a service target (docs/clocks.md). */
  readonly basis: ClockBasis;
}

/** The limits of each dedicated procedure, as its rules file defines them. */
const PROCEDURE_LIMITS: Readonly<Record<Exclude<ProcedureId, 'general-review'>, Readonly<Record<string, Limit>>>> = {
  'minimum-living': MINIMUM_LIVING_LIMITS,
  'extreme-poverty': EXTREME_POVERTY_LIMITS,
  'temporary-assistance': TEMPORARY_ASSISTANCE_LIMITS,
  'disability-subsidies': DISABILITY_SUBSIDY_LIMITS,
  // Counted as every new legal-aid case is (one setting shared by intake and the worker, docs/domain.md §3.7).
  'legal-aid': legalAidLimits(DISTRICT_PROCEDURE_SETTINGS.legalAidDayCounting),
  'public-rental-housing': PUBLIC_RENTAL_HOUSING_LIMITS,
  'unemployment-benefit': UNEMPLOYMENT_BENEFIT_LIMITS,
};

/**
 * Every time limit an application item's procedure counts, with its source and evidence: the dedicated procedure's
 * rules, or the item's general-review steps. Empty for an item without a procedure. The one list the per-item
 * documentation (docs/items.md) and the operators' list of assumptions read.
 */
export function limitsOfItem(itemCode: string): readonly ItemLimit[] {
  const procedure = getServiceItem(itemCode).procedure;
  if (procedure === null) return [];
  const named: [string, Limit][] =
    procedure === 'general-review'
      ? (findGeneralReviewConfiguration(itemCode)?.steps ?? []).map((step) => [step.step, step.limit])
      : Object.entries(PROCEDURE_LIMITS[procedure]);
  return named.map(([name, limit]) => ({ name, limit, basis: clockBasisOf(limit) }));
}
