import { type Queryable } from '../case-log/case-event-chain.js';
import { type CaseCommand, type TimerKind } from '../queue/queue-contract.js';

/** The case a stuck command or clock belongs to, as an operator finds it. */
export interface StuckCaseRef {
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
  readonly status: string;
  readonly departmentCode: string;
  /** The accepting office's division. */
  readonly division: string;
}

/** The `cases` columns behind a `StuckCaseRef`, selected as `c`. */
const CASE_REF_COLUMNS = `c.id AS case_id, c.tracking_number, c.item_code, c.status, c.department_code,
  c.accepting_division`;

interface CaseRefRow {
  case_id: string;
  tracking_number: string;
  item_code: string;
  status: string;
  department_code: string;
  accepting_division: string;
}

function caseRefOf(row: CaseRefRow): StuckCaseRef {
  return {
    caseId: row.case_id,
    trackingNumber: row.tracking_number,
    itemCode: row.item_code,
    status: row.status,
    departmentCode: row.department_code,
    division: row.accepting_division,
  };
}

/** An open case with a command written but never processed (no event carries the command's id). */
export interface UnappliedCommand extends StuckCaseRef {
  readonly outboxId: string;
  readonly command: CaseCommand;
  readonly commandWrittenAt: Date;
  readonly sentAt: Date | null;
}

interface Row extends CaseRefRow {
  outbox_id: string;
  payload: CaseCommand;
  created_at: Date;
  sent_at: Date | null;
}

function toCommand(row: Row): UnappliedCommand {
  return {
    ...caseRefOf(row),
    outboxId: row.outbox_id,
    command: row.payload,
    commandWrittenAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export interface UnappliedCommandQuery {
  /** Commands written less than this long ago are normally still in flight and left out. */
  readonly graceSeconds: number;
  readonly limit: number;
  readonly caseId?: string;
  /** Only commands the relay sent within this many days (the reconciler's window); any age and unsent otherwise. */
  readonly relayedWithinDays?: number;
  /**
   * `oldest-per-case` (the operator's view: the case waits on its oldest) or `every-command` (the reconciler
   * re-enqueues every lost command of a case in one round).
   */
  readonly per: 'oldest-per-case' | 'every-command';
}

/**
 * The one definition of an unapplied command, the PostgreSQL half of "is this case stuck?" for both the operator
 * view (`/v1/ops/cases/stuck`) and the worker's command reconciler: a `case.command` outbox row of an open case
 * with no event carrying its command id (every processed command leaves one, applied or refused), older than
 * `graceSeconds`, oldest first. Whether its job is missing or failed is the Redis half, asked by the caller.
 */
export async function findUnappliedCommands(q: Queryable, query: UnappliedCommandQuery): Promise<UnappliedCommand[]> {
  const params: unknown[] = [query.graceSeconds, query.limit];
  const conditions: string[] = [];
  if (query.caseId !== undefined) {
    params.push(query.caseId);
    conditions.push(`AND c.id = $${params.length}`);
  }
  if (query.relayedWithinDays !== undefined) {
    params.push(query.relayedWithinDays);
    conditions.push(`AND o.sent_at IS NOT NULL AND o.sent_at > now() - make_interval(days => $${params.length})`);
  }
  const oldest = query.per === 'oldest-per-case';
  const rows = (await q.query(
    `SELECT * FROM (
       SELECT ${oldest ? 'DISTINCT ON (o.case_id)' : ''}
              ${CASE_REF_COLUMNS}, o.id::text AS outbox_id, o.payload, o.created_at, o.sent_at, o.id
       FROM outbox o
       JOIN cases c ON c.id = o.case_id AND c.closed_at IS NULL
       WHERE o.kind = 'case.command'
         AND o.created_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.id = (o.payload ->> 'commandId')::uuid)
         ${conditions.join(' ')}
       ${oldest ? 'ORDER BY o.case_id, o.id' : ''}
     ) unapplied ORDER BY created_at, id LIMIT $2`,
    params,
  )) as Row[];
  return rows.map(toCommand);
}

/** A running clock of an open case and the timer it waits for next; its job should be live in Redis. */
export interface ClockAwaitingTimer extends StuckCaseRef {
  readonly clockId: string;
  readonly clock: string;
  readonly generation: number;
  readonly dueAt: Date;
  /** Null when nothing is left to fire (the notice ended, the breach escalated): a page's rows all come back. */
  readonly timer: TimerKind | null;
}

/**
 * The PostgreSQL half of "does this clock still have a timer?": running, unpaused clocks with a due time, of open
 * cases, and the timer each waits for next. A public notice (period) waits for `due` until it ended; a deadline
 * for `due` until breached, then for `escalation` until escalated, except a service target, which is never
 * escalated (the reminder only warns, it moves nothing). A mark older than the clock's start belongs to an earlier
 * run (as apps/worker fired-marks.ts). Clocks with an unsent `clock.changed` row are being armed by the relay and
 * left out. Paged by clock id (`after`: the last id of the previous page).
 */
export async function findClocksAwaitingTimer(
  q: Queryable,
  page: { after: string; limit: number },
): Promise<ClockAwaitingTimer[]> {
  const rows = (await q.query(
    `SELECT k.id, k.clock, k.generation, k.due_at, ${CASE_REF_COLUMNS},
              CASE WHEN k.kind = 'period' THEN
                     CASE WHEN k.ended_at >= k.started_at THEN NULL ELSE 'due' END
                   WHEN k.breached_at IS NULL OR k.breached_at < k.started_at THEN 'due'
                   WHEN k.basis = 'target' THEN NULL
                   WHEN k.escalated_at IS NULL OR k.escalated_at < k.started_at THEN 'escalation'
              END AS timer
       FROM case_clocks k JOIN cases c ON c.id = k.case_id AND c.closed_at IS NULL
       WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND k.due_at IS NOT NULL AND k.id > $1
         AND NOT EXISTS (SELECT 1 FROM outbox o
                         WHERE o.sent_at IS NULL AND o.kind = 'clock.changed' AND o.case_id = k.case_id)
     ORDER BY k.id LIMIT $2`,
    [page.after, page.limit],
  )) as (CaseRefRow & { id: string; clock: string; generation: number; due_at: Date; timer: TimerKind | null })[];
  return rows.map((row) => ({
    ...caseRefOf(row),
    clockId: row.id,
    clock: row.clock,
    generation: row.generation,
    dueAt: new Date(row.due_at),
    timer: row.timer,
  }));
}
