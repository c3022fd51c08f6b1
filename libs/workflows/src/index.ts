/**
 * Public surface of libs/workflows: the statutory procedures as pure, versioned XState machines, and the pure
 * functions the worker runs them with. Nothing here does I/O; the worker carries out the intents.
 */

// Running cases
export {
  PROCEDURE_VERSIONS,
  accepts,
  advance,
  currentStepsOf,
  describeState,
  machineFor,
  startCase,
  startCaseOn,
  versionsFor,
  type ProcedureInputs,
} from './procedure-registry.js';
export {
  REGISTRY_ERRORS,
  createProcedureRunner,
  type AdvancedCase,
  type CaseStep,
  type PersistedSnapshot,
  type ProcedureDefinition,
  type ProcedureRunner,
  type ProcedureVersions,
  type StartedCase,
  type StoredCase,
} from './procedure-runner.js';
export {
  PROCEDURE_DETAIL_FIELDS,
  STORED_PROCEDURE_INPUT,
  buildProcedureInput,
  storedProcedureInput,
  type ApplicationDetails,
  type BuiltProcedureInput,
  type ProcedureInputProblem,
} from './procedure-input.js';
export { applicationWindowOf, applicationWindowProblem } from './application-window.js';
export { finalStatesOf, outcomeName, type FinalState } from './final-states.js';
export {
  applied,
  compareWithStored,
  replayCase,
  type CaseStart,
  type Divergence,
  type LoggedEvent,
  type Replay,
  type ReplayedCase,
  type StoredCaseState,
} from './case-replay.js';
export { CASE_OUTCOMES, CASE_STATUSES, isCaseStatus, type CaseOutcome, type CaseStatus } from './case-status.js';

// What goes in: events
export {
  CASE_EVENT_TYPES,
  DECISION_OUTCOMES,
  OBJECTION_OUTCOMES,
  PAYMENT_OUTCOMES,
  type AllocatedEvent,
  type CaseEvent,
  type CaseEventType,
  type ClockBreachedEvent,
  type DecidedEvent,
  type DecisionOutcome,
  type ExtensionGrantedEvent,
  type NoticePeriodEndedEvent,
  type ObjectionDecidedEvent,
  type ObjectionFiledEvent,
  type ObjectionOutcome,
  type PaymentConfirmedEvent,
  type PaymentFailedEvent,
  type PaymentOutcome,
  type StepStartedEvent,
  type SubmittedEvent,
  type SupplementLapsedEvent,
  type SupplementReceivedEvent,
  type WithdrawnEvent,
} from './events.js';
export { caseEventSchema } from './event-schema.js';

// What comes out: intents
export {
  INTENT_ERRORS,
  INTENT_TYPES,
  NOTICE_TEMPLATES,
  SUPPLEMENT_WINDOW_CLOCK,
  TASK_KINDS,
  intentsOf,
  type ClockKind,
  type ClockParams,
  type CloseCaseParams,
  type CloseTaskParams,
  type ExtendClockParams,
  type GrantEntitlementParams,
  type Intent,
  type IntentType,
  type NoticeTemplate,
  type NotifyApplicantParams,
  type OpenTaskParams,
  type RefusalProposal,
  type PartDecision,
  type PublishNoticeParams,
  type RecordDecisionParams,
  type StartClockParams,
  type TaskKind,
  type TaskOutcome,
} from './intents.js';
export {
  CLOCK_BASES,
  clockBasisOf,
  LIMIT_UNITS,
  type ClockBasis,
  type LegalBasis,
  type Limit,
  type LimitUnit,
} from './limits.js';
export { limitsOfItem, type ItemLimit } from './item-limits.js';
export type { RejectReason } from './reject-reason.js';
export { WORKFLOW_ERRORS } from './guards.js';

// The procedures: inputs, and their limits and reasons as data
export { type MinimumLivingInput } from './minimum-living/minimum-living.machine.js';
export {
  MINIMUM_LIVING_LIMITS,
  MINIMUM_LIVING_REASONS,
  MINIMUM_LIVING_REINVESTIGATION_REASONS,
} from './minimum-living/minimum-living.rules.js';
export { type ExtremePovertyInput } from './extreme-poverty/extreme-poverty.machine.js';
export {
  EXTREME_POVERTY_LIMITS,
  EXTREME_POVERTY_REASONS,
  SELF_CARE_LEVELS,
  SUPPORT_FORMS,
  type SelfCareLevel,
  type SupportForm,
} from './extreme-poverty/extreme-poverty.rules.js';
export {
  ASSISTANCE_TYPES,
  TEMPORARY_ASSISTANCE_ERRORS,
  type AssistanceType,
  type TemporaryAssistanceInput,
} from './temporary-assistance/temporary-assistance.machine.js';
export {
  MAX_INSTALMENTS,
  TEMPORARY_ASSISTANCE_LIMITS,
  splitInstalments,
} from './temporary-assistance/temporary-assistance.rules.js';
export {
  DISABILITY_SUBSIDIES_ERRORS,
  type DisabilitySubsidiesInput,
} from './disability-subsidies/disability-subsidies.machine.js';
export {
  DISABILITY_SUBSIDY_LIMITS,
  REASONS_BY_SUBSIDY,
  SUBSIDIES,
  type Subsidy,
} from './disability-subsidies/disability-subsidies.rules.js';
export { LEGAL_AID_ERRORS, type LegalAidInput } from './legal-aid/legal-aid.machine.js';
export { DAY_COUNTINGS, LEGAL_AID_REASONS, legalAidLimits, type DayCounting } from './legal-aid/legal-aid.rules.js';
export { type PublicRentalHousingInput } from './public-rental-housing/public-rental-housing.machine.js';
export {
  LEASE_AT_MOST_MONTHS,
  PUBLIC_RENTAL_HOUSING_LIMITS,
} from './public-rental-housing/public-rental-housing.rules.js';
export { type UnemploymentBenefitInput } from './unemployment-benefit/unemployment-benefit.machine.js';
export {
  UNEMPLOYMENT_BENEFIT_LIMITS,
  UNEMPLOYMENT_BENEFIT_REASONS,
  maxBenefitMonths,
} from './unemployment-benefit/unemployment-benefit.rules.js';
export { generalReviewInput, type GeneralReviewInput } from './general-review/general-review.machine.js';
export {
  ASSUMED_LIMITS,
  GENERAL_REVIEW_CONFIGURATIONS,
  GENERAL_REVIEW_REASONS,
  findGeneralReviewConfiguration,
} from './general-review/configurations.js';
export {
  GENERAL_REVIEW_ERRORS,
  GENERAL_STEP_KINDS,
  configurationProblems,
  type GeneralReviewConfiguration,
  type GeneralReviewStep,
  type GeneralStepKind,
} from './general-review/review-step.js';
export {
  DATA_CHECK_RESULTS,
  MEANS_FINDINGS_FIELDS,
  MEANS_FINDINGS_PROBE,
  type MeansFindings,
} from './means-findings.js';
export {
  CARE_FINDINGS_FIELDS,
  CARE_FINDINGS_PROBE,
  type FindingField,
  requiredFindingsOf,
} from './required-findings.js';
