import { notifyMissingMaterials, returnedForMaterial } from '../guards.js';
import { pauseClock, resumeClock } from '../intents.js';

/**
 * 补正: a reviewer returns the step for missing material. The applicant is told everything missing in one go
 * (一次性告知) and the case goes to `target`, a state built with {@link awaitingApplicantState}.
 */
export function returnForMaterial(step: string, target = 'awaitingApplicant') {
  return { guard: returnedForMaterial(step), target, actions: notifyMissingMaterials(step) } as const;
}

/**
 * Waiting for the applicant's material: the `paused` clocks stop counting while the case waits and count on when it
 * arrives (docs/architecture.md invariant 7); the supplement goes back to `resumeTarget`.
 */
export function awaitingApplicantState(paused: readonly string[], resumeTarget: string) {
  return {
    tags: ['awaiting-applicant'],
    entry: paused.map(pauseClock),
    exit: paused.map(resumeClock),
    on: { SUPPLEMENT_RECEIVED: resumeTarget },
  } as const;
}
