import type { PortalEvent } from '@minsheng/infra';
import type { CaseEvent, Intent } from '@minsheng/workflows';

/** The step a procedure accepts an application in (受理), where it has one. */
const ACCEPTANCE_STEP = 'acceptance';

/**
 * What a portal hears of one step of a case (docs/webhooks.md "Events"), in the order the machine said it, from the
 * event the step applied and the intents it produced:
 *
 * - `case.accepted`: the acceptance step approved; a procedure without one accepts on receipt (the step that
 *   started the case opened no acceptance task);
 * - `case.supplement_requested`: the machine told the applicant what is missing (一次性告知), or a reviewer returned
 *   the application for material the step's machine pauses for;
 * - `case.decision_made`: a step recorded an approval or a rejection;
 * - `case.objection_window_opened`: a proposed decision was published for objections (公示);
 * - `case.closed` with the outcome, then `case.satisfaction_invited`.
 *
 * Codes only: a reason code, the missing materials' codes, an outcome; never what the applicant wrote.
 */
export function portalEventsOf(
  event: CaseEvent,
  intents: readonly Intent[],
  started: boolean,
  status: string,
): PortalEvent[] {
  const events: PortalEvent[] = [];
  const opensAcceptance = intents.some((i) => i.type === 'openTask' && i.params.step === ACCEPTANCE_STEP);
  if (started && !opensAcceptance) events.push({ type: 'case.accepted', data: { status } });
  if (event.type === 'DECIDED' && event.step === ACCEPTANCE_STEP && event.outcome === 'approve') {
    events.push({ type: 'case.accepted', data: { status } });
  }
  for (const intent of intents) {
    switch (intent.type) {
      case 'notifyApplicant':
        if (intent.params.template === 'missing-materials') {
          events.push({
            type: 'case.supplement_requested',
            data: {
              status,
              step: intent.params.step ?? null,
              missingMaterials: [...(intent.params.missingMaterials ?? [])],
            },
          });
        }
        break;
      case 'recordDecision':
        events.push({
          type: 'case.decision_made',
          data: {
            status,
            step: intent.params.step,
            outcome: intent.params.outcome,
            reasonCode: intent.params.reasonCode ?? null,
          },
        });
        break;
      case 'publishNotice':
        if (intent.params.notice === 'public-notice') {
          events.push({
            type: 'case.objection_window_opened',
            data: { status, step: intent.params.step, level: intent.params.level },
          });
        }
        break;
      case 'closeCase':
        events.push({ type: 'case.closed', data: { status, outcome: intent.params.outcome } });
        events.push({ type: 'case.satisfaction_invited', data: { status, outcome: intent.params.outcome } });
        break;
      default:
        break;
    }
  }
  // A machine that pauses for material without a notice intent of its own (the shared acceptance and review
  // steps): the returned decision is the request.
  const returned = event.type === 'DECIDED' && event.outcome === 'return';
  if (returned && !events.some((e) => e.type === 'case.supplement_requested')) {
    events.push({
      type: 'case.supplement_requested',
      data: { status, step: event.step, missingMaterials: [...(event.missingMaterials ?? [])] },
    });
  }
  return events;
}
