import type { CaseEvent, DecidedEvent, DecisionOutcome } from '../events.js';

/** Test support: events as the gateway and the worker would record them. */
export const REVIEWER = 'reviewer-1';

export const SUBMITTED: CaseEvent = { type: 'SUBMITTED', actor: 'applicant' };
export const SUPPLEMENT: CaseEvent = { type: 'SUPPLEMENT_RECEIVED', actor: 'applicant', materials: ['income-proof'] };
export const SUPPLEMENT_LAPSED: CaseEvent = { type: 'SUPPLEMENT_LAPSED', actor: REVIEWER };
export const WITHDRAWN: CaseEvent = { type: 'WITHDRAWN', actor: 'applicant', reason: 'moved away' };
export const OBJECTION: CaseEvent = { type: 'OBJECTION_FILED', actor: 'neighbour', summary: 'owns a second flat' };
export const UPHELD: CaseEvent = { type: 'OBJECTION_DECIDED', upheld: true, actor: REVIEWER };
export const NOT_UPHELD: CaseEvent = { type: 'OBJECTION_DECIDED', upheld: false, actor: REVIEWER };
export const NOTICE_ENDED: CaseEvent = { type: 'NOTICE_PERIOD_ENDED' };
export const ALLOCATED: CaseEvent = { type: 'ALLOCATED', actor: REVIEWER, reference: 'flat-12-3-501' };

export function decide(
  step: string,
  outcome: DecisionOutcome,
  extra: Partial<Omit<DecidedEvent, 'type'>> = {},
): CaseEvent {
  return { type: 'DECIDED', step, outcome, actor: REVIEWER, ...extra };
}

export function approve(step: string, extra: Partial<Omit<DecidedEvent, 'type'>> = {}): CaseEvent {
  return decide(step, 'approve', extra);
}

export function reject(step: string, reasonCode: string, extra: Partial<Omit<DecidedEvent, 'type'>> = {}): CaseEvent {
  return decide(step, 'reject', { reasonCode, ...extra });
}

export function returnFor(
  step: string,
  missingMaterials: readonly string[] = ['income-proof', 'household-register'],
): CaseEvent {
  return decide(step, 'return', { missingMaterials });
}

export function started(step: string): CaseEvent {
  return { type: 'STEP_STARTED', step, actor: REVIEWER };
}

export function periodEnded(clock: string): CaseEvent {
  return { type: 'NOTICE_PERIOD_ENDED', clock };
}

export function extension(reason = 'household members in two districts', actor = 'section-chief'): CaseEvent {
  return { type: 'EXTENSION_GRANTED', reason, actor };
}

export function breached(clock: string): CaseEvent {
  return { type: 'CLOCK_BREACHED', clock };
}

export function paid(instalment: number): CaseEvent {
  return { type: 'PAYMENT_CONFIRMED', instalment, reference: `bank-${instalment}` };
}
