import { DomainError, type ProcedureId } from '@minsheng/domain';
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { isCaseStatus, type CaseStatus } from './case-status.js';
import type { CaseEvent } from './events.js';
import { intentsOf, type Intent } from './intents.js';

/**
 * Runs versioned procedure machines with XState's pure functions: restore the stored snapshot on the machine
 * version the case started with, transition, persist, and hand back the intents. Nothing is executed here.
 */

export interface ProcedureDefinition {
  readonly id: ProcedureId;
  readonly version: number;
  readonly machine: AnyStateMachine;
  /** The steps with an open task; by default read from the `step:<name>` tags of the active states. */
  readonly currentSteps?: (snapshot: AnyMachineSnapshot) => readonly string[];
}

/** Every version of each procedure, by version number. */
export type ProcedureVersions = { readonly [P in ProcedureId]?: Readonly<Record<number, ProcedureDefinition>> };

export const REGISTRY_ERRORS = {
  unknownProcedure: 'WORKFLOW.UNKNOWN_PROCEDURE',
  unknownVersion: 'WORKFLOW.UNKNOWN_VERSION',
  badSnapshot: 'WORKFLOW.BAD_SNAPSHOT',
  machineFailed: 'WORKFLOW.MACHINE_FAILED',
  noStatus: 'WORKFLOW.NO_STATUS',
} as const;

/** A snapshot as stored in the case row: `machine.getPersistedSnapshot()`, plain JSON. */
export interface PersistedSnapshot {
  readonly status: string;
  readonly value: unknown;
  readonly context: unknown;
  readonly [key: string]: unknown;
}

/** What the case row keeps of its machine. */
export interface StoredCase {
  readonly machineId: string;
  readonly version: number;
  readonly snapshot: PersistedSnapshot;
}

export interface CaseStep {
  readonly snapshot: PersistedSnapshot;
  readonly intents: readonly Intent[];
  readonly status: CaseStatus;
  /** The machine reached a final state: the case is closed. */
  readonly closed: boolean;
  readonly currentSteps: readonly string[];
}

export interface StartedCase extends CaseStep {
  readonly machineId: ProcedureId;
  readonly version: number;
}

export interface AdvancedCase extends CaseStep {
  /** False when the event was not accepted in the current state (e.g. a decision for another step). */
  readonly changed: boolean;
}

export interface ProcedureRunner {
  /** The versions a procedure has, oldest first. */
  versionsFor(procedureId: string): readonly number[];
  /** The latest version for a new case, or exactly `version` for an existing one. */
  machineFor(procedureId: string, version?: number): ProcedureDefinition;
  /** Starts a case on the latest version of its procedure, or on exactly `version` (a replay of its log). */
  startCase(procedureId: string, input: unknown, version?: number): StartedCase;
  /** Applies one event to a stored case. `changed: false` (with no intents) means the state did not accept it. */
  advance(stored: StoredCase, event: CaseEvent): AdvancedCase;
  /** The status of a live snapshot, or of a stored case restored on its own machine version. */
  describeState(snapshot: AnyMachineSnapshot | StoredCase): CaseStatus;
  /** The steps with an open task in a stored case. */
  currentStepsOf(stored: StoredCase): readonly string[];
  /**
   * Whether the stored case's current state would take `event` (its guards included), without moving it: lets a
   * route accept exactly what the machine accepts instead of a hard-coded status.
   */
  accepts(stored: StoredCase, event: CaseEvent): boolean;
}

