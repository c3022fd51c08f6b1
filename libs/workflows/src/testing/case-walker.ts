import type { ProcedureId } from '@minsheng/domain';
import type { AnyStateMachine, StateValue } from 'xstate';
import type { CaseStatus } from '../case-status.js';
import type { CaseEvent, DecisionOutcome } from '../events.js';
import type { Intent } from '../intents.js';
import { advance, machineFor, startCase, startCaseOn, type ProcedureInputs } from '../procedure-registry.js';
import type { StoredCase } from '../procedure-runner.js';
import { applyStep, EMPTY_LEDGER, type LedgerState } from './case-ledger.js';

/**
 * Test support for the procedure machines: walk a scenario through the registry (persisting the snapshot to
 * JSON and restoring it at every step, as the worker does), and explore every reachable state.
 */

/** `openTask:acceptance`, `startClock:overall`, `notifyApplicant:rejected`, `closeCase:approved`. */
export function summarize(intent: Intent): string {
  switch (intent.type) {
    case 'openTask':
    case 'closeTask':
    case 'recordDecision':
      return intent.type === 'recordDecision'
        ? `recordDecision:${intent.params.step}:${intent.params.outcome}`
        : `${intent.type}:${intent.params.step}`;
    case 'startClock':
    case 'pauseClock':
    case 'resumeClock':
    case 'stopClock':
    case 'extendClock':
      return `${intent.type}:${intent.params.clock}`;
    case 'notifyApplicant':
      return `notifyApplicant:${intent.params.template}`;
    case 'publishNotice':
      return `publishNotice:${intent.params.notice}`;
    case 'grantEntitlement':
      return `grantEntitlement:${intent.params.kind}`;
    case 'closeCase':
      return `closeCase:${intent.params.outcome}`;
  }
}

