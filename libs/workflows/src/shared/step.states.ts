import { stepTag } from '../case-status.js';
import { decided } from '../guards.js';
import { returnForMaterial } from './awaiting-applicant.states.js';
import {
  closeCase,
  closeTask,
  notifyApplicant,
  openTask,
  startClock,
  stopClock,
  type OpenTaskParams,
} from '../intents.js';
import type { Limit } from '../limits.js';

/** A step with an open task: tagged `in-review` and `step:<name>`, the task opened on entry and closed on exit. */
export function taskStep(task: OpenTaskParams) {
  return {
    tags: ['in-review', stepTag(task.step)],
    entry: openTask(task),
    exit: closeTask(task.step),
  } as const;
}

/** {@link taskStep} with a deadline clock named after the step, started after the task opens. */
export function timedTaskStep(task: OpenTaskParams, limit: Limit) {
  return {
    tags: ['in-review', stepTag(task.step)],
    entry: [openTask(task), startClock(task.step, limit)],
    exit: [closeTask(task.step), stopClock(task.step)],
  } as const;
}

/**
 * A step whose task either approves, going on to `approvedTarget`, or rejects through `rejection` (the machine's
 * rejection transition for this step and its reasons).
 */
export function approveOrRejectStep<TRejection>(task: OpenTaskParams, approvedTarget: string, rejection: TRejection) {
  return {
    ...taskStep(task),
    on: { DECIDED: [{ guard: decided(task.step, 'approve'), target: approvedTarget }, rejection] },
  } as const;
}

/**
 * 受理: a complete application goes on to `acceptedTarget`; otherwise everything missing is listed in one go
 * (一次性告知) and the case waits for the applicant. Withdrawal is possible throughout.
 */
export function acceptanceState(task: OpenTaskParams, acceptedTarget: string) {
  return {
    initial: 'open',
    on: { WITHDRAWN: 'withdrawn' },
    states: {
      open: {
        ...taskStep(task),
        on: {
          DECIDED: [{ guard: decided(task.step, 'approve'), target: acceptedTarget }, returnForMaterial(task.step)],
        },
      },
      awaitingApplicant: { tags: ['awaiting-applicant'], on: { SUPPLEMENT_RECEIVED: 'open' } },
    },
  } as const;
}

/** The final states every procedure ends in: approved, rejected, withdrawn (with a confirmation). */
export function closedStates() {
  return {
    approved: { type: 'final', tags: ['approved'], entry: closeCase('approved') },
    rejected: { type: 'final', tags: ['rejected'], entry: closeCase('rejected') },
    withdrawn: {
      type: 'final',
      tags: ['withdrawn'],
      entry: [notifyApplicant({ template: 'withdrawal-confirmed' }), closeCase('withdrawn')],
    },
  } as const;
}
