import type { AnyStateMachine } from 'xstate';
import type { CaseStatus } from './case-status.js';

interface StateNodeLike {
  readonly key: string;
  readonly type: string;
  readonly tags: Iterable<string>;
  readonly states: Readonly<Record<string, StateNodeLike>>;
}

/** A final state of a procedure machine, read from its definition. */
export interface FinalState {
  /** The state's key in the machine, e.g. `deemedWithdrawn`. */
  readonly state: string;
  /** How the end is named in the case's CASE_CLOSED event and in docs/procedures.md, e.g. `deemed-withdrawn`. */
  readonly outcome: string;
  /** The status a case shows once it rests there (the state's status tag). */
  readonly status: CaseStatus;
}

/** `deemedWithdrawn` → `deemed-withdrawn`, as a case's closing event and docs/procedures.md name an end. */
export function outcomeName(state: string): string {
  return state.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Every final state of a machine, walked from its root: never a hand-written list. */
export function finalStatesOf(machine: AnyStateMachine): FinalState[] {
  const finals: FinalState[] = [];
  const walk = (node: StateNodeLike) => {
    if (node.type === 'final') {
      const [status] = [...node.tags] as CaseStatus[];
      finals.push({ state: node.key, outcome: outcomeName(node.key), status: status! });
    }
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as StateNodeLike);
  return finals;
}
