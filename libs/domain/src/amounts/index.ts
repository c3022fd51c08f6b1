export { decimalRatio, ParameterNotInForceError, type ParameterUse, useParameter } from './parameter-use.js';
export {
  CARE_STANDARD_KEYS,
  type ComputedAmount,
  type DisabilitySubsidy,
  disabilitySubsidyAmount,
  extremePovertySupport,
  isSelfCareLevel,
  SELF_CARE_LEVELS,
  type SelfCareLevel,
  temporaryAssistanceCaps,
  unemploymentBenefit,
} from './amounts.js';
