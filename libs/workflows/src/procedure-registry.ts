import type { ProcedureId } from '@minsheng/domain';
import type { AnyMachineSnapshot } from 'xstate';
import type { CaseStatus } from './case-status.js';
import type { CaseEvent } from './events.js';
import {
  DISABILITY_SUBSIDIES_VERSION,
  disabilitySubsidiesMachine,
  disabilitySubsidiesMachineOf,
  type DisabilitySubsidiesInput,
} from './disability-subsidies/disability-subsidies.machine.js';
import {
  EXTREME_POVERTY_VERSION,
  extremePovertyMachine,
  extremePovertyMachineOf,
  type ExtremePovertyInput,
} from './extreme-poverty/extreme-poverty.machine.js';
import {
  GENERAL_REVIEW_VERSION,
  generalReviewCurrentSteps,
  generalReviewMachine,
  type GeneralReviewInput,
} from './general-review/general-review.machine.js';
import {
  LEGAL_AID_VERSION,
  legalAidMachine,
  legalAidMachineOf,
  type LegalAidInput,
} from './legal-aid/legal-aid.machine.js';
import {
  MINIMUM_LIVING_VERSION,
  minimumLivingMachine,
  minimumLivingMachineOf,
  type MinimumLivingInput,
} from './minimum-living/minimum-living.machine.js';
import {
  PUBLIC_RENTAL_HOUSING_VERSION,
  publicRentalHousingMachine,
  publicRentalHousingMachineOf,
  type PublicRentalHousingInput,
} from './public-rental-housing/public-rental-housing.machine.js';
import {
  TEMPORARY_ASSISTANCE_VERSION,
  temporaryAssistanceMachine,
  temporaryAssistanceMachineOf,
  type TemporaryAssistanceInput,
} from './temporary-assistance/temporary-assistance.machine.js';
import {
  UNEMPLOYMENT_BENEFIT_VERSION,
  unemploymentBenefitMachine,
  unemploymentBenefitMachineOf,
  type UnemploymentBenefitInput,
} from './unemployment-benefit/unemployment-benefit.machine.js';
import {
  createProcedureRunner,
  type AdvancedCase,
  type ProcedureDefinition,
  type StartedCase,
  type StoredCase,
} from './procedure-runner.js';

/** The input each procedure's machine starts from. */
export interface ProcedureInputs {
  'minimum-living': MinimumLivingInput;
  'extreme-poverty': ExtremePovertyInput;
  'temporary-assistance': TemporaryAssistanceInput;
  'disability-subsidies': DisabilitySubsidiesInput;
  'legal-aid': LegalAidInput;
  'public-rental-housing': PublicRentalHousingInput;
  'unemployment-benefit': UnemploymentBenefitInput;
  'general-review': GeneralReviewInput;
}

type Versions = { readonly [P in ProcedureId]: Readonly<Record<number, ProcedureDefinition>> };

/**
 * Every version of every procedure machine. A case keeps the machine id and version it started with and finishes
 * on it (docs/architecture.md invariant 5): add `2: { ... }` beside `1` for a new version, never replace `1` while
 * cases may still run on it. New cases start on the highest version.
 * The type checker keeps the map complete: every procedure has a machine.
 */