export function createProcedureRunner(versions: ProcedureVersions): ProcedureRunner {
  const versionsOf = (procedureId: string): Readonly<Record<number, ProcedureDefinition>> => {
    const found = Object.hasOwn(versions, procedureId) ? versions[procedureId as ProcedureId] : undefined;
    if (found === undefined || Object.keys(found).length === 0) {
      throw new DomainError(REGISTRY_ERRORS.unknownProcedure, `no machine for procedure ${procedureId}`, {
        field: 'machineId',
      });
    }
    return found;
  };

  const versionsFor = (procedureId: string): readonly number[] =>
    Object.keys(versionsOf(procedureId))
      .map(Number)
      .sort((a, b) => a - b);

  const machineFor = (procedureId: string, version?: number): ProcedureDefinition => {
    const wanted = version ?? Math.max(...versionsFor(procedureId));
    const definition = versionsOf(procedureId)[wanted];
    if (definition === undefined) {
      throw new DomainError(REGISTRY_ERRORS.unknownVersion, `procedure ${procedureId} has no version ${wanted}`, {
        field: 'version',
      });
    }
    return definition;
  };

  return {
    versionsFor,
    machineFor,
    startCase(procedureId, input, version) {
      const definition = machineFor(procedureId, version);
      const [snapshot, actions] = initialTransition(definition.machine, input);
      failOnError(definition, snapshot);
      return {
        machineId: definition.id,
        version: definition.version,
        ...describeStep(definition, snapshot, intentsOf(actions)),
      };
    },
    advance(stored, event) {
      const definition = machineFor(stored.machineId, stored.version);
      const restored = restore(definition, stored.snapshot);
      // A closed case takes no more events (XState would still run root-level handlers on a done snapshot).
      if (restored.status !== 'active') return { ...describeStep(definition, restored, []), changed: false };
      const [next, actions] = transition(definition.machine, restored, event);
      failOnError(definition, next);
      return { ...describeStep(definition, next, intentsOf(actions)), changed: next !== restored };
    },
    describeState(snapshot) {
      if ('machineId' in snapshot) {
        const definition = machineFor(snapshot.machineId, snapshot.version);
        return statusOf(restore(definition, snapshot.snapshot));
      }
      return statusOf(snapshot);
    },
    currentStepsOf(stored) {
      const definition = machineFor(stored.machineId, stored.version);
      return stepsOf(definition, restore(definition, stored.snapshot));
    },
    accepts(stored, event) {
      const definition = machineFor(stored.machineId, stored.version);
      const restored = restore(definition, stored.snapshot);
      return restored.status === 'active' && restored.can(event);
    },
  };
}

function restore(definition: ProcedureDefinition, snapshot: PersistedSnapshot): AnyMachineSnapshot {
  let restored: AnyMachineSnapshot;
  try {
    restored = definition.machine.resolveState(snapshot as Parameters<AnyStateMachine['resolveState']>[0]);
  } catch (cause) {
    throw badSnapshot(definition, cause);
  }
  // resolveState falls back to the initial state for values it cannot map: only an exact match is ours.
  if (JSON.stringify(restored.value) !== JSON.stringify(snapshot.value)) {
    throw badSnapshot(definition, undefined, `it has no state ${JSON.stringify(snapshot.value)}`);
  }
  return restored;
}

function badSnapshot(
  definition: ProcedureDefinition,
  cause: unknown,
  why = 'XState could not restore it',
): DomainError {
  return new DomainError(
    REGISTRY_ERRORS.badSnapshot,
    `the stored snapshot does not fit ${definition.id} v${definition.version}: ${why}`,
    { field: 'snapshot' },
    { cause },
  );
}

/** XState reports a throwing context factory, guard or params as an `error` snapshot: surface it. */
function failOnError(definition: ProcedureDefinition, snapshot: AnyMachineSnapshot): void {
  if (snapshot.status !== 'error') return;
  const cause: unknown = snapshot.error;
  if (cause instanceof DomainError) throw cause;
  throw new DomainError(REGISTRY_ERRORS.machineFailed, `${definition.id} v${definition.version} failed`, {}, { cause });
}

function describeStep(definition: ProcedureDefinition, snapshot: AnyMachineSnapshot, intents: Intent[]): CaseStep {
  return {
    snapshot: definition.machine.getPersistedSnapshot(snapshot) as unknown as PersistedSnapshot,
    intents,
    status: statusOf(snapshot),
    closed: snapshot.status === 'done',
    currentSteps: stepsOf(definition, snapshot),
  };
}

function statusOf(snapshot: AnyMachineSnapshot): CaseStatus {
  const statuses = [...snapshot.tags].filter(isCaseStatus);
  const [status] = statuses;
  if (status === undefined || statuses.length > 1) {
    throw new DomainError(
      REGISTRY_ERRORS.noStatus,
      `state ${JSON.stringify(snapshot.value)} has ${statuses.length} status tags`,
      {
        field: 'snapshot.value',
      },
    );
  }
  return status;
}

function stepsOf(definition: ProcedureDefinition, snapshot: AnyMachineSnapshot): readonly string[] {
  if (definition.currentSteps !== undefined) return definition.currentSteps(snapshot);
  return [...snapshot.tags].filter((tag) => tag.startsWith('step:')).map((tag) => tag.slice('step:'.length));
}
