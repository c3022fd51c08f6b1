import { randomUUID } from 'node:crypto';
import { type CalendarSet, DomainError, type Region, startOfDayInShanghai } from '@minsheng/domain';
import { appendCaseEvents, type Queryable } from '../case-log/case-event-chain.js';
import { writeOutbox } from '../case-log/outbox.js';
import { CLOCK_COLUMNS, clockFacts, type ClockRow } from './clock-rows.js';
import { planClock } from './clock-schedule.js';

export interface RecomputedClock {
  readonly caseId: string;
  readonly clock: string;
  /** Null when the clock was waiting for this calendar. */
  readonly fromDueAt: string | null;
  /** Null when the count still reaches another unpublished year (then `calendarMissing` names it). */
  readonly toDueAt: string | null;
  readonly calendarMissing?: string;
  /** Whether the due date before and after rested on a provisional calendar (false without a due date). */
  readonly fromProvisional: boolean;
  readonly toProvisional: boolean;
  readonly generation: number;
}

export interface RecomputeResult {
  readonly examined: number;
  readonly recomputed: readonly RecomputedClock[];
  /** Clocks whose new count needs a calendar that is still not published. */
  readonly failed: readonly { caseId: string; clock: string; code: string }[];
}

/**
 * After a calendar year is published or corrected, moves the due date of every running clock whose count it can
 * change: clocks counted in that region (a national change reaches the Xinjiang counts too, which are built on it)
 * that run through that year. Each move locks the case row, then its clocks (one writer per case, docs/architecture.md invariant 4; the lock order,
 * docs/operations.md "Lock order"; cases in ascending id order), appends a
 * `CLOCK_RECOMPUTED` event, moves the generation on (the old timers become no-ops) and writes `clock.changed`
 * so the timers are re-armed. Runs in the caller's transaction, so the calendar and the moves commit together.
 *
 * A clock whose due date stays but whose `due_provisional` changes (the official notice confirms the draft's
 * dates, or a provisional correction replaces an official year) is recomputed the same way: the answers that show
 * the due date change, so the case records it (`fromProvisional`/`toProvisional`), and its reminder instant is
 * counted again in the new calendar. `now` is the business instant the events are recorded at.
 */
export async function recomputeRunningClocks(
  q: Queryable,
  set: CalendarSet,
  changed: { region: Region; year: number; version: number },
  actor: string,
  requestId: string | null,
  now: Date,
): Promise<RecomputeResult> {
  const yearStart = startOfDayInShanghai(`${changed.year}-01-01`);
  const yearEnd = startOfDayInShanghai(`${changed.year + 1}-01-01`);
  const candidates = (await q.query(
    `SELECT id, case_id FROM case_clocks
     WHERE stopped_at IS NULL
       AND (($1 = 'national' OR region = $1) AND started_at < $2 AND due_at >= $3
            OR calendar_missing = $4)
     ORDER BY case_id, id`,
    [changed.region, yearEnd.toISOString(), yearStart.toISOString(), `${changed.region}/${changed.year}`],
  )) as { id: string; case_id: string }[];

  const recomputed: RecomputedClock[] = [];
  const failed: { caseId: string; clock: string; code: string }[] = [];
  const byCase = new Map<string, string[]>();
  for (const c of candidates) byCase.set(c.case_id, [...(byCase.get(c.case_id) ?? []), c.id]);

  for (const [caseId, clockIds] of byCase) {
    const [head] = (await q.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1 FOR UPDATE`, [
      caseId,
    ])) as { last_event_seq: number; last_event_hash: string | null }[];
    if (!head) continue;
    let chain = { seq: head.last_event_seq, hash: head.last_event_hash };
    const rows = (await q.query(
      `SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE id = ANY($1::uuid[]) AND stopped_at IS NULL ORDER BY id FOR UPDATE`,
      [clockIds],
    )) as ClockRow[];
    for (const row of rows) {
      let plan;
      try {
        plan = planClock(clockFacts(row), set);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failed.push({ caseId, clock: row.clock, code: error.code });
        continue;
      }
      const from = row.due_at === null ? null : new Date(row.due_at);
      if (
        plan.dueAt?.getTime() === from?.getTime() &&
        plan.calendarMissing === row.calendar_missing &&
        plan.provisional === row.due_provisional
      ) {
        continue;
      }
      if (plan.calendarMissing !== null) {
        failed.push({ caseId, clock: row.clock, code: 'CALENDAR.YEAR_NOT_PUBLISHED' });
        if (plan.calendarMissing === row.calendar_missing) continue;
      }
      const generation = row.generation + 1;
      // A later due date makes a reminder already sent stale: it may be sent again for the new date.
      const movedLater = from === null || plan.dueAt === null || plan.dueAt.getTime() > from.getTime();
      await q.query(
        `UPDATE case_clocks SET due_at = $2, calendar_missing = $3, explanation = $4, generation = $5, remind_at = NULL,
           reminded_at = CASE WHEN $6 THEN NULL ELSE reminded_at END, due_provisional = $7
         WHERE id = $1`,
        [
          row.id,
          plan.dueAt?.toISOString() ?? null,
          plan.calendarMissing,
          JSON.stringify(plan.explanation),
          generation,
          movedLater,
          plan.provisional,
        ],
      );
      const change: RecomputedClock = {
        caseId,
        clock: row.clock,
        fromDueAt: from?.toISOString() ?? null,
        toDueAt: plan.dueAt?.toISOString() ?? null,
        ...(plan.calendarMissing === null ? {} : { calendarMissing: plan.calendarMissing }),
        fromProvisional: row.due_provisional,
        toProvisional: plan.provisional,
        generation,
      };
      chain = await appendCaseEvents(q, caseId, chain, [
        {
          id: randomUUID(),
          type: 'CLOCK_RECOMPUTED',
          actor,
          payload: {
            clock: row.clock,
            fromDueAt: change.fromDueAt,
            toDueAt: change.toDueAt,
            due: plan.due,
            ...(plan.calendarMissing === null ? {} : { calendarMissing: plan.calendarMissing }),
            fromProvisional: change.fromProvisional,
            toProvisional: change.toProvisional,
            generation,
            calendar: `${changed.region}/${changed.year}`,
            calendarVersion: changed.version,
          },
          occurredAt: now,
          requestId,
        },
      ]);
      await writeOutbox(q, [
        { kind: 'clock.changed', caseId, payload: { caseId, clock: row.clock, generation }, requestId },
      ]);
      recomputed.push(change);
    }
  }
  return { examined: candidates.length, recomputed, failed };
}
