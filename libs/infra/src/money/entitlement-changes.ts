import { randomUUID } from 'node:crypto';
import {
  addMonths,
  DomainError,
  type EntitlementChange,
  ENTITLEMENT_CHANGES,
  type EntitlementStatus,
  instalmentsOf,
  statusAfter,
  suspendedMonths,
  type YearMonth,
} from '@minsheng/domain';
import { appendCaseEvents, type Queryable } from '../case-log/case-event-chain.js';
import { type CaseCommand } from '../queue/queue-contract.js';

/** A case's chain head, as the caller read it with the case row locked. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string | null;
}

/** Locks the case row (the lock order: the case before its payments, docs/operations.md) and answers its head. */
export async function lockCaseHead(q: Queryable, caseId: string): Promise<ChainHead | null> {
  const [row] = (await q.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1 FOR UPDATE`, [
    caseId,
  ])) as { last_event_seq: number; last_event_hash: string | null }[];
  return row === undefined ? null : { seq: row.last_event_seq, hash: row.last_event_hash };
}

export interface EntitlementChangeInput {
  readonly entitlementId: string;
  readonly caseId: string;
  readonly change: EntitlementChange;
  readonly reason: string;
  readonly effectiveMonth: YearMonth;
  readonly actor: string;
  readonly now: Date;
  readonly requestId?: string | null;
  /** Resumption only: pay the months the suspension covered in the next run (docs/money.md "Arrears on resumption"). */
  readonly payArrears?: boolean;
  /** More for the event's payload (a note reference, the household event that caused it, the returned line). */
  readonly payload?: Record<string, unknown>;
}

export interface EntitlementChanged {
  readonly status: EntitlementStatus;
  readonly from: EntitlementStatus;
  readonly event: string;
  readonly endMonth: string | null;
  /** The months owed as arrears by this resumption (empty unless it pays them). */
  readonly arrearsMonths: readonly string[];
  readonly head: ChainHead;
}

/**
 * Suspends, resumes or ends an entitlement (docs/money.md "Suspension, resumption, ending"), whoever asks: a
 * reviewer, a household event, a returned payment. The caller has locked the case row and passes its chain head;
 * the entitlement row is locked here (case before payments). The new status and the event on the case's chain
 * (reason, effective month, status before and after) are written in the caller's transaction. An ending sets the
 * last month paid to the month before the effective month; a suspension remembers its effective month so a
 * resumption that pays arrears knows the months it covered. `ENTITLEMENT.WRONG_STATUS` when the status does not
 * take the change.
 */
export async function changeEntitlement(
  q: Queryable,
  head: ChainHead,
  input: EntitlementChangeInput,
): Promise<EntitlementChanged> {
  const [row] = (await q.query(
    `SELECT e.status, e.start_month, e.end_month, e.suspended_from, e.kind, e.basis,
            (SELECT c.closed_at IS NULL FROM cases c WHERE c.id = e.case_id) AS case_open
       FROM entitlements e WHERE e.id = $1 AND e.case_id = $2 FOR UPDATE OF e`,
    [input.entitlementId, input.caseId],
  )) as {
    status: EntitlementStatus;
    start_month: string;
    end_month: string | null;
    suspended_from: string | null;
    kind: string;
    basis: unknown;
    case_open: boolean;
  }[];
  if (row === undefined) {
    throw new DomainError('ENTITLEMENT.NOT_FOUND', `no entitlement ${input.entitlementId}`, { field: 'id' });
  }
  const next = statusAfter(row.status, input.change);
  if (next === null) {
    throw new DomainError('ENTITLEMENT.WRONG_STATUS', `an ${row.status} entitlement takes no ${input.change}`, {
      field: 'status',
      status: row.status,
    });
  }
  const before = addMonths(input.effectiveMonth, -1);
  const endMonth = input.change === 'ending' ? (before < row.start_month ? row.start_month : before) : row.end_month;
  const suspendedFrom =
    input.change === 'suspension' ? input.effectiveMonth : input.change === 'resumption' ? null : row.suspended_from;
  const arrears =
    input.change === 'resumption' && input.payArrears === true && row.suspended_from !== null
      ? suspendedMonths(row.suspended_from as YearMonth, input.effectiveMonth, {
          startMonth: row.start_month as YearMonth,
          endMonth: row.end_month as YearMonth | null,
        })
      : [];
  await q.query(
    `UPDATE entitlements SET status = $2, status_reason = $3, end_month = $4, suspended_from = $5,
            version = version + 1, updated_at = $6
     WHERE id = $1`,
    [input.entitlementId, next, input.reason, endMonth, suspendedFrom, input.now],
  );
  // Months already paid (a line exists) are not owed again; the line's uniqueness stands behind this too.
  const owed =
    arrears.length === 0
      ? []
      : ((await q.query(
          `WITH owed AS (
             INSERT INTO entitlement_arrears (entitlement_id, month, decided_at, decided_by)
             SELECT $1, m.month, $3, $4 FROM unnest($2::text[]) AS m(month)
             WHERE NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.entitlement_id = $1 AND l.month = m.month)
             ON CONFLICT (entitlement_id, month) DO NOTHING
             RETURNING month)
           SELECT month FROM owed ORDER BY month`,
          [input.entitlementId, arrears, input.now, input.actor],
        )) as { month: string }[]);
  const arrearsMonths = owed.map((r) => r.month);
  const rule = ENTITLEMENT_CHANGES[input.change];
  const tellCase =
    input.change === 'ending' &&
    row.case_open &&
    row.kind === 'temporary-assistance' &&
    instalmentsOf(row.basis) !== null;
  const after = await appendCaseEvents(
    q,
    input.caseId,
    head,
    [
      {
        id: randomUUID(),
        type: rule.event,
        actor: input.actor,
        payload: {
          entitlementId: input.entitlementId,
          reason: input.reason,
          effectiveMonth: input.effectiveMonth,
          from: row.status,
          to: next,
          ...(input.change === 'ending' ? { endMonth } : {}),
          ...(input.change === 'resumption' ? { payArrears: input.payArrears === true, arrearsMonths } : {}),
          ...input.payload,
        },
        occurredAt: input.now,
        requestId: input.requestId ?? null,
      },
    ],
    tellCase ? [endingCommand(input)] : [],
  );
  return { status: next, from: row.status, event: rule.event, endMonth, arrearsMonths, head: after };
}

/**
 * 临时救助 (machine v3) waits in its payment step for the bank's answer on each instalment's line; an ending means
 * no later instalment is paid, so the case is told (docs/money.md "临时救助: one payer, in instalments"): a
 * PAYMENTS_STOPPED command (not ENTITLEMENT_ENDED, the chain's record of the change) through the outbox, in the ending's transaction, applied by the engine like the bank's
 * answers. A case no longer in payment (paid in full, or on v1/v2, which write no instalment schedule) refuses it,
 * recorded as COMMAND_REFUSED; a closed case is not told.
 */
function endingCommand(input: EntitlementChangeInput) {
  const event: CaseCommand['event'] = {
    type: 'PAYMENTS_STOPPED',
    actor: input.actor,
    entitlementId: input.entitlementId,
    reason: input.reason,
    effectiveMonth: input.effectiveMonth,
  };
  const command: CaseCommand = { caseId: input.caseId, commandId: randomUUID(), event, actor: input.actor };
  return { kind: 'case.command' as const, caseId: input.caseId, payload: command };
}
