import { endOfDayInShanghai, toShanghaiDate, type CalendarSet } from '@minsheng/domain';
import { raiseOperatorAlert, type Queryable } from '@minsheng/infra';
import type { ClockParams, ExtendClockParams, LimitUnit, StartClockParams } from '@minsheng/workflows';
import { CLOCK_REGION, computeDue, dueDayOf, shiftDue, unitsBetween } from './clock-due.js';

/**
 * The statutory clocks of a case as rows of `case_clocks` (design.md invariant 7). Each function runs inside the
 * engine's transaction, with the case row locked, and returns the clock's new generation: the timers (the
 * `clock.changed` outbox row) reschedule from the row and ignore any job of an older generation.
 * These are the only writers of the clock columns besides the timers' reminded_at / breached_at.
 */
export interface ClockChange {
  readonly caseId: string;
  readonly clock: string;
  readonly generation: number;
}

interface ClockRow {
  unit: LimitUnit;
  due_at: Date;
  paused_at: Date | null;
  limit_amount: number;
  stopped_at: Date | null;
}

/**
 * Starts (or restarts, e.g. a second public notice after a re-investigation) a clock from today: the start day
 * is not counted (民事诉讼法 art. 85). A restart clears pauses, extensions and the reminder/breach marks.
 */
export async function startClock(
  q: Queryable,
  caseId: string,
  params: StartClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange> {
  const start = toShanghaiDate(now);
  const due = computeDue(params.limit, start, calendars);
  if (due.explanation['estimated'] === true) {
    // The count ran into a year whose calendar is not published: the due date is only an estimate until it is,
    // so an operator must be told (issue 6: never a silent guess). Publishing the year recomputes the clock.
    await raiseOperatorAlert(q, {
      kind: 'calendar.year-not-published',
      key: String(due.explanation['missingCalendar'] ?? 'unknown'),
      details: { caseId, clock: params.clock },
    });
  }
  const rows = (await q.query(
    `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, region, started_at, due_at, explanation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (case_id, clock) DO UPDATE SET
       kind = EXCLUDED.kind, limit_amount = EXCLUDED.limit_amount, unit = EXCLUDED.unit, source = EXCLUDED.source,
       region = EXCLUDED.region, started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at,
       explanation = EXCLUDED.explanation, paused_at = NULL, pauses = '[]', extensions = '[]', stopped_at = NULL,
       reminded_at = NULL, breached_at = NULL, generation = case_clocks.generation + 1
     RETURNING generation`,
    [
      caseId,
      params.clock,
      params.kind,
      params.limit.amount,
      params.limit.unit,
      params.limit.source.citation,
      CLOCK_REGION,
      now,
      due.dueAt,
      JSON.stringify(due.explanation),
    ],
  )) as { generation: number }[];
  return { caseId, clock: params.clock, generation: rows[0]!.generation };
}

/** The applicant was asked for more material: the clock stops counting until it arrives (design.md inv. 7). */
export async function pauseClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
): Promise<ClockChange | null> {
  const rows = (await q.query(
    `UPDATE case_clocks SET paused_at = $3, generation = generation + 1
     WHERE case_id = $1 AND clock = $2 AND stopped_at IS NULL AND paused_at IS NULL RETURNING generation`,
    [caseId, params.clock, now],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows);
}

/**
 * The clock runs again: what was left of the period on the day it paused is counted from today, in the clock's
 * own unit, so days spent waiting for the applicant are not charged to the office.
 */
export async function resumeClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange | null> {
  const row = await readClock(q, caseId, params.clock);
  if (row === undefined || row.stopped_at !== null || row.paused_at === null) return null;
  const pausedOn = toShanghaiDate(row.paused_at);
  const today = toShanghaiDate(now);
  const oldDue = dueDayOf(row.due_at);
  const left = Math.max(0, unitsBetween(row.unit, pausedOn, oldDue, calendars));
  const newDue = shiftDue(row.unit, today, left, calendars);
  const dueAt = computeDueAt(newDue, today, left);
  const rows = (await q.query(
    `UPDATE case_clocks SET paused_at = NULL, due_at = $3,
       pauses = pauses || jsonb_build_array(jsonb_build_object('from', paused_at, 'to', $4::timestamptz, 'unitsLeft', $5::int)),
       explanation = explanation || jsonb_build_object('due', $6::text), generation = generation + 1
     WHERE case_id = $1 AND clock = $2 RETURNING generation`,
    [caseId, params.clock, dueAt, now, left, newDue],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows);
}

export async function stopClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
): Promise<ClockChange | null> {
  const rows = (await q.query(
    `UPDATE case_clocks SET stopped_at = $3, generation = generation + 1
     WHERE case_id = $1 AND clock = $2 AND stopped_at IS NULL RETURNING generation`,
    [caseId, params.clock, now],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows);
}

/** A recorded extension (e.g. 低保 30 → 45 working days, 民发〔2021〕57号): the due date moves by the difference. */
export async function extendClock(
  q: Queryable,
  caseId: string,
  params: ExtendClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange | null> {
  const row = await readClock(q, caseId, params.clock);
  if (row === undefined || row.stopped_at !== null || params.toAmount <= row.limit_amount) return null;
  const newDue = shiftDue(row.unit, dueDayOf(row.due_at), params.toAmount - row.limit_amount, calendars);
  const extension = {
    fromAmount: row.limit_amount,
    toAmount: params.toAmount,
    reason: params.reason,
    actor: params.actor,
    source: params.source.citation,
    at: now.toISOString(),
  };
  const rows = (await q.query(
    `UPDATE case_clocks SET limit_amount = $3, due_at = $4, extensions = extensions || jsonb_build_array($5::jsonb),
       explanation = explanation || jsonb_build_object('due', $6::text), generation = generation + 1
     WHERE case_id = $1 AND clock = $2 RETURNING generation`,
    [caseId, params.clock, params.toAmount, endOfDay(newDue), JSON.stringify(extension), newDue],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows);
}

async function readClock(q: Queryable, caseId: string, clock: string): Promise<ClockRow | undefined> {
  const rows = (await q.query(
    `SELECT unit, due_at, paused_at, limit_amount, stopped_at FROM case_clocks WHERE case_id = $1 AND clock = $2`,
    [caseId, clock],
  )) as ClockRow[];
  return rows[0];
}

function computeDueAt(due: string, today: string, left: number): Date {
  // Nothing left: the period ends today (it was already due when it paused).
  return endOfDay(left === 0 ? today : due);
}

function endOfDay(date: string): Date {
  return endOfDayInShanghai(date);
}

function change(caseId: string, clock: string, rows: { generation: number }[]): ClockChange | null {
  return rows[0] === undefined ? null : { caseId, clock, generation: rows[0].generation };
}
