import type { CaseStatus } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import type { Intent, OpenTaskParams } from '../intents.js';

/**
 * Test support: replays intents the way the worker would keep tasks and clocks, and reports every intent that
 * would not make sense to it (closing a task that is not open, resuming a clock that is not paused, closing a
 * case with work still open...). Used by the scenario tables and the exhaustive explorer alike.
 */
type ClockState = 'running' | 'paused' | 'expired' | 'stopped';

export interface LedgerState {
  readonly tasks: Readonly<Record<string, OpenTaskParams>>;
  readonly clocks: Readonly<Record<string, ClockState>>;
  readonly periodClocks: readonly string[];
  readonly closed: boolean;
}

export const EMPTY_LEDGER: LedgerState = { tasks: {}, clocks: {}, periodClocks: [], closed: false };

export interface StepObservation {
  readonly event: CaseEvent;
  readonly changed: boolean;
  readonly intents: readonly Intent[];
  readonly status: CaseStatus;
  readonly closed: boolean;
  readonly currentSteps: readonly string[];
}

const CLOSED_STATUS: Record<string, CaseStatus> = {
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  'deemed-withdrawn': 'withdrawn',
};

/** Applies one observed step to the ledger; returns the new ledger and the problems found. */
export function applyStep(before: LedgerState, step: StepObservation): { ledger: LedgerState; problems: string[] } {
  const problems: string[] = [];
  const tasks: Record<string, OpenTaskParams> = { ...before.tasks };
  const clocks: Record<string, ClockState> = { ...before.clocks };
  const periodClocks = new Set(before.periodClocks);
  const { event } = step;
  const say = (problem: string) => problems.push(`${event.type}: ${problem}`);

  if (!step.changed && step.intents.length > 0) say('unchanged but emitted intents');
  if (before.closed && step.changed) say('a closed case changed');

  if (event.type === 'DECIDED') {
    const task = before.tasks[event.step];
    if (task === undefined && step.changed) say(`decision for ${event.step}, which has no open task, was accepted`);
    if (task !== undefined && step.changed) {
      if (!task.outcomes.includes(event.outcome)) say(`outcome ${event.outcome} is not among ${event.step}'s outcomes`);
      if (event.outcome === 'reject' && !task.rejectReasons.includes(event.reasonCode ?? '')) {
        say(`reason ${event.reasonCode} is not among ${event.step}'s reject reasons`);
      }
      if (!step.intents.some((intent) => intent.type === 'closeTask' && intent.params.step === event.step)) {
        say(`accepted decision did not close the task of ${event.step}`);
      }
    }
  }
  if (event.type === 'OBJECTION_DECIDED' && step.changed) {
    const objectionTasks = Object.values(before.tasks).filter((task) => task.kind === 'objection');
    if (objectionTasks.length !== 1) say('objection decided without exactly one open objection task');
  }
  if (event.type === 'NOTICE_PERIOD_ENDED' && step.changed) {
    const clock = event.clock ?? 'public-notice';
    if (clocks[clock] !== 'running' || !periodClocks.has(clock)) say(`period ${clock} ended but it was not running`);
    else clocks[clock] = 'expired';
  }

  for (const intent of step.intents) {
    switch (intent.type) {
      case 'openTask':
        if (tasks[intent.params.step] !== undefined) say(`openTask ${intent.params.step}: already open`);
        tasks[intent.params.step] = intent.params;
        break;
      case 'closeTask':
        if (tasks[intent.params.step] === undefined) say(`closeTask ${intent.params.step}: not open`);
        delete tasks[intent.params.step];
        break;
      case 'startClock': {
        const state = clocks[intent.params.clock];
        if (state === 'running' || state === 'paused') say(`startClock ${intent.params.clock}: already ${state}`);
        const { limit } = intent.params;
        if (!Number.isInteger(limit.amount) || limit.amount <= 0) say(`startClock ${intent.params.clock}: bad amount`);
        if (limit.source.citation.trim() === '') say(`startClock ${intent.params.clock}: no source`);
        clocks[intent.params.clock] = 'running';
        if (intent.params.kind === 'period') periodClocks.add(intent.params.clock);
        else periodClocks.delete(intent.params.clock);
        break;
      }
      case 'pauseClock':
        if (clocks[intent.params.clock] !== 'running') say(`pauseClock ${intent.params.clock}: not running`);
        clocks[intent.params.clock] = 'paused';
        break;
      case 'resumeClock':
        if (clocks[intent.params.clock] !== 'paused') say(`resumeClock ${intent.params.clock}: not paused`);
        clocks[intent.params.clock] = 'running';
        break;
      case 'stopClock': {
        const state = clocks[intent.params.clock];
        if (state !== 'running' && state !== 'paused' && state !== 'expired')
          say(`stopClock ${intent.params.clock}: ${state ?? 'never started'}`);
        clocks[intent.params.clock] = 'stopped';
        break;
      }
      case 'extendClock': {
        const state = clocks[intent.params.clock];
        if (state !== 'running' && state !== 'paused')
          say(`extendClock ${intent.params.clock}: ${state ?? 'never started'}`);
        if (intent.params.reason.trim() === '') say('extendClock without a reason');
        break;
      }
      case 'closeCase':
        if (!step.closed) say('closeCase but the machine is not done');
        if (CLOSED_STATUS[intent.params.outcome] !== step.status)
          say(`closeCase ${intent.params.outcome} with status ${step.status}`);
        break;
      case 'notifyApplicant':
      case 'publishNotice':
      case 'recordDecision':
      case 'grantEntitlement':
        break;
    }
  }

  const closeCases = step.intents.filter((intent) => intent.type === 'closeCase').length;
  if (step.closed && !before.closed && closeCases !== 1) say(`closed with ${closeCases} closeCase intents`);
  if (step.closed) {
    const open = Object.keys(tasks);
    if (open.length > 0) say(`closed with open tasks ${open.join(', ')}`);
    const live = Object.entries(clocks).filter(([, state]) => state === 'running' || state === 'paused');
    if (live.length > 0) say(`closed with live clocks ${live.map(([clock]) => clock).join(', ')}`);
  }
  const openSteps = Object.keys(tasks).sort();
  const reported = [...step.currentSteps].sort();
  if (openSteps.join() !== reported.join())
    say(`currentSteps [${reported.join()}] but open tasks [${openSteps.join()}]`);
  if (step.status === 'awaiting-applicant') {
    const running = Object.entries(clocks).filter(([clock, state]) => state === 'running' && !periodClocks.has(clock));
    if (running.length > 0)
      say(`awaiting the applicant with running clocks ${running.map(([clock]) => clock).join(', ')}`);
  }

  return { ledger: { tasks, clocks, periodClocks: [...periodClocks].sort(), closed: step.closed }, problems };
}
