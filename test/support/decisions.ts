import { eventually } from './given.js';

/** A task's last decision request as `GET /v1/tasks/{id}` shows it (the `TaskDecisionRequest` schema). */
export interface DecisionRequestView {
  readonly id: string;
  readonly state: 'requested' | 'accepted' | 'refused';
  readonly outcome: string;
  readonly requestedBy: string;
  readonly answeredAt: string | null;
  readonly refusal: { readonly code: string; readonly reason: string; readonly field: string } | null;
}

export interface AnsweredTask {
  readonly status: string;
  readonly closedAt: string | null;
  readonly decisionRequest: DecisionRequestView;
}

/**
 * Reads the task (`readTask` returns the body of `GET /v1/tasks/{id}`) until the engine has answered the decision
 * request `commandId` (accepted or refused), within `timeoutMs`: a decision's 202 only records the request.
 */
export async function untilDecisionAnswered(
  readTask: () => Promise<{ task: AnsweredTask }>,
  commandId: string,
  timeoutMs?: number,
): Promise<AnsweredTask> {
  return eventually(async () => {
    const { task } = await readTask();
    const request = task.decisionRequest as DecisionRequestView | null;
    return request?.id === commandId && request.state !== 'requested' && task;
  }, timeoutMs);
}