export const PROCEDURE_VERSIONS: Versions = {
  'minimum-living': {
    1: { id: 'minimum-living', version: 1, machine: minimumLivingMachineOf(1) },
    [MINIMUM_LIVING_VERSION]: { id: 'minimum-living', version: MINIMUM_LIVING_VERSION, machine: minimumLivingMachine },
  },
  'extreme-poverty': {
    1: { id: 'extreme-poverty', version: 1, machine: extremePovertyMachineOf(1) },
    [EXTREME_POVERTY_VERSION]: {
      id: 'extreme-poverty',
      version: EXTREME_POVERTY_VERSION,
      machine: extremePovertyMachine,
    },
  },
  'temporary-assistance': {
    1: { id: 'temporary-assistance', version: 1, machine: temporaryAssistanceMachineOf(1) },
    2: { id: 'temporary-assistance', version: 2, machine: temporaryAssistanceMachineOf(2) },
    [TEMPORARY_ASSISTANCE_VERSION]: {
      id: 'temporary-assistance',
      version: TEMPORARY_ASSISTANCE_VERSION,
      machine: temporaryAssistanceMachine,
    },
  },
  'disability-subsidies': {
    1: { id: 'disability-subsidies', version: 1, machine: disabilitySubsidiesMachineOf(1) },
    [DISABILITY_SUBSIDIES_VERSION]: {
      id: 'disability-subsidies',
      version: DISABILITY_SUBSIDIES_VERSION,
      machine: disabilitySubsidiesMachine,
    },
  },
  'legal-aid': {
    1: { id: 'legal-aid', version: 1, machine: legalAidMachineOf(1) },
    [LEGAL_AID_VERSION]: { id: 'legal-aid', version: LEGAL_AID_VERSION, machine: legalAidMachine },
  },
  'public-rental-housing': {
    1: { id: 'public-rental-housing', version: 1, machine: publicRentalHousingMachineOf(1) },
    2: { id: 'public-rental-housing', version: 2, machine: publicRentalHousingMachineOf(2) },
    [PUBLIC_RENTAL_HOUSING_VERSION]: {
      id: 'public-rental-housing',
      version: PUBLIC_RENTAL_HOUSING_VERSION,
      machine: publicRentalHousingMachine,
    },
  },
  'unemployment-benefit': {
    1: { id: 'unemployment-benefit', version: 1, machine: unemploymentBenefitMachineOf(1) },
    2: { id: 'unemployment-benefit', version: 2, machine: unemploymentBenefitMachineOf(2) },
    [UNEMPLOYMENT_BENEFIT_VERSION]: {
      id: 'unemployment-benefit',
      version: UNEMPLOYMENT_BENEFIT_VERSION,
      machine: unemploymentBenefitMachine,
    },
  },
  'general-review': {
    [GENERAL_REVIEW_VERSION]: {
      id: 'general-review',
      version: GENERAL_REVIEW_VERSION,
      machine: generalReviewMachine,
      currentSteps: generalReviewCurrentSteps,
    },
  },
};

const runner = createProcedureRunner(PROCEDURE_VERSIONS);

/** The versions a procedure has, oldest first. */
export function versionsFor(procedureId: ProcedureId): readonly number[] {
  return runner.versionsFor(procedureId);
}

/**
 * The machine of a procedure: the latest version for a new case, or exactly `version` for an existing one.
 * Throws `WORKFLOW.UNKNOWN_PROCEDURE` / `WORKFLOW.UNKNOWN_VERSION`.
 */
export function machineFor(procedureId: string, version?: number): ProcedureDefinition {
  return runner.machineFor(procedureId, version);
}

/**
 * Starts a case on the latest version of its procedure (status `submitted`; the worker then sends SUBMITTED).
 * Pure: the intents are for the worker to carry out. Bad input throws the procedure's `*.BAD_INPUT` error.
 */
export function startCase<P extends ProcedureId>(procedureId: P, input: ProcedureInputs[P]): StartedCase {
  return runner.startCase(procedureId, input);
}

/**
 * Starts a case on exactly `version` of its procedure with the input its log recorded: how a replay of the case's
 * event log begins (the machine a case started on stays its machine, whatever version is newest now).
 */
export function startCaseOn(procedureId: string, version: number, input: unknown): StartedCase {
  return runner.startCase(procedureId, input, version);
}

/**
 * Applies one event to a stored case: restore the snapshot on its own machine version, transition, persist.
 * `changed: false` (with no intents) means the state did not accept the event; the worker refuses it as a conflict.
 */
export function advance(stored: StoredCase, event: CaseEvent): AdvancedCase {
  return runner.advance(stored, event);
}

/** The case status of a live snapshot, or of a stored case (restored on its own machine version first). */
export function describeState(snapshot: AnyMachineSnapshot | StoredCase): CaseStatus {
  return runner.describeState(snapshot);
}

/** The steps with an open task in a stored case. */
export function currentStepsOf(stored: StoredCase): readonly string[] {
  return runner.currentStepsOf(stored);
}

/** Whether the stored case's current state would take `event` (guards included); nothing moves. */
export function accepts(stored: StoredCase, event: CaseEvent): boolean {
  return runner.accepts(stored, event);
}
