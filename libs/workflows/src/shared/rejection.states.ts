import { stepTag } from '../case-status.js';
import { decided, notifyRejection, recordRejection, rejectedWithReason } from '../guards.js';
import type { OpenTaskParams } from '../intents.js';
import type { Limit } from '../limits.js';
import { taskStep, timedTaskStep } from './step.states.js';

/**
 * The transition for a rejection of `step` with one of `reasons`: record it, tell the applicant, go to `target`
 * (a rejection notice, a re-review window or the final `rejected` state).
 */
export function rejectionTo(target: string) {
  return (step: string, reasons: readonly string[]) =>
    ({
      guard: rejectedWithReason(step, reasons),
      target,
      actions: [recordRejection(step), notifyRejection(step)],
    }) as const;
}

/** Once the notice is served, the case is `rejected`. */
function served(task: OpenTaskParams) {
  return {
    tags: ['rejected', stepTag(task.step)],
    on: { DECIDED: { guard: decided(task.step, 'approve'), target: 'rejected' } },
  } as const;
}

/** Serving the written rejection with reasons; the case already counts as rejected. */
export function rejectionNoticeState(task: OpenTaskParams) {
  return { ...taskStep(task), ...served(task) } as const;
}

/** {@link rejectionNoticeState} with a limit for serving the notice. */
export function timedRejectionNoticeState(task: OpenTaskParams, limit: Limit) {
  return { ...timedTaskStep(task, limit), ...served(task) } as const;
}
