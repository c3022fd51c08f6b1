import { isDeepStrictEqual } from 'node:util';
import { DomainError } from '@minsheng/domain';
import type { CaseEvent } from './events.js';
import { advance, startCaseOn } from './procedure-registry.js';
import type { CaseStep, PersistedSnapshot } from './procedure-runner.js';

/**
 * Replay (docs/operations.md "Replay"): a case's machine state is a function of its event log. The engine records,
 * on the first event it applies, the machine and version the case started on and the input it started from; every
 * applied event carries the machine event it applied. Running them again through the same pure, versioned machine
 * must give back the stored snapshot, status and open steps. Nothing here reads the database.
 */

/** One row of `case_events`, as far as a replay needs it. */
export interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** How the machine started: recorded under `start` on the first applied event. */
export interface CaseStart {
  readonly machineId: string;
  readonly version: number;
  readonly input: unknown;
}

export interface ReplayedCase {
  readonly machineId: string;
  readonly version: number;
  readonly snapshot: PersistedSnapshot;
  readonly status: string;
  readonly closed: boolean;
  readonly currentSteps: readonly string[];
  /** The machine events applied (events refused, and the tasks, clocks and notices written beside them, are not). */
  readonly applied: number;
}

export type Replay =
  | { readonly ok: true; readonly replayed: ReplayedCase }
  | { readonly ok: false; readonly atSeq: number | null; readonly reason: string };

/**
 * The machine event an engine step applied, or undefined for the other events of the log (COMMAND_REFUSED, tasks,
 * clocks, notices, staff notes): the step's own event has the type of the event it applied and records the status
 * it moved to.
 */
export function applied(event: LoggedEvent): CaseEvent | undefined {
  const inner = event.payload['event'];
  if (typeof inner !== 'object' || inner === null || !('to' in event.payload)) return undefined;
  return (inner as { type?: unknown }).type === event.type ? (inner as CaseEvent) : undefined;
}

function startOf(event: LoggedEvent): CaseStart | undefined {
  const start = event.payload['start'];
  if (typeof start !== 'object' || start === null) return undefined;
  const { machineId, version, input } = start as Record<string, unknown>;
  if (typeof machineId !== 'string' || typeof version !== 'number') return undefined;
  return { machineId, version, input };
}

/** Rebuilds a case's machine from its log alone (events in `seq` order). */
export function replayCase(events: readonly LoggedEvent[]): Replay {
  let current: (CaseStep & { machineId: string; version: number }) | undefined;
  let count = 0;
  for (const logged of events) {
    const event = applied(logged);
    if (event === undefined) continue;
    try {
      if (current === undefined) {
        const start = startOf(logged);
        if (start === undefined) {
          return {
            ok: false,
            atSeq: logged.seq,
            reason: 'the first applied event does not record how the case started',
          };
        }
        const started = startCaseOn(start.machineId, start.version, start.input);
        const next = advance(started, event);
        // The engine applies SUBMITTED to a machine that has no `submitted` state as the start alone.
        current = { ...(next.changed ? next : started), machineId: start.machineId, version: start.version };
      } else {
        const next = advance(current, event);
        if (!next.changed) {
          return { ok: false, atSeq: logged.seq, reason: `the machine does not accept ${event.type} here` };
        }
        current = { ...next, machineId: current.machineId, version: current.version };
      }
    } catch (error) {
      const reason = error instanceof DomainError ? `${error.code}: ${error.message}` : String(error);
      return { ok: false, atSeq: logged.seq, reason };
    }
    count += 1;
  }
  if (current === undefined) return { ok: false, atSeq: null, reason: 'the log has no applied event' };
  return {
    ok: true,
    replayed: {
      machineId: current.machineId,
      version: current.version,
      snapshot: current.snapshot,
      status: current.status,
      closed: current.closed,
      currentSteps: current.currentSteps,
      applied: count,
    },
  };
}

/** What the `cases` and `tasks` rows say about a case's machine. */
export interface StoredCaseState {
  readonly machineId: string | null;
  readonly version: number | null;
  readonly snapshot: unknown;
  readonly status: string;
  readonly closed: boolean;
  /** `cases.current_steps`. */
  readonly currentSteps: readonly string[];
  /** The steps of the case's tasks not closed. */
  readonly openTaskSteps: readonly string[];
}

export interface Divergence {
  readonly field: 'machine' | 'snapshot' | 'status' | 'closed' | 'currentSteps' | 'openTasks';
  readonly stored: unknown;
  readonly replayed: unknown;
}

const sorted = (steps: readonly string[]): string[] => [...steps].sort();
/** The snapshot as PostgreSQL gives it back from `jsonb`: plain JSON, keys in any order (compared deeply). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** The differences between the replayed machine and the stored rows; none when the case is consistent. */
export function compareWithStored(replayed: ReplayedCase, stored: StoredCaseState): Divergence[] {
  const divergences: Divergence[] = [];
  const differ = (field: Divergence['field'], s: unknown, r: unknown) => {
    if (!isDeepStrictEqual(s, r)) divergences.push({ field, stored: s, replayed: r });
  };
  differ('machine', `${stored.machineId}@${stored.version}`, `${replayed.machineId}@${replayed.version}`);
  differ('snapshot', asJson(stored.snapshot), asJson(replayed.snapshot));
  differ('status', stored.status, replayed.status);
  differ('closed', stored.closed, replayed.closed);
  differ('currentSteps', sorted(stored.currentSteps), sorted(replayed.currentSteps));
  differ('openTasks', sorted(stored.openTaskSteps), sorted(replayed.currentSteps));
  return divergences;
}
