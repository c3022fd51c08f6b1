/**
 * A reviewer's decision request (`tasks.decision_request`): the gateway records it, with the workflow command that
 * carries it, and sets the task `deciding`; the engine, applying the command, answers it: `accepted` (the task is
 * `decided`) or `refused` with the machine's reason (the task is `open` again). Nothing else changes a task's state
 * from a decision (docs/architecture.md invariant 12, "The engine").
 */
export type DecisionRequestState = 'requested' | 'accepted' | 'refused';

/** The task status while a decision request waits for the engine. */
export const DECIDING_STATUS = 'deciding';

export interface DecisionRefusal {
  /** An error-catalogue code (`DECISION.REFUSED`, docs/errors.md). */
  readonly code: string;
  /** The machine's reason, in words. */
  readonly reason: string;
  /** The request's field the refusal most likely turned on (parts, amountFen, instalments, findings, or outcome). */
  readonly field: string;
}

export interface DecisionRequest {
  /** The id of the command that carries it (and of the event that applies or refuses it). */
  readonly id: string;
  readonly state: DecisionRequestState;
  readonly outcome: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** What becomes `tasks.decision` when the engine accepts it: the body, the duty checks, the command id. */
  readonly decision: Record<string, unknown>;
  readonly answeredAt?: string;
  readonly refusal?: DecisionRefusal;
}
