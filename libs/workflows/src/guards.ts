import { DomainError } from '@minsheng/domain';
import type { CaseEvent, DecidedEvent, DecisionOutcome, ExtensionGrantedEvent } from './events.js';
import type { NotifyApplicantParams, RecordDecisionParams } from './intents.js';

/**
 * Guards and event readers shared by every procedure. Guards only look at the event (and the params the state
 * gives them); they do no I/O. Events come from the database, so every field is checked, not assumed.
 */

interface GuardArgs {
  readonly event: CaseEvent;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isDecision(event: CaseEvent, step: string, outcome: DecisionOutcome): event is DecidedEvent {
  return event.type === 'DECIDED' && event.step === step && event.outcome === outcome && nonEmpty(event.actor);
}

export function hasMissingMaterials(event: DecidedEvent): boolean {
  const materials = event.missingMaterials;
  return Array.isArray(materials) && materials.length > 0 && materials.every(nonEmpty);
}

export function isSafeAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export const caseGuards = {
  /** A decision of `outcome` for `step`. A decision for any other step is not for this state. */
  decided: ({ event }: GuardArgs, params: { readonly step: string; readonly outcome: DecisionOutcome }) =>
    isDecision(event, params.step, params.outcome),

  /** A rejection of `step` that gives one of the step's reason codes. */
  rejectedWithReason: ({ event }: GuardArgs, params: { readonly step: string; readonly reasons: readonly string[] }) =>
    isDecision(event, params.step, 'reject') && nonEmpty(event.reasonCode) && params.reasons.includes(event.reasonCode),

  /** A return of `step` for missing material that lists every missing item (一次性告知). */
  returnedForMaterial: ({ event }: GuardArgs, params: { readonly step: string }) =>
    isDecision(event, params.step, 'return') && hasMissingMaterials(event),

  stepStarted: ({ event }: GuardArgs, params: { readonly step: string }) =>
    event.type === 'STEP_STARTED' && event.step === params.step && nonEmpty(event.actor),

  periodEnded: ({ event }: GuardArgs, params: { readonly clock: string }) =>
    event.type === 'NOTICE_PERIOD_ENDED' && (event.clock ?? 'public-notice') === params.clock,

  objectionUpheld: ({ event }: GuardArgs) =>
    event.type === 'OBJECTION_DECIDED' && event.upheld === true && nonEmpty(event.actor),

  objectionNotUpheld: ({ event }: GuardArgs) =>
    event.type === 'OBJECTION_DECIDED' && event.upheld === false && nonEmpty(event.actor),

  /** An extension must say why and who granted it. */
  extensionJustified: ({ event }: GuardArgs) =>
    event.type === 'EXTENSION_GRANTED' && nonEmpty(event.reason) && nonEmpty(event.actor),
};

export const WORKFLOW_ERRORS = {
  unexpectedEvent: 'WORKFLOW.UNEXPECTED_EVENT',
} as const;

/** The DECIDED event of a transition that only DECIDED can take (a guard already checked it). */
export function decidedEvent(event: CaseEvent): DecidedEvent {
  if (event.type !== 'DECIDED') {
    throw new DomainError(WORKFLOW_ERRORS.unexpectedEvent, `expected DECIDED, got ${event.type}`, { field: 'type' });
  }
  return event;
}

/** The EXTENSION_GRANTED event of a transition that only it can take. */
export function extensionEvent(event: CaseEvent): ExtensionGrantedEvent {
  if (event.type !== 'EXTENSION_GRANTED') {
    throw new DomainError(WORKFLOW_ERRORS.unexpectedEvent, `expected EXTENSION_GRANTED, got ${event.type}`, {
      field: 'type',
    });
  }
  return event;
}

/*
 * Dynamic intents built from the decision that caused them. Each returns an XState action object whose params
 * are computed from the event when the transition is taken.
 */

export function recordRejection(step: string) {
  return {
    type: 'recordDecision',
    params: ({ event }: GuardArgs): RecordDecisionParams => {
      const decision = decidedEvent(event);
      return { step, outcome: 'rejected', actor: decision.actor, ...reasonOf(decision) };
    },
  } as const;
}

export function recordApproval(step: string) {
  return {
    type: 'recordDecision',
    params: ({ event }: GuardArgs): RecordDecisionParams => ({
      step,
      outcome: 'approved',
      actor: decidedEvent(event).actor,
    }),
  } as const;
}

export function notifyRejection(step: string) {
  return {
    type: 'notifyApplicant',
    params: ({ event }: GuardArgs): NotifyApplicantParams => ({
      template: 'rejected',
      step,
      ...reasonOf(decidedEvent(event)),
    }),
  } as const;
}

export function notifyMissingMaterials(step: string) {
  return {
    type: 'notifyApplicant',
    params: ({ event }: GuardArgs): NotifyApplicantParams => ({
      template: 'missing-materials',
      step,
      missingMaterials: [...(decidedEvent(event).missingMaterials ?? [])],
    }),
  } as const;
}

function reasonOf(decision: DecidedEvent): { reasonCode?: string } {
  return decision.reasonCode === undefined ? {} : { reasonCode: decision.reasonCode };
}

/*
 * Guard references for machine configs: `guard: decided('approval', 'approve')` reads like the rule and keeps
 * the params' literal types inside `and([...])`.
 */

export function decided(step: string, outcome: DecisionOutcome) {
  return { type: 'decided', params: { step, outcome } } as const;
}

export function rejectedWithReason(step: string, reasons: readonly string[]) {
  return { type: 'rejectedWithReason', params: { step, reasons } } as const;
}

export function returnedForMaterial(step: string) {
  return { type: 'returnedForMaterial', params: { step } } as const;
}

export function stepStarted(step: string) {
  return { type: 'stepStarted', params: { step } } as const;
}

export function periodEnded(clock: string) {
  return { type: 'periodEnded', params: { clock } } as const;
}