/** `review.investigation.notStarted` for `{ review: { investigation: 'notStarted' } }`. */
export function stateString(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateString(child)}`))
    .join('|');
}

export type Inputs = ProcedureInputs;

export interface TraceStep {
  readonly event: string;
  readonly state: string;
  readonly status: CaseStatus | '(unchanged)';
  readonly intents: readonly string[];
}

function eventLabel(event: CaseEvent): string {
  switch (event.type) {
    case 'DECIDED':
      return `DECIDED ${event.step} ${event.outcome}${event.reasonCode === undefined ? '' : ` ${event.reasonCode}`}`;
    case 'STEP_STARTED':
      return `STEP_STARTED ${event.step}`;
    case 'OBJECTION_DECIDED':
      return `OBJECTION_DECIDED ${event.upheld ? 'upheld' : 'not-upheld'}`;
    case 'NOTICE_PERIOD_ENDED':
      return `NOTICE_PERIOD_ENDED ${event.clock ?? 'public-notice'}`;
    case 'PAYMENT_CONFIRMED':
    case 'PAYMENT_FAILED':
      return `${event.type} ${event.instalment}`;
    case 'CLOCK_BREACHED':
      return `CLOCK_BREACHED ${event.clock}`;
    default:
      return event.type;
  }
}

/** One expected step of a scenario: the event, then the state and status it leads to and the intents it emits. */
export function step(event: CaseEvent, state: string, status: CaseStatus, intents: readonly string[]): ScenarioStep {
  return { event, expected: { event: eventLabel(event), state, status, intents } };
}

/** An event the current state must refuse: no change, no intents. */
export function refused(event: CaseEvent): ScenarioStep {
  return { event, expected: { event: eventLabel(event), state: '(unchanged)', status: '(unchanged)', intents: [] } };
}

export interface ScenarioStep {
  readonly event: CaseEvent;
  readonly expected: TraceStep;
}

export interface ScenarioRun {
  readonly actual: TraceStep[];
  readonly expected: TraceStep[];
  readonly problems: string[];
  readonly intents: Intent[][];
  readonly final: StoredCase;
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Runs a scenario from a new case (on the latest version, or on `version`): every step goes through JSON, as
 * between two worker jobs.
 */
export function runScenario<P extends ProcedureId>(
  procedureId: P,
  input: Inputs[P],
  steps: readonly ScenarioStep[],
  version?: number,
): ScenarioRun {
  const started = version === undefined ? startCase(procedureId, input) : startCaseOn(procedureId, version, input);
  let stored: StoredCase = roundTrip({
    machineId: started.machineId,
    version: started.version,
    snapshot: started.snapshot,
  });
  let ledger = EMPTY_LEDGER;
  const problems: string[] = [];
  const actual: TraceStep[] = [];
  const intents: Intent[][] = [];
  for (const { event } of steps) {
    const next = advance(stored, event);
    const applied = applyStep(ledger, { ...next, event });
    ledger = applied.ledger;
    problems.push(...applied.problems);
    intents.push([...next.intents]);
    actual.push(
      next.changed
        ? {
            event: eventLabel(event),
            state: stateString(next.snapshot.value as StateValue),
            status: next.status,
            intents: next.intents.map(summarize),
          }
        : {
            event: eventLabel(event),
            state: '(unchanged)',
            status: '(unchanged)',
            intents: next.intents.map(summarize),
          },
    );
    if (next.changed) stored = roundTrip({ ...stored, snapshot: next.snapshot });
  }
  return { actual, expected: steps.map((s) => s.expected), problems, intents, final: stored };
}

/** Every state node id of a machine (`minimum-living.review.investigation.notStarted`). */
export function allStateIds(machine: AnyStateMachine): string[] {
  const ids: string[] = [];
  const visit = (node: { id: string; states: Record<string, unknown> }) => {
    ids.push(node.id);
    for (const child of Object.values(node.states)) visit(child as typeof node);
  };
  visit(machine.root as unknown as { id: string; states: Record<string, unknown> });
  return ids;
}

function activeStateIds(machineId: string, value: StateValue): string[] {
  const ids = [machineId];
  const visit = (prefix: string, v: StateValue) => {
    if (typeof v === 'string') {
      ids.push(`${prefix}.${v}`);
      return;
    }
    for (const [key, child] of Object.entries(v)) {
      ids.push(`${prefix}.${key}`);
      if (child !== undefined) visit(`${prefix}.${key}`, child);
    }
  };
  visit(machineId, value);
  return ids;
}

/** Decision payloads a procedure accepts or must refuse for a step and outcome (findings, amounts, reasons). */
export type DecisionPayloads = (
  step: string,
  outcome: DecisionOutcome,
  reasons: readonly string[],
) => readonly Partial<CaseEvent>[];

const ACTOR = 'reviewer-1';

/** The events worth trying in a state: decisions for every open task, every outcome, valid and invalid. */
export function candidateEvents(ledger: LedgerState, payloads: DecisionPayloads): CaseEvent[] {
  const events: CaseEvent[] = [{ type: 'SUBMITTED' }];
  for (const task of Object.values(ledger.tasks)) {
    if (task.kind === 'objection') continue;
    for (const outcome of ['approve', 'reject', 'return'] as const) {
      const base = { type: 'DECIDED', step: task.step, outcome, actor: ACTOR } as const;
      for (const extra of payloads(task.step, outcome, task.rejectReasons))
        events.push({ ...base, ...extra } as CaseEvent);
    }
    events.push({ type: 'DECIDED', step: task.step, outcome: 'approve', actor: '' });
    events.push({ type: 'STEP_STARTED', step: task.step, actor: ACTOR });
    if (task.payment !== undefined) {
      events.push({ type: 'PAYMENT_CONFIRMED', instalment: task.payment.instalment, reference: 'bank-1' });
      events.push({ type: 'PAYMENT_FAILED', instalment: task.payment.instalment, actor: ACTOR, reason: 'closed' });
    }
  }
  events.push(
    { type: 'DECIDED', step: 'no-such-step', outcome: 'approve', actor: ACTOR },
    { type: 'SUPPLEMENT_RECEIVED', actor: 'applicant' },
    { type: 'SUPPLEMENT_LAPSED', actor: ACTOR },
    { type: 'WITHDRAWN', actor: 'applicant' },
    { type: 'OBJECTION_FILED', actor: 'neighbour' },
    { type: 'OBJECTION_DECIDED', upheld: true, actor: ACTOR },
    { type: 'OBJECTION_DECIDED', upheld: false, actor: ACTOR },
    { type: 'NOTICE_PERIOD_ENDED', clock: 'no-such-clock' },
    { type: 'EXTENSION_GRANTED', reason: 'household spread over two districts', actor: ACTOR },
    { type: 'EXTENSION_GRANTED', reason: ' ', actor: ACTOR },
    { type: 'PAYMENT_CONFIRMED', instalment: 99 },
    // The payment run's answers on instalments, with no task (临时救助 v3, docs/money.md), in any order.
    { type: 'PAYMENT_CONFIRMED', instalment: 1, reference: 'payment-line:1', actor: 'system:payments' },
    { type: 'PAYMENT_CONFIRMED', instalment: 2, reference: 'payment-line:2', actor: 'system:payments' },
    { type: 'PAYMENT_FAILED', instalment: 1, actor: 'system:payments', reason: 'payment-line:1 returned' },
    { type: 'ALLOCATED', actor: ACTOR, reference: 'flat-1' },
    // The entitlement that pays the case ended while instalments were owed (临时救助 v3, docs/money.md).
    { type: 'PAYMENTS_STOPPED', actor: 'system:household-events', reason: 'deceased', effectiveMonth: '2026-09' },
    { type: 'CLOCK_BREACHED', clock: 'overall' },
  );
  for (const clock of ledger.periodClocks) {
    if (ledger.clocks[clock] === 'running') events.push({ type: 'NOTICE_PERIOD_ENDED', clock });
  }
  return events;
}

/** The standard payloads: approve as is, reject with a listed and an unlisted reason, return with and without a list. */
export function standardPayloads(
  _step: string,
  outcome: DecisionOutcome,
  reasons: readonly string[],
): readonly Partial<CaseEvent>[] {
  switch (outcome) {
    case 'approve':
      return [{}];
    case 'reject':
      return [...reasons.slice(0, 1).map((reasonCode) => ({ reasonCode })), { reasonCode: 'NOT_A_REASON' }, {}];
    case 'return':
      return [{ missingMaterials: ['income-proof', 'household-register'] }, { missingMaterials: [] }];
  }
}

export interface Exploration {
  readonly nodes: number;
  readonly problems: readonly string[];
  readonly visitedStateIds: ReadonlySet<string>;
  readonly outcomes: ReadonlySet<string>;
  readonly acceptedDecisions: ReadonlySet<string>;
  readonly declaredDecisions: ReadonlySet<string>;
  readonly deadEnds: readonly string[];
}

/**
 * Breadth-first over every state reachable with the candidate events, checking the ledger rules on every edge.
 * Nodes are (snapshot, ledger) pairs, so loops (objection → reinvestigation → notice) are visited once.
 */
export function explore<P extends ProcedureId>(
  procedureId: P,
  input: Inputs[P],
  payloads: DecisionPayloads = standardPayloads,
  limits: { maxNodes: number } = { maxNodes: 20_000 },
): Exploration {
  const started = startCase(procedureId, input);
  const machine = machineFor(procedureId).machine;
  const problems: string[] = [];
  const visitedStateIds = new Set<string>();
  const outcomes = new Set<string>();
  const acceptedDecisions = new Set<string>();
  const declaredDecisions = new Set<string>();
  const deadEnds: string[] = [];
  const seen = new Set<string>();
  type Node = { stored: StoredCase; ledger: LedgerState; path: string[] };
  const queue: Node[] = [
    {
      stored: roundTrip({ machineId: started.machineId, version: started.version, snapshot: started.snapshot }),
      ledger: EMPTY_LEDGER,
      path: [],
    },
  ];
  while (queue.length > 0 && seen.size < limits.maxNodes) {
    const node = queue.shift()!;
    const key = JSON.stringify([node.stored.snapshot, node.ledger]);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const id of activeStateIds(machine.id, node.stored.snapshot.value as StateValue)) visitedStateIds.add(id);
    for (const task of Object.values(node.ledger.tasks)) {
      if (task.kind === 'objection') continue;
      for (const outcome of task.outcomes) declaredDecisions.add(`${task.step}:${outcome}`);
    }
    if (node.ledger.closed) {
      for (const event of candidateEvents(node.ledger, payloads)) {
        if (advance(node.stored, event).changed)
          problems.push(`a closed case accepted ${eventLabel(event)}  [after ${node.path.join(' → ')}]`);
      }
      continue;
    }
    let accepted = 0;
    for (const event of candidateEvents(node.ledger, payloads)) {
      const next = advance(node.stored, event);
      const applied = applyStep(node.ledger, { ...next, event });
      const path = [...node.path, eventLabel(event)];
      for (const problem of applied.problems) problems.push(`${problem}  [after ${path.join(' → ')}]`);
      if (!next.changed) continue;
      // A breach is recorded without moving the case: check it, but do not explore the ever-longer breach log.
      if (event.type === 'CLOCK_BREACHED') {
        if (
          next.intents.length > 0 ||
          JSON.stringify(next.snapshot.value) !== JSON.stringify(node.stored.snapshot.value)
        ) {
          problems.push(`CLOCK_BREACHED moved the case  [after ${path.join(' → ')}]`);
        }
        continue;
      }
      accepted += 1;
      if (event.type === 'DECIDED') acceptedDecisions.add(`${event.step}:${event.outcome}`);
      // A payment task is decided by the payment's answer: paid or failed.
      const paying = Object.values(node.ledger.tasks).find((task) => task.payment !== undefined);
      if (paying !== undefined && (event.type === 'PAYMENT_CONFIRMED' || event.type === 'PAYMENT_FAILED')) {
        acceptedDecisions.add(`${paying.step}:${event.type === 'PAYMENT_CONFIRMED' ? 'paid' : 'payment-failed'}`);
      }
      // A failed payment comes back to the same step with one more failure counted: checked, not explored again.
      if (event.type === 'PAYMENT_FAILED') continue;
      for (const intent of next.intents) if (intent.type === 'closeCase') outcomes.add(intent.params.outcome);
      queue.push({ stored: roundTrip({ ...node.stored, snapshot: next.snapshot }), ledger: applied.ledger, path });
    }
    if (accepted === 0) deadEnds.push(node.path.join(' → '));
  }
  if (seen.size >= limits.maxNodes) problems.push(`exploration stopped after ${seen.size} nodes`);
  return { nodes: seen.size, problems, visitedStateIds, outcomes, acceptedDecisions, declaredDecisions, deadEnds };
}

/** The params of the intents of one type, in order. */
export function paramsOf<T extends Intent['type']>(intents: readonly Intent[], type: T): IntentParams<T>[] {
  return intents.filter((intent) => intent.type === type).map((intent) => intent.params as IntentParams<T>);
}

type IntentParams<T extends Intent['type']> = (Intent & { type: T })['params'];
