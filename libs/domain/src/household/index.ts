export type {
  Disability,
  DisabilityCategory,
  DisabilityGrade,
  DutyBearer,
  EssentialSpending,
  House,
  Household,
  HouseholdAssets,
  HouseholdMember,
  HealthStatus,
  IncomeCategory,
  MonthlyIncome,
  Relation,
  SupportDuty,
  Vehicle,
  WorkCapacity,
} from './household.js';
export {
  DISABILITY_CATEGORIES,
  HEALTH_STATUSES,
  INCOME_CATEGORIES,
  INCOME_CATEGORY_CODES,
  RELATIONS,
  SUPPORT_DUTIES,
  WORK_CAPACITIES,
} from './household.js';
export { HOUSEHOLD_ERRORS } from './household-errors.js';
export { ageOn } from './age.js';
export { SEVERE_DISABILITY_GRADES, hasSevereDisability, hasValidDisabilityCertificate } from './disability.js';
export { householdMonthlyIncome, memberMonthlyIncome, perCapitaMonthlyIncome } from './income.js';
export type { SpecialCategory } from './special-categories.js';
export { SPECIAL_CATEGORIES, SPECIAL_CATEGORY_RULES, specialCategoriesOf } from './special-categories.js';
export type {
  MemberTopUp,
  MinimumLivingBreakdown,
  MinimumLivingEntitlement,
  MinimumLivingEntitlementInput,
  MinimumLivingParameters,
  SpecialCategoryTopUps,
} from './minimum-living-entitlement.js';
export { minimumLivingEntitlement } from './minimum-living-entitlement.js';
export type {
  DisabilitySubsidiesDecision,
  DisabilitySubsidiesInput,
  DisabilitySubsidyGround,
  DisabilitySubsidyRefusal,
  SubsidyDecision,
} from './disability-subsidies.js';
export { disabilitySubsidiesEligibility } from './disability-subsidies.js';
export type {
  ExtremePovertyDecision,
  ExtremePovertyInput,
  ExtremePovertyRefusal,
  ExtremePovertyTargetGroup,
} from './extreme-poverty.js';
export { EXTREME_POVERTY_RULES, extremePovertyEligibility } from './extreme-poverty.js';
export type { MeansTestUnit } from './means-test-unit.js';
export { MEANS_TEST_UNITS, SINGLE_PERSON_MEANS_TEST, meansTestUnitOf, membersCounted } from './means-test-unit.js';
