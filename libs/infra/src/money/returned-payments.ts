import { randomUUID } from 'node:crypto';
import { DomainError, effectiveMonthAfter, type YearMonth } from '@minsheng/domain';
import { appendCaseEvents, type Queryable } from '../case-log/case-event-chain.js';
import { changeEntitlement, type ChainHead } from './entitlement-changes.js';
import { type SettledLine } from './payment-runs.js';

/**
 * The kind of the task a returned payment opens at the street office (docs/money.md "Returned payments"). Like an
 * escalation (督办) it is no step of the case's procedure: the correction route closes it, not a decision, and the
 * machine knows nothing of it.
 */
export const RETURNED_PAYMENT_TASK_KIND = 'returned-payment';

/** The task's step name: one open task per returned line (the open-step index is unique per case and step). */
export const returnedPaymentStep = (lineId: string) => `returned-payment-${lineId}`;

export interface ReturnedPaymentTask {
  readonly lineId: string;
  readonly taskId: string;
  readonly caseId: string;
  /** For a line returned because the beneficiary died: the ending recorded, or why none was. */
  readonly ending: { readonly effectiveMonth: string; readonly endMonth: string | null } | null;
}

/**
 * For each line the bank returned in this import: a task in the inbox of the street office of the household (the
 * line's division, the case's department, level street) naming the line, its month, amount and reason. A line
 * returned because the beneficiary died (`deceased`) also ends the entitlement, reason `deceased`, effective the
 * month after the line's month (the rule of household events, 次月停发 [G]), unless it is ended already; the task
 * says which. `PAYMENT_RETURNED` on the case's chain names the line and the task. The caller (the import) has locked
 * the lines' cases in id order and writes all of this in its transaction; `returned` are lines settled now, so a
 * second import of the same file opens nothing.
 */
export async function openReturnedPaymentTasks(
  q: Queryable,
  returned: readonly SettledLine[],
  now: Date,
): Promise<ReturnedPaymentTask[]> {
  if (returned.length === 0) return [];
  const rows = (await q.query(
    `SELECT l.id, l.division, c.id AS case_id, c.department_code, c.last_event_seq, c.last_event_hash
     FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id JOIN cases c ON c.id = e.case_id
     WHERE l.id = ANY ($1::uuid[])`,
    [returned.map((l) => l.lineId)],
  )) as {
    id: string;
    division: string;
    case_id: string;
    department_code: string;
    last_event_seq: number;
    last_event_hash: string | null;
  }[];
  const lineRows = new Map(rows.map((r) => [String(r.id), r]));
  const heads = new Map<string, ChainHead>(
    rows.map((r) => [String(r.case_id), { seq: r.last_event_seq, hash: r.last_event_hash }]),
  );
  const opened: ReturnedPaymentTask[] = [];
  for (const line of returned) {
    const row = lineRows.get(line.lineId);
    if (row === undefined) continue;
    let head = heads.get(line.caseId)!;
    let ending: ReturnedPaymentTask['ending'] = null;
    let entitlementNote: Record<string, unknown> = {};
    if (line.reason === 'deceased') {
      const effectiveMonth = effectiveMonthAfter(line.month as YearMonth);
      try {
        const changed = await changeEntitlement(q, head, {
          entitlementId: line.entitlementId,
          caseId: line.caseId,
          change: 'ending',
          reason: 'deceased',
          effectiveMonth,
          actor: 'system:payments',
          now,
          payload: { paymentLineId: line.lineId, source: 'bank-return' },
        });
        head = changed.head;
        ending = { effectiveMonth, endMonth: changed.endMonth };
        entitlementNote = { entitlementEnded: { reason: 'deceased', effectiveMonth, endMonth: changed.endMonth } };
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'ENTITLEMENT.WRONG_STATUS') throw error;
        entitlementNote = { entitlementEnded: null, entitlementAlreadyEnded: true };
      }
    }
    const [task] = (await q.query(
      `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, details, priority,
                          due_at, outcomes, opened_at)
       VALUES ($1, $2, $3, 'street', $4, $5, $6, $7, 1, NULL, '{}', $8)
       ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING
       RETURNING id`,
      [
        line.caseId,
        returnedPaymentStep(line.lineId),
        RETURNED_PAYMENT_TASK_KIND,
        row.department_code,
        row.division,
        line.itemCode,
        JSON.stringify({
          paymentLineId: line.lineId,
          paymentRunId: line.runId,
          entitlementId: line.entitlementId,
          month: line.month,
          amountFen: line.amountFen,
          reason: line.reason,
          closedBy: `POST /v1/payment-lines/${line.lineId}/correction`,
          ...entitlementNote,
        }),
        now,
      ],
    )) as { id: string }[];
    if (task === undefined) continue;
    head = await appendCaseEvents(q, line.caseId, head, [
      {
        id: randomUUID(),
        type: 'PAYMENT_RETURNED',
        actor: 'system:payments',
        payload: {
          paymentLineId: line.lineId,
          paymentRunId: line.runId,
          entitlementId: line.entitlementId,
          month: line.month,
          amountFen: line.amountFen,
          reason: line.reason,
          taskId: String(task.id),
        },
        occurredAt: now,
      },
    ]);
    heads.set(line.caseId, head);
    opened.push({ lineId: line.lineId, taskId: String(task.id), caseId: line.caseId, ending });
  }
  return opened;
}

