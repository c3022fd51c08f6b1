import { stepTag } from '../case-status.js';
import type { CaseEvent } from '../events.js';
import { decided, decidedEvent, notifyRejection, recordRejection, rejectedWithReason } from '../guards.js';
import { closeTask, startClock, stopClock, type OpenTaskParams, type RefusalProposal } from '../intents.js';
import type { Limit } from '../limits.js';

/**
 * Refusals of social assistance at the level the regulation names. 社会救助暂行办法 art. 11(3) and 民发〔2021〕57号 give
 * the decision to the county-level civil-affairs bureau; the 乡镇/街道 investigates and gives its opinion, and decides
 * only where the county delegated approval to it. Without delegation a street office's "reject" is a proposal: it
 * opens a decision task at the district carrying the step and the reason, and the district either refuses (the
 * written refusal with its reasons follows) or sends the case back to the street to investigate again.
 */
export const REFUSAL_DECISION_STEP = 'refusal-decision';

/** The proposal a street's rejection makes, read from the decision that made it. */
export function proposalOf(event: CaseEvent): RefusalProposal {
  const decision = decidedEvent(event);
  return { step: decision.step, reasonCode: decision.reasonCode ?? '', proposedBy: decision.actor };
}

/**
 * The transitions of a street step's rejection with one of `reasons`: decided by the street where approval is
 * delegated (`delegatedRejection`: the machine's guard for "rejected with a reason, and delegated"; record it, tell
 * the applicant, go to the written notice), otherwise a proposal to the district.
 */
export function streetRejection<G>(options: {
  readonly delegatedRejection: (step: string, reasons: readonly string[]) => G;
  readonly noticeTarget: string;
  readonly proposalTarget: string;
}) {
  return (step: string, reasons: readonly string[]) =>
    [
      {
        guard: options.delegatedRejection(step, reasons),
        target: options.noticeTarget,
        actions: [recordRejection(step), notifyRejection(step)],
      },
      proposedRefusal(options.proposalTarget)(step, reasons),
    ] as const;
}

/** A street step's rejection with one of `reasons` where the street never decides: always a proposal. */
export function proposedRefusal(proposalTarget: string) {
  return (step: string, reasons: readonly string[]) =>
    ({ guard: rejectedWithReason(step, reasons), target: proposalTarget }) as const;
}

/**
 * The district's decision on a street's proposal to refuse: `reject` with one of `reasons` refuses (recorded, the
 * applicant told, the written notice served by `rejectTarget`); `approve` does not confirm the refusal and sends
 * the case back to `sendBackTarget` for the street to investigate again. `limit`, where given, is the district's
 * own time for it (else the case's overall clock runs on).
 */
export function refusalDecisionState(options: {
  readonly reasons: readonly string[];
  readonly rejectTarget: string;
  readonly sendBackTarget: string;
  readonly limit?: Limit;
}) {
  const step = REFUSAL_DECISION_STEP;
  const task: OpenTaskParams = {
    step,
    level: 'district',
    kind: 'decision',
    outcomes: ['reject', 'approve'],
    rejectReasons: options.reasons,
  };
  const openWithProposal = {
    type: 'openTask',
    params: ({ event }: { event: CaseEvent }): OpenTaskParams => ({ ...task, proposal: proposalOf(event) }),
  } as const;
  return {
    tags: ['in-review', stepTag(step)],
    entry: options.limit === undefined ? [openWithProposal] : [openWithProposal, startClock(step, options.limit)],
    exit: options.limit === undefined ? [closeTask(step)] : [closeTask(step), stopClock(step)],
    on: {
      DECIDED: [
        {
          guard: rejectedWithReason(step, options.reasons),
          target: options.rejectTarget,
          actions: [recordRejection(step), notifyRejection(step)],
        },
        { guard: decided(step, 'approve'), target: options.sendBackTarget },
      ],
    },
  } as const;
}
