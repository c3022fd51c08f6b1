import { randomUUID } from 'node:crypto';
import type { DecisionRefusal, NewCaseEvent, Queryable } from '@minsheng/infra';
import type { CaseEvent } from '@minsheng/workflows';
import type { StepReads } from './step-reads.js';
import { updatedRows } from './statement-rows.js';

/**
 * The engine's answer to a reviewer's decision request (docs/architecture.md "The engine", invariant 12). The
 * gateway recorded the request on the task (`decision_request`, status `deciding`) with the command that carries it;
 * applying that command, the engine is the only code that moves the task on: accepted, the task is `decided`
 * (before the step's intents run, so the machine's own closeTask finds it closed already); refused, it is `open`
 * again with the machine's reason. Each answer is a case event (DECISION_ACCEPTED / DECISION_REFUSED).
 *
 * A request is answered once: the update matches only a task whose request is this command's and still
 * `requested` (the accept is a CTE of the step's statement, {@link acceptCte}), and the engine skips a command whose event
 * exists already, so a redelivered command changes nothing.
 */

/** The task a command's event decides, when it decides one (DECIDED, OBJECTION_DECIDED, the payment outcomes). */
function decidedTaskId(event: CaseEvent): string | undefined {
  return 'taskId' in event && typeof event.taskId === 'string' ? event.taskId : undefined;
}

/**
 * Accepted: the CTE `name` of the step's statement (`task-batch.ts` `taskWriteCtes`) that decides the task, joined
 * to `cases` (the case row the step's version-checked UPDATE returned). Parameters from `first`: the task id, the
 * command id, the step's time as ISO text (`decidedAt`, `answeredAt`); `$now` the step's time.
 */
export function acceptCte(name: string, cases: string, first: number, now: number): string {
  const [taskId, commandId, nowText] = [0, 1, 2].map((i) => `$${first + i}`);
  return `${name} AS (
    UPDATE tasks SET status = 'decided', closed_at = $${now}::timestamptz,
           decided_by = decision_request ->> 'requestedBy',
           decision = (decision_request -> 'decision') || jsonb_build_object('decidedAt', ${nowText}::text),
           decision_request = decision_request || jsonb_build_object('state', 'accepted', 'answeredAt', ${nowText}::text),
           version = tasks.version + 1
    FROM ${cases} tc
    WHERE tasks.id = ${taskId}::uuid AND tasks.case_id = tc.id AND tasks.decision_request ->> 'id' = ${commandId}::text
      AND tasks.decision_request ->> 'state' = 'requested'
    RETURNING tasks.id)`;
}

/**
 * Refused: the task is open again (unless a step of the machine closed it meanwhile, e.g. the case was withdrawn),
 * still claimed by whoever claimed it, with the refusal on its request.
 */
const REFUSE = `
  UPDATE tasks SET status = CASE WHEN closed_at IS NULL THEN 'open' ELSE status END,
         decision_request = decision_request || jsonb_build_object('state', 'refused', 'answeredAt', $4::text,
                                                                    'refusal', $5::jsonb),
         version = version + 1
  WHERE id = $1 AND case_id = $2 AND decision_request ->> 'id' = $3 AND decision_request ->> 'state' = 'requested'
  RETURNING id, step, decision_request ->> 'outcome' AS outcome`;

/**
 * A task decided by a gateway from before decision requests (it closed the task itself, with the command id in
 * `decision`) whose command the engine refuses: it is reopened, as the engine did then, so a deployment in the
 * middle of a decision loses nothing. Tasks decided since carry a request and never match.
 */
const REOPEN_DECIDED_BEFORE_REQUESTS = `
  UPDATE tasks SET closed_at = NULL, status = 'open', decided_by = NULL, version = version + 1,
         details = details || jsonb_build_object('refusedDecision', decision), decision = NULL
  WHERE id = $1 AND case_id = $2 AND status = 'decided' AND decision_request IS NULL
    AND decision ->> 'commandId' = $3
    AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = $2 AND t.step = tasks.step AND t.closed_at IS NULL)`;

interface Answered {
  id: string;
  step: string;
  outcome: string;
}

/** The command being applied: its case, id, event, request id and time. */
export interface DecisionCommand {
  readonly caseId: string;
  readonly commandId: string;
  readonly event: CaseEvent;
  readonly requestId: string | null;
  readonly now: Date;
}

function answerEvent(command: DecisionCommand, type: string, payload: Record<string, unknown>): NewCaseEvent {
  return {
    id: randomUUID(),
    type,
    actor: 'system:engine',
    payload,
    occurredAt: command.now,
    requestId: command.requestId,
  };
}

/** A decision request accepted: the task the step's statement decides, and its DECISION_ACCEPTED event. */
export interface AcceptedDecision {
  readonly taskId: string;
  readonly step: string;
  readonly commandId: string;
  readonly event: NewCaseEvent;
}

/**
 * The decision request the command carries, accepted, or null without one still `requested` (read with the lock,
 * `step-reads.ts`). Its write goes in the step's statement (`task-batch.ts` `taskWriteCtes`), before the intents'
 * writes are decided, so the step's closeTask finds the task decided.
 */
export function acceptDecisionRequest(reads: StepReads, command: DecisionCommand): AcceptedDecision | null {
  const taskId = decidedTaskId(command.event);
  if (taskId === undefined) return null;
  const task = reads.requested.find((t) => t.id === taskId);
  if (task === undefined) return null;
  const { commandId } = command;
  const event = answerEvent(command, 'DECISION_ACCEPTED', {
    taskId,
    step: task.step,
    outcome: task.outcome,
    commandId,
  });
  return { taskId, step: task.step, commandId, event };
}

/** Refuses the decision request the command carries with the machine's reason; its DECISION_REFUSED event. */
export async function refuseDecisionRequest(
  q: Queryable,
  command: DecisionCommand,
  reason: string,
): Promise<NewCaseEvent | null> {
  const taskId = decidedTaskId(command.event);
  if (taskId === undefined) return null;
  const { caseId, commandId, now } = command;
  const refusal: DecisionRefusal = { code: 'DECISION.REFUSED', reason, field: refusedField(command.event) };
  const [task] = updatedRows<Answered>(
    (await q.query(REFUSE, [taskId, caseId, commandId, now.toISOString(), JSON.stringify(refusal)])) as unknown,
  );
  if (task === undefined) {
    await q.query(REOPEN_DECIDED_BEFORE_REQUESTS, [taskId, caseId, commandId]);
    return null;
  }
  return answerEvent(command, 'DECISION_REFUSED', {
    taskId,
    step: task.step,
    outcome: task.outcome,
    commandId,
    ...refusal,
  });
}

/**
 * The field of the request a refusal most likely turned on, as far as the event shows (the parts, the amount, the
 * instalments, the findings), else the outcome itself: the machine's guards say no, not why.
 */
function refusedField(event: CaseEvent): string {
  return (['parts', 'amountFen', 'instalments', 'findings'] as const).find((name) => name in event) ?? 'outcome';
}
