import { type ProcedureId } from '@minsheng/domain';
import {
  advance,
  startCase,
  storedProcedureInput,
  type CaseEvent,
  type CaseStart,
  type CaseStep,
  type Intent,
  type PersistedSnapshot,
} from '@minsheng/workflows';

/** The locked case row as the engine reads it. */
export interface LockedCase {
  readonly id: string;
  readonly item_code: string;
  readonly procedure_id: string;
  readonly machine_id: string;
  readonly machine_version: number;
  readonly snapshot: PersistedSnapshot | null;
  readonly status: string;
  readonly version: number;
  readonly last_event_seq: number;
  readonly last_event_hash: string | null;
  readonly department_code: string;
  readonly accepting_division: string;
  readonly approving_division: string;
  readonly facts: Record<string, unknown>;
  readonly closed_at: Date | null;
}

export type StepResult =
  | {
      readonly accepted: true;
      readonly step: CaseStep;
      readonly intents: readonly Intent[];
      /** Set when the case's machine started in this step: what a replay of its log starts from. */
      readonly start?: CaseStart;
    }
  | { readonly accepted: false; readonly reason: string };

/**
 * Pure: what one event does to a locked case. A case intake wrote has no snapshot yet: the machine starts from
 * the input intake built and stored with the case (on the latest version of its procedure) and then takes the
 * event, so SUBMITTED moves a new case to acceptance in the same step. The intents of the start come first. A case
 * without a stored input throws `CASE.PROCEDURE_INPUT_MISSING`: the command fails permanently, never on defaults.
 */
export function stepCase(row: LockedCase, event: CaseEvent): StepResult {
  if (row.closed_at !== null) return { accepted: false, reason: 'the case is closed' };
  if (row.snapshot === null) {
    const input = storedProcedureInput(row.id, row.facts);
    const started = startCase(row.procedure_id as ProcedureId, input as never);
    const start: CaseStart = { machineId: started.machineId, version: started.version, input };
    const next = advance({ machineId: started.machineId, version: started.version, snapshot: started.snapshot }, event);
    if (!next.changed) {
      // SUBMITTED is how a machine leaves `submitted`; a machine without that state takes the start alone.
      if (event.type === 'SUBMITTED' && started.status !== 'submitted') {
        return { accepted: true, step: started, intents: started.intents, start };
      }
      return { accepted: false, reason: refusal(started.status, event) };
    }
    return { accepted: true, step: next, intents: [...started.intents, ...next.intents], start };
  }
  const next = advance({ machineId: row.machine_id, version: row.machine_version, snapshot: row.snapshot }, event);
  if (!next.changed) return { accepted: false, reason: refusal(row.status, event) };
  return { accepted: true, step: next, intents: next.intents };
}

function refusal(status: string, event: CaseEvent): string {
  const step = 'step' in event && typeof event.step === 'string' ? ` for step ${event.step}` : '';
  return `a case in status ${status} does not accept ${event.type}${step} (its state or its guards refuse it)`;
}