/**
 * The street office corrected a returned line (docs/money.md "Returned payments"): the line is `corrected` (carried
 * into the next run built) and its task closed, with `PAYMENT_CORRECTED` on the case's chain, in one transaction
 * with the case locked first (the lock order). Answers false when the line is not returned or not in the caller's
 * scope (the divisions of the line's household, or everything).
 */
export async function correctReturnedPayment(
  q: Queryable,
  lineId: string,
  scope: { everything: boolean; prefixes: readonly string[] },
  by: { actor: string; now: Date; requestId: string | null },
): Promise<boolean> {
  const [found] = (await q.query(
    `SELECT e.case_id FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id
     WHERE l.id = $1 AND l.status = 'returned'
       AND ($2::boolean OR l.division LIKE ANY (SELECT p || '%' FROM unnest($3::text[]) AS p))`,
    [lineId, scope.everything, scope.prefixes],
  )) as { case_id: string }[];
  if (found === undefined) return false;
  const caseId = String(found.case_id);
  const [head] = (await q.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1 FOR UPDATE`, [
    caseId,
  ])) as { last_event_seq: number; last_event_hash: string | null }[];
  // UPDATE … RETURNING inside a CTE: a bare UPDATE answers [rows, count] through TypeORM.
  const corrected = (await q.query(
    `WITH corrected AS (
       UPDATE payment_lines SET status = 'corrected' WHERE id = $1 AND status = 'returned' RETURNING month, amount_fen)
     SELECT * FROM corrected`,
    [lineId],
  )) as { month: string; amount_fen: string }[];
  if (corrected.length === 0 || head === undefined) return false;
  const closed = (await q.query(
    `WITH closed AS (
       UPDATE tasks SET status = 'closed', closed_at = $3, decided_by = $4, version = version + 1,
              decision = jsonb_build_object('corrected', true, 'at', $3::timestamptz),
              details = details || jsonb_build_object('closedBecause', 'payment-corrected')
       WHERE case_id = $1 AND step = $2 AND closed_at IS NULL
       RETURNING id)
     SELECT id FROM closed`,
    [caseId, returnedPaymentStep(lineId), by.now, by.actor],
  )) as { id: string }[];
  await appendCaseEvents(q, caseId, { seq: head.last_event_seq, hash: head.last_event_hash }, [
    {
      id: randomUUID(),
      type: 'PAYMENT_CORRECTED',
      actor: by.actor,
      payload: {
        paymentLineId: lineId,
        month: corrected[0]!.month,
        amountFen: Number(corrected[0]!.amount_fen),
        taskId: closed[0] === undefined ? null : String(closed[0].id),
      },
      occurredAt: by.now,
      requestId: by.requestId,
    },
  ]);
  return true;
}
