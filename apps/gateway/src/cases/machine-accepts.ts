import { accepts, type CaseEvent, type PersistedSnapshot } from '@minsheng/workflows';

/** What a case row keeps of its machine (cases.machine_id, machine_version, snapshot). */
export interface CaseMachineRow {
  readonly machine_id: string;
  readonly machine_version: number;
  /** NULL until the engine has applied SUBMITTED. */
  readonly snapshot: PersistedSnapshot | null;
}

/**
 * Whether the case's machine, in its current state, takes `event`: routes ask the machine instead of checking a
 * hard-coded status, so they accept exactly what the procedure allows (docs/procedures.md).
 */
export function machineAccepts(row: CaseMachineRow, event: CaseEvent): boolean {
  if (row.snapshot === null) return false;
  return accepts({ machineId: row.machine_id, version: row.machine_version, snapshot: row.snapshot }, event);
}
